import { experimentConfig, type DatasetConfig, type ExperimentConfigInput } from '../../../main/contract/config';
import type { FieldIssueDto } from '../../../main/contract/api';
import { formatSplit, parseSplit, type SplitSpec } from '../../../main/contract/split-spec';
import { parseParadigm, type Paradigm } from '../../../main/contract/paradigm';

/**
 * The wizard's editable config and the pure helpers around it: defaults per dataset kind, split and paradigm text to
 * and from the form's fields, and the contract's validation turned into per-field messages.
 */

/** A deep copy of plain JSON data (reactive proxies included, which structuredClone refuses). */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export type DatasetKind = DatasetConfig['kind'];
/** The kinds with a hand-made form in the wizard; other kinds of the contract get a form from their JSON Schema. */
export const datasetKinds: DatasetKind[] = ['mnist', 'fashion-mnist', 'gaussian', 'gaussian-mixture', 'image-folder', 'idx', 'npy'];

/** The config as the wizard edits it: the contract's input shape, every section present. */
export interface DraftConfig {
  name: string;
  seed: number;
  dataset: Record<string, unknown> & { kind: DatasetKind };
  islands: { count: number; split: string };
  model: { kind: string; params: Record<string, unknown> };
  loop: { generations: number; paradigm: string; keep: number; ratio: number; trainSize?: number };
  selection: { scheme: string; reference: string; verifier: number; features?: string; params: Record<string, unknown> };
  gridSamples: number;
  /** Sections of the contract this wizard has no step for (e.g. metrics): kept as they are. */
  [section: string]: unknown;
}

/**
 * A starting dataset config of a kind; for a kind without a hand-made default, the defaults of its JSON Schema
 * (`schema`, from catalog.get's datasetForms).
 */
export function defaultDataset(kind: DatasetKind, schema?: { properties?: Record<string, { default?: unknown }> }): DraftConfig['dataset'] {
  switch (kind) {
    case 'mnist':
    case 'fashion-mnist':
      return { kind, subset: 10_000, testSubset: 2000 };
    case 'gaussian':
      return { kind, dim: 10, trainSize: 1000, testSize: 1000 };
    case 'image-folder':
      return { kind, path: '', testFraction: 0.1 };
    case 'idx':
      return { kind, images: '', testFraction: 0.1 };
    case 'npy':
      return { kind, path: '', testFraction: 0.1 };
    case 'gaussian-mixture':
      return { kind, dim: 1, weights: [0.5, 0.5], means: [[-2], [2]], covs: [0.25, 0.25], trainSize: 1000, testSize: 1000 };
    default: {
      const out: DraftConfig['dataset'] = { kind };
      for (const [k, p] of Object.entries(schema?.properties ?? {})) if (k !== 'kind' && p.default !== undefined) out[k] = clone(p.default);
      return out;
    }
  }
}

export function defaultDraft(): DraftConfig {
  return {
    name: 'experiment',
    seed: 0,
    dataset: defaultDataset('mnist'),
    islands: { count: 1, split: 'iid' },
    model: { kind: 'vae-mlp', params: {} },
    loop: { generations: 5, paradigm: 'replace', keep: 1000, ratio: 1 },
    selection: { scheme: 'none', reference: 'local', verifier: 0, params: {} },
    gridSamples: 64,
  };
}

/** Fill a config (a preset's, an imported one) into a complete draft; absent sections take the draft defaults. */
export function draftFrom(input: ExperimentConfigInput | Record<string, unknown>): DraftConfig {
  const d = defaultDraft();
  const c = input as Partial<DraftConfig> & Record<string, unknown>;
  const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const known = new Set(['name', 'seed', 'dataset', 'islands', 'model', 'loop', 'selection', 'gridSamples']);
  const extra = Object.fromEntries(Object.entries(c).filter(([k]) => !known.has(k)).map(([k, v]) => [k, clone(v)]));
  return {
    ...extra,
    name: typeof c.name === 'string' ? c.name : d.name,
    seed: typeof c.seed === 'number' ? c.seed : d.seed,
    dataset: (c.dataset && typeof c.dataset === 'object' ? clone(c.dataset) : d.dataset) as DraftConfig['dataset'],
    islands: { ...d.islands, ...obj(c.islands) } as DraftConfig['islands'],
    model: { ...d.model, ...obj(c.model), params: clone(obj(obj(c.model).params)) } as DraftConfig['model'],
    loop: { ...d.loop, ...obj(c.loop) } as DraftConfig['loop'],
    selection: { ...d.selection, ...obj(c.selection), params: clone(obj(obj(c.selection).params)) } as DraftConfig['selection'],
    gridSamples: typeof c.gridSamples === 'number' ? c.gridSamples : d.gridSamples,
  };
}

/** The draft as a config document (undefined fields dropped), ready to validate, send or export. */
export function configOf(draft: DraftConfig): ExperimentConfigInput {
  return JSON.parse(JSON.stringify(draft)) as ExperimentConfigInput;
}

export function issuesOf(draft: DraftConfig): FieldIssueDto[] {
  const r = experimentConfig.safeParse(configOf(draft));
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** The first issue at `path` or inside it. */
export function issueAt(issues: FieldIssueDto[], path: string): string | undefined {
  return issues.find((i) => i.path === path || i.path.startsWith(path + '.'))?.message;
}

export type SplitKind = SplitSpec['kind'];
export interface SplitFields {
  kind: SplitKind;
  alpha: number;
  classesPerIsland: number;
  beta: number;
}

export function splitFields(text: string): SplitFields {
  const f: SplitFields = { kind: 'iid', alpha: 0.5, classesPerIsland: 1, beta: 0.5 };
  try {
    const s = parseSplit(text);
    f.kind = s.kind;
    if (s.kind === 'dirichlet') f.alpha = s.alpha;
    if (s.kind === 'exdir') {
      f.alpha = s.alpha;
      f.classesPerIsland = s.classesPerIsland;
    }
    if (s.kind === 'quantity') f.beta = s.beta;
  } catch {
    // an unparseable text keeps the defaults; the contract reports the text at its field
  }
  return f;
}

export function splitText(f: SplitFields): string {
  switch (f.kind) {
    case 'iid':
      return 'iid';
    case 'dirichlet':
      return formatSplit({ kind: 'dirichlet', alpha: f.alpha });
    case 'exdir':
      return formatSplit({ kind: 'exdir', classesPerIsland: f.classesPerIsland, alpha: f.alpha });
    case 'quantity':
      return formatSplit({ kind: 'quantity', beta: f.beta });
  }
}

export type ParadigmKind = Paradigm['kind'];
export function paradigmFields(text: string): { kind: ParadigmKind; realFraction: number } {
  try {
    const p = parseParadigm(text);
    return { kind: p.kind, realFraction: p.kind === 'mixed' ? p.realFraction : 0.5 };
  } catch {
    return { kind: 'replace', realFraction: 0.5 };
  }
}

export function paradigmText(kind: ParadigmKind, realFraction: number): string {
  return kind === 'mixed' ? `mixed:${realFraction}` : kind;
}

/** Which config paths each wizard step edits (for the per-step issue count and where Next stops). */
export const stepPaths: Record<string, string[]> = {
  dataset: ['dataset'],
  islands: ['islands', 'seed'],
  scheme: ['selection', 'loop'],
  model: ['model', 'gridSamples'],
  review: ['name'],
};

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}
