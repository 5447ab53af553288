import { textKindFamily } from './text-kind';
import { splitCatalog, type SplitName, type SplitSpec } from './splits/catalog';

export type { SplitName, SplitSpec };

/**
 * The island splits' texts (`iid`, `dirichlet:ALPHA`, `exdir:C,ALPHA` …), read and written in this one place from
 * their declarations (./splits): the config's schema, the engine's splitter, the wizard's step and the study panel
 * all go through it.
 */
export const splits = textKindFamily<(typeof splitCatalog)[SplitName]>('split', Object.values(splitCatalog));

/** The split of a text; an error naming the text and what is wrong with it. */
export function parseSplit(text: string): SplitSpec {
  return splits.parse(text);
}

/** The text of a split. */
export function formatSplit(s: SplitSpec): string {
  return splits.format(s);
}

/** A zod string that must parse as a split. */
export const splitText = splits.schema;

/** The split of a config that names none. */
export const defaultSplit = splitCatalog.iid.name;

/** The splits a dataset without class labels can take, as a choice (`iid or quantity:BETA`). */
export function splitsWithoutLabels(): string {
  return splits.kinds
    .filter((k) => !k.needsLabels)
    .map((k) => splits.usage(k))
    .join(' or ');
}
