import type { ParsedTextKind } from '../text-kind';
import { accumulateParadigm } from './kinds/accumulate';
import { accumulateSubsampleParadigm } from './kinds/accumulate-subsample';
import { accumulateSyntheticParadigm } from './kinds/accumulate-synthetic';
import { mixedParadigm } from './kinds/mixed';
import { replaceParadigm } from './kinds/replace';
import type { ParadigmKindEntry } from './paradigm-kind';

/**
 * The catalog of paradigms, in the order the wizard lists them: one entry each (./kinds/<name>.ts); the code that
 * builds each one's training set is registered by name in main/loop/paradigms/registry.ts.
 */
export const paradigmCatalog = {
  replace: replaceParadigm,
  accumulate: accumulateParadigm,
  'accumulate-synthetic': accumulateSyntheticParadigm,
  'accumulate-subsample': accumulateSubsampleParadigm,
  mixed: mixedParadigm,
} as const satisfies { [N in string]: ParadigmKindEntry<N> };

export type ParadigmName = keyof typeof paradigmCatalog;
/** Which data each generation after the first trains on, as parsed from its text: `{ kind: 'mixed', realFraction: 0.5 }`. */
export type Paradigm = ParsedTextKind<(typeof paradigmCatalog)[ParadigmName]>;
