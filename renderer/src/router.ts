import { ref } from 'vue';

/**
 * Hash routes, in-page so the Electron shell can forbid every real navigation: #/wizard, #/runs, #/run/<id>,
 * #/studies, #/study/<id>, #/compute, and the comparison of some runs or of a study with its tab:
 * #/compare/runs/<id>,<id>…[/<tab>] and #/compare/study/<id>[/<tab>].
 */
export type CompareTab = 'table' | 'curves' | 'field' | 'parallel' | 'scatter' | 'gallery';
export const compareTabs: CompareTab[] = ['table', 'curves', 'field', 'parallel', 'scatter', 'gallery'];

export type Route =
  | { name: 'wizard' }
  | { name: 'runs' }
  | { name: 'run'; runId: string }
  | { name: 'studies' }
  | { name: 'study'; studyId: string }
  | { name: 'compute' }
  | { name: 'compare'; runs?: string[]; studyId?: string; tab: CompareTab };

function tabOf(s: string | undefined): CompareTab {
  return compareTabs.includes(s as CompareTab) ? (s as CompareTab) : 'table';
}

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const [head, ...rest] = h.split('/');
  if (head === 'runs') return { name: 'runs' };
  if (head === 'run' && rest[0]) return { name: 'run', runId: decodeURIComponent(rest[0]) };
  if (head === 'studies') return { name: 'studies' };
  if (head === 'compute') return { name: 'compute' };
  if (head === 'study' && rest[0]) return { name: 'study', studyId: decodeURIComponent(rest[0]) };
  if (head === 'compare' && rest[0] === 'study' && rest[1])
    return { name: 'compare', studyId: decodeURIComponent(rest[1]), tab: tabOf(rest[2]) };
  if (head === 'compare' && rest[0] === 'runs' && rest[1]) {
    return { name: 'compare', runs: rest[1].split(',').filter(Boolean).map(decodeURIComponent), tab: tabOf(rest[2]) };
  }
  return { name: 'wizard' };
}

export function hashOf(r: Route): string {
  switch (r.name) {
    case 'run':
      return `#/run/${encodeURIComponent(r.runId)}`;
    case 'study':
      return `#/study/${encodeURIComponent(r.studyId)}`;
    case 'compare':
      return r.studyId !== undefined
        ? `#/compare/study/${encodeURIComponent(r.studyId)}/${r.tab}`
        : `#/compare/runs/${(r.runs ?? []).map(encodeURIComponent).join(',')}/${r.tab}`;
    default:
      return `#/${r.name}`;
  }
}

export const route = ref<Route>(typeof window !== 'undefined' ? parseHash(window.location.hash) : { name: 'wizard' });

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => (route.value = parseHash(window.location.hash)));
}

export function navigate(r: Route): void {
  const h = hashOf(r);
  if (window.location.hash !== h) window.location.hash = h;
  route.value = r;
}
