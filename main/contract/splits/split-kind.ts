import type { TextKind, TextKindField } from '../text-kind';

/**
 * A way to divide the real training data into islands, as a config names it (`dirichlet:ALPHA`): its text, label and
 * numbers, free of engine code so that the contract and the renderer can read it. One file per split in ./kinds/;
 * ./catalog.ts lists them and main/islands/splits/registry.ts maps each name to its split function (the compiler asks
 * for every name).
 */
export interface SplitKindEntry<
  N extends string = string,
  F extends Record<string, TextKindField> = Record<string, TextKindField>,
> extends TextKind<N, F> {
  /** Divides the data by its class labels (a dataset without labels cannot take it). */
  needsLabels: boolean;
}

/** An entry with its name and numbers' types kept (the catalog's names and the parsed split's type derive from them). */
export function declareSplit<N extends string, F extends Record<string, TextKindField>>(entry: SplitKindEntry<N, F>): SplitKindEntry<N, F> {
  return entry;
}

/** The check of a concentration (α, β): a positive number. */
export const positive = (v: number): string | undefined => (v > 0 ? undefined : 'must be > 0');
