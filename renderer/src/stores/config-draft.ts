import { experimentConfig, type DatasetConfig, type ExperimentConfigInput } from '../../../main/contract/config';
import type { FieldIssueDto } from '../../../main/contract/api';
import { datasetDeclarationOf, datasetDeclarations } from '../../../main/contract/datasets/dataset-kinds';
import { defaultParadigm } from '../../../main/contract/paradigm';
import { defaultSplit } from '../../../main/contract/split-spec';
import { fieldIssuesOf, inProductTerms } from '../../../main/contract/zod-messages';

/**
 * The wizard's editable config and the pure helpers around it: defaults per dataset kind and the contract's validation
 * turned into per-field messages (the split and paradigm texts are read and written by the contract's
 * `splits` and `paradigms`).
 */

/** A deep copy of plain JSON data (reactive proxies included, which structuredClone refuses). */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export type DatasetKind = DatasetConfig['kind'];
/** The dataset kinds of this build's contract, in the wizard's order. */
export const datasetKinds: DatasetKind[] = datasetDeclarations.map((d) => d.kind);

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
 * A starting dataset config of a kind: its declaration's wizard defaults (main/contract/datasets/); for a kind this
 * build's contract does not declare, the defaults of its JSON Schema (`schema`, from catalog.get's datasetForms).
 */
export function defaultDataset(kind: DatasetKind, schema?: { properties?: Record<string, { default?: unknown }> }): DraftConfig['dataset'] {
  const declared = datasetDeclarationOf(kind);
  if (declared) return clone(declared.wizardDefaults) as DraftConfig['dataset'];
  const out: DraftConfig['dataset'] = { kind };
  for (const [k, p] of Object.entries(schema?.properties ?? {})) if (k !== 'kind' && p.default !== undefined) out[k] = clone(p.default);
  return out;
}

export function defaultDraft(): DraftConfig {
  return {
    name: 'experiment',
    seed: 0,
    dataset: defaultDataset('mnist'),
    islands: { count: 1, split: defaultSplit },
    model: { kind: 'vae-mlp', params: {} },
    loop: { generations: 5, paradigm: defaultParadigm, keep: 1000, ratio: 1 },
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
  const extra = Object.fromEntries(
    Object.entries(c)
      .filter(([k]) => !known.has(k))
      .map(([k, v]) => [k, clone(v)]),
  );
  return {
    ...extra,
    // a value of the wrong type is kept as it is, for the contract to report at its field (never a silent default)
    name: c.name === undefined ? d.name : (c.name as string),
    seed: c.seed === undefined ? d.seed : (c.seed as number),
    dataset: (c.dataset && typeof c.dataset === 'object' ? clone(c.dataset) : d.dataset) as DraftConfig['dataset'],
    islands: { ...d.islands, ...obj(c.islands) } as DraftConfig['islands'],
    model: { ...d.model, ...obj(c.model), params: clone(obj(obj(c.model).params)) } as DraftConfig['model'],
    loop: { ...d.loop, ...obj(c.loop) } as DraftConfig['loop'],
    selection: { ...d.selection, ...obj(c.selection), params: clone(obj(obj(c.selection).params)) } as DraftConfig['selection'],
    gridSamples: c.gridSamples === undefined ? d.gridSamples : (c.gridSamples as number),
  };
}

/** The draft as a config document (undefined fields dropped), ready to validate, send or export. */
export function configOf(draft: DraftConfig): ExperimentConfigInput {
  return JSON.parse(JSON.stringify(draft)) as ExperimentConfigInput;
}

/** The contract's check of the draft, per field, in the product's terms (main/contract/zod-messages.ts). */
export function issuesOf(draft: DraftConfig): FieldIssueDto[] {
  const r = experimentConfig.safeParse(configOf(draft), inProductTerms);
  return r.success ? [] : fieldIssuesOf(r.error);
}

/** The first issue at `path` or inside it. */
export function issueAt(issues: FieldIssueDto[], path: string): string | undefined {
  return issues.find((i) => i.path === path || i.path.startsWith(path + '.'))?.message;
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
