import { z } from 'zod';

/**
 * The catalog of selection schemes (names, labels, parameters), free of engine code so that the contract and the
 * renderer can validate a config. Implementations are registered by name in main/selection/registry.ts.
 */
export const selectionCatalog = {
  none: {
    label: 'None (keep the first n candidates)',
    description: 'No filter: the first n of the N candidates are kept, which is the same as generating n.',
    usesReference: false,
    params: z.object({}).strict(),
  },
  random: {
    label: 'Random',
    description: 'A uniformly random subset of n of the N candidates.',
    usesReference: false,
    params: z.object({}).strict(),
  },
} as const;

export type SchemeName = keyof typeof selectionCatalog;
export const schemeNames = Object.keys(selectionCatalog) as [SchemeName, ...SchemeName[]];
