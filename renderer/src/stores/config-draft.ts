import { experimentConfig, type DatasetConfig } from '../../../main/contract/config';
import {
  datasetDraft,
  importConfigDraft,
  type ConfigDraft,
  type DatasetDraft,
  type ImportedConfigDraft,
} from '../../../main/contract/config-draft';
import type { FieldIssueDto } from '../../../main/contract/api';
import { datasetDeclarationOf, datasetDeclarations } from '../../../main/contract/datasets/dataset-kinds';
import { defaultParadigm } from '../../../main/contract/paradigm';
import { defaultSplit } from '../../../main/contract/split-spec';
import { fieldIssuesOf, inProductTerms } from '../../../main/contract/zod-messages';

/**
 * The wizard's editable config (the contract's ConfigDraft, main/contract/config-draft.ts) and the pure helpers
 * around it: defaults per dataset kind and the contract's validation turned into per-field messages (the split and
 * paradigm texts are read and written by the contract's `splits` and `paradigms`).
 */

/** A deep copy of plain JSON data (reactive proxies included, which structuredClone refuses). */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export type DatasetKind = DatasetConfig['kind'];
/** The dataset kinds of this build's contract, in the wizard's order. */
export const datasetKinds: DatasetKind[] = datasetDeclarations.map((d) => d.kind);

/**
 * A starting dataset config of a kind: its declaration's wizard defaults (main/contract/datasets/); for a kind this
 * build's contract does not declare, the defaults of its JSON Schema (`schema`, from catalog.get's datasetForms).
 */
export function defaultDataset(kind: DatasetKind, schema?: { properties?: Record<string, { default?: unknown }> }): DatasetDraft {
  const declared = datasetDeclarationOf(kind);
  if (declared) return datasetDraft.parse(clone(declared.wizardDefaults));
  const out: DatasetDraft = { kind };
  for (const [k, p] of Object.entries(schema?.properties ?? {})) if (k !== 'kind' && p.default !== undefined) out[k] = clone(p.default);
  return out;
}

export function defaultDraft(): ConfigDraft {
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

/**
 * A config (a preset's, an imported or stored one) as a complete draft: the contract's import (a wrong-typed field
 * moved into `invalid`, shown at its field, never replaced by a silent default), then each absent field the
 * wizard's default.
 */
export function draftFrom(document: unknown): ImportedConfigDraft {
  const { draft: c, invalid } = importConfigDraft(clone(document));
  const d = defaultDraft();
  const or = <T>(path: string, v: T | undefined, fallback: T | undefined): T | undefined =>
    v !== undefined || path in invalid ? v : fallback;
  const noDataset =
    c.dataset.kind === undefined && Object.keys(c.dataset).length === 0 && !Object.keys(invalid).some((p) => p.startsWith('dataset'));
  return {
    invalid,
    draft: {
      ...c,
      name: or('name', c.name, d.name),
      seed: or('seed', c.seed, d.seed),
      dataset: noDataset ? d.dataset : c.dataset,
      islands: {
        ...c.islands,
        count: or('islands.count', c.islands.count, d.islands.count),
        split: or('islands.split', c.islands.split, d.islands.split),
      },
      model: { ...c.model, kind: or('model.kind', c.model.kind, d.model.kind) },
      loop: {
        ...c.loop,
        generations: or('loop.generations', c.loop.generations, d.loop.generations),
        paradigm: or('loop.paradigm', c.loop.paradigm, d.loop.paradigm),
        keep: or('loop.keep', c.loop.keep, d.loop.keep),
        ratio: or('loop.ratio', c.loop.ratio, d.loop.ratio),
      },
      selection: {
        ...c.selection,
        scheme: or('selection.scheme', c.selection.scheme, d.selection.scheme),
        reference: or('selection.reference', c.selection.reference, d.selection.reference),
        verifier: or('selection.verifier', c.selection.verifier, d.selection.verifier),
      },
      gridSamples: or('gridSamples', c.gridSamples, d.gridSamples),
    },
  };
}

/** The contract's check of the draft, per field, in the product's terms (main/contract/zod-messages.ts). */
export function issuesOf(draft: ConfigDraft): FieldIssueDto[] {
  const r = experimentConfig.safeParse(clone(draft), inProductTerms);
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
