import { z } from 'zod';
import type { SelectionWork } from '../scheme-kind';

/** Entropic OT settings shared by the OT schemes (cost ½‖x−y‖², ε = blur² in units of the real data's RMS radius). */
export const otSettingsParams = {
  /** geomloss's blur, relative to the real data's RMS radius (features are scaled to unit RMS radius). */
  blur: z.number().positive().max(10).default(0.05),
  /** Subtract the candidates' self-transport potential (a Sinkhorn divergence's debiasing), as the public code. */
  debias: z.boolean().default(true),
  /** ε shrinks by this factor per annealing stage (geomloss's scaling²). */
  epsilonRatio: z.number().gt(0).lt(1).default(0.25),
  itersPerStage: z.number().int().min(1).max(1000).default(3),
  maxIter: z.number().int().min(1).max(100_000).default(500),
  /** ‖Pᵀ1 − b‖₁ at which Sinkhorn stops (the total mass is 1); ranking is stable well before tight tolerances. */
  tol: z.number().positive().max(1).default(1e-2),
  /** The candidates' self-transport (debiasing) uses at most this many anchor candidates (seeded), each candidate's
   *  own atom kept exactly (main/ot/anchored-self-potential.ts): cost N·anchors instead of N². */
  anchors: z.number().int().min(100).max(1_000_000).default(2000),
};

/** Which islands score: all of them, or only the verifier island (the biased, single-island variant). */
export const otIslandsParam = z.enum(['all', 'verifier']).default('all');

/** Seconds per pair of points of an entropic OT problem (about 40 + d operations; npm run bench -- selection). */
export function otPairSeconds(work: SelectionWork): number {
  return (40 + work.featureDim) * 1.2e-9;
}
