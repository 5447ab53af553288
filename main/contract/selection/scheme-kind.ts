import type { z } from 'zod';
import type { KindCheckContext, KindCheckIssue } from '../kind-check';

/**
 * Everything the lab knows of a selection scheme apart from its implementation, free of engine code so that the
 * contract and the renderer can import it: names, what it reads and what leaves the islands, parameter schema, cost
 * model of the duration estimate and cross-field checks. One file per scheme in ./kinds/; main/selection/catalog.ts
 * lists them and main/selection/registry.ts maps each name to its implementation (the compiler asks for every name).
 */
export interface SchemeKindEntry<N extends string = string, S extends z.ZodType = z.ZodType> {
  name: N;
  label: string;
  /** One or two sentences shown under the label. */
  description: string;
  /** Reads `selection.reference` (local | per-island | pooled). */
  usesReference: boolean;
  /** Looks at the candidates' features at all (when not, no feature map is computed). */
  usesFeatures: boolean;
  /** Aims at `selection.target` when one other than the islands is given (a moment-based verifier). */
  usesTarget: boolean;
  /**
   * Chooses which candidates to keep (false for `none`, which keeps the first n: its extra candidates are merely
   * unused, so a run records no rejected grid for it).
   */
  decides: boolean;
  /** What leaves each island under this scheme, shown beside it. */
  privacy: string;
  /** The scheme's `selection.params` (strict, every field with its default): validation fills the defaults in. */
  params: S;
  /** Seconds per generation of its dominant work on the project's 2-core machine, for the duration estimate. */
  seconds(params: z.output<S>, work: SelectionWork): number;
  /** Checks across config sections (the params alone are checked by `params`); issues at paths from the config root. */
  checks?(params: z.output<S>, config: KindCheckContext): KindCheckIssue[];
}

/** The size of one generation's selection, for a cost model. */
export interface SelectionWork {
  /** N: candidates to select from. */
  candidates: number;
  /** n: candidates kept. */
  keep: number;
  /** Values per candidate in the feature space the scheme works in. */
  featureDim: number;
  /** Real training samples, all islands together. */
  realSize: number;
  /** Number of islands. */
  islands: number;
}

/** An entry with its name and params types kept (the catalog's names and the params' output types derive from them). */
export function declareScheme<N extends string, S extends z.ZodType>(entry: SchemeKindEntry<N, S>): SchemeKindEntry<N, S> {
  return entry;
}

/** Scoring every candidate against reference moments (a d × d covariance): N·d² operations at about 1e9 per second. */
export function momentScoringSeconds(work: SelectionWork): number {
  return (work.candidates * work.featureDim * work.featureDim) / 1e9;
}

/** A scheme that does no work worth estimating. */
export const noSeconds = (): number => 0;
