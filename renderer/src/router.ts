import { ref } from 'vue';

/** Hash routes (#/wizard, #/runs, #/run/<id>): in-page, so the Electron shell can forbid every real navigation. */
export type Route = { name: 'wizard' } | { name: 'runs' } | { name: 'run'; runId: string };

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const [head, ...rest] = h.split('/');
  if (head === 'runs') return { name: 'runs' };
  if (head === 'run' && rest[0]) return { name: 'run', runId: decodeURIComponent(rest[0]) };
  return { name: 'wizard' };
}

export function hashOf(r: Route): string {
  return r.name === 'run' ? `#/run/${encodeURIComponent(r.runId)}` : `#/${r.name}`;
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
