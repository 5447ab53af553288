import type { ParsedTextKind } from '../text-kind';
import { dirichletSplitKind } from './kinds/dirichlet';
import { exdirSplitKind } from './kinds/exdir';
import { iidSplitKind } from './kinds/iid';
import { quantitySplitKind } from './kinds/quantity';
import type { SplitKindEntry } from './split-kind';

/**
 * The catalog of island splits, in the order the wizard lists them: one entry each (./kinds/<name>.ts); the split
 * functions are registered by name in main/islands/splits/registry.ts.
 */
export const splitCatalog = {
  iid: iidSplitKind,
  dirichlet: dirichletSplitKind,
  exdir: exdirSplitKind,
  quantity: quantitySplitKind,
} as const satisfies { [N in string]: SplitKindEntry<N> };

export type SplitName = keyof typeof splitCatalog;
/** How the real training data is divided into islands, as parsed from its text: `{ kind: 'dirichlet', alpha: 0.5 }`. */
export type SplitSpec = ParsedTextKind<(typeof splitCatalog)[SplitName]>;
