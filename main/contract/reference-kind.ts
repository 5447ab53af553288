import { z } from 'zod';

/**
 * Whose real data a reference-based baseline measures the candidates against: one verifier island (`local`, the
 * biased default of the islands setting), each island in turn (`per-island`), or all islands pooled (`pooled`, an
 * oracle that breaks privacy). The notes the UI shows for each are in main/selection/catalog.ts (referenceKinds).
 */
export const referenceKind = z.enum(['local', 'per-island', 'pooled']);
export type ReferenceKind = z.infer<typeof referenceKind>;

export const referenceKindNames: readonly ReferenceKind[] = referenceKind.options;
