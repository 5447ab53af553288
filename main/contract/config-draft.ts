import { z } from 'zod';
import { datasetDeclarations } from './datasets/dataset-kinds';
import { modelKinds } from './models/catalog';
import { referenceKind } from './reference-kind';
import { schemeNames } from './selection/catalog';
import { fieldIssuesOf, inProductTerms } from './zod-messages';

/**
 * A config being written (the wizard's draft, an imported file): every field optional, each present field of the
 * type the config's input declares for it (main/contract/config.ts). The draft's own check is of types only: a value
 * of the right type that the config refuses (a negative seed, an unknown paradigm) stays in the draft for the
 * config's check to report at its field; a value of the wrong type cannot be held by a typed draft, so
 * `importConfigDraft` moves it into `invalid` at its path, shown at that field (never replaced by a silent default).
 * The sections are always present (empty when the file has none), so the wizard edits them in place.
 */

/** Every field of T optional, deeply (lists kept whole). */
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

const datasetKinds = datasetDeclarations.map((d) => d.kind) as [
  (typeof datasetDeclarations)[number]['kind'],
  ...(typeof datasetDeclarations)[number]['kind'][],
];

/** A kind's parameters: the kind's schema checks them in the config; the draft holds any named values. */
const params = z.record(z.string(), z.unknown());

/** A dataset being written: its kind, and its own fields (they differ per kind: the config's union checks them). */
export const datasetDraft = z.looseObject({ kind: z.enum(datasetKinds).optional() });
export type DatasetDraft = z.infer<typeof datasetDraft>;

/** The draft's schema: the config's fields with their input types, every one optional, unknown fields kept. */
export const configDraft = z.looseObject({
  name: z.string().optional(),
  seed: z.number().optional(),
  dataset: datasetDraft.prefault({}),
  islands: z.looseObject({ count: z.number().optional(), split: z.string().optional() }).prefault({}),
  model: z.looseObject({ kind: z.enum(modelKinds).optional(), params: params.prefault({}) }).prefault({}),
  loop: z
    .looseObject({
      generations: z.number().optional(),
      paradigm: z.string().optional(),
      keep: z.number().optional(),
      ratio: z.number().optional(),
      trainSize: z.number().optional(),
      syntheticPerReal: z.number().optional(),
    })
    .prefault({}),
  selection: z
    .looseObject({
      scheme: z.enum(schemeNames).optional(),
      reference: referenceKind.optional(),
      verifier: z.number().optional(),
      features: z.string().optional(),
      params: params.prefault({}),
      target: z.unknown().optional(),
    })
    .prefault({}),
  metrics: z.unknown().optional(),
  gridSamples: z.number().optional(),
  storage: z.string().optional(),
});
export type ConfigDraft = z.infer<typeof configDraft>;

/** A field of an imported file whose value is of the wrong type: the value as the file had it, and what is wrong. */
export interface InvalidDraftField {
  value: unknown;
  message: string;
}

/** The wrong-typed fields of a draft by config path, as kept with it (a stored draft's are read back through this). */
export const invalidDraftFields = z.record(z.string(), z.object({ value: z.unknown(), message: z.string() }));

/** An imported config: the draft of its well-typed fields, and its wrong-typed fields by config path (`loop.keep`). */
export interface ImportedConfigDraft {
  draft: ConfigDraft;
  invalid: Record<string, InvalidDraftField>;
}

/** The value at a path of plain JSON data, and a copy without it. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function without(root: unknown, path: readonly PropertyKey[]): unknown {
  if (path.length === 0 || root === null || typeof root !== 'object' || Array.isArray(root)) return undefined;
  const [k, ...rest] = path;
  const copy: Record<PropertyKey, unknown> = { ...(root as Record<PropertyKey, unknown>) };
  if (rest.length === 0) delete copy[k];
  else copy[k] = without(copy[k], rest);
  return copy;
}

/**
 * A config document (a parsed file, a preset, a stored draft) as a draft: each wrong-typed field moved into
 * `invalid` at its path (its value and the message in the product's terms), the rest kept as it is. A document that
 * is not an object is an empty draft with the whole document invalid (path '').
 */
export function importConfigDraft(document: unknown): ImportedConfigDraft {
  const invalid: Record<string, InvalidDraftField> = {};
  let rest = document;
  // each round removes at least one field, so the rounds end; a document nests only a few levels
  for (;;) {
    const r = configDraft.safeParse(rest, inProductTerms);
    if (r.success) return { draft: r.data, invalid };
    const issues = r.error.issues;
    const fields = fieldIssuesOf(r.error);
    for (let i = 0; i < issues.length; i++) {
      const path = issues[i].path;
      if (!(fields[i].path in invalid)) invalid[fields[i].path] = { value: valueAt(document, path), message: fields[i].message };
      rest = without(rest, path);
    }
    if (rest === undefined) rest = {};
  }
}
