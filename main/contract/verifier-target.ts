import { z } from 'zod';

/**
 * What a moment-based verifier (topalpha) scores candidates against, the `selection.target` field of the config:
 * - `island` (the default, also when the field is absent): the islands' moments chosen by `selection.reference`;
 * - `given`: an explicit mean u* and covariance Σ_bias, independent of any island;
 * - `shifted-real`: the biased target of the selection-bias paper's theory (seed 000, Theorems 1–2) as its public code
 *   draws it: u* = the real mean with the first round(fraction·d) coordinates shifted by N(0, shiftSd²) (seeded from
 *   the run seed), Σ_bias = covScale·Σ* with Σ* the real covariance. The real moments are the dataset's declared truth
 *   for the Gaussian and Gaussian-mixture toys in raw features; otherwise the pooled islands' moments, which only
 *   their means and covariances leave (see main/selection/verifier-target.ts).
 */
export const verifierTargetConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('island') }).strict(),
  z
    .object({
      kind: z.literal('given'),
      /** u*: one entry per feature of the selection space. */
      mean: z.array(z.number()).min(1),
      /** Σ_bias: a full symmetric positive definite matrix, a diagonal of variances, or one variance. */
      cov: z.union([z.number().positive(), z.array(z.number()).min(1), z.array(z.array(z.number()).min(1)).min(1)]),
    })
    .strict(),
  z
    .object({
      kind: z.literal('shifted-real'),
      /** Standard deviation of the shift of each shifted coordinate. */
      shiftSd: z.number().min(0).max(1e6).default(3),
      /** Share of the coordinates shifted (the first round(fraction·d) of them). */
      fraction: z.number().min(0).max(1).default(0.5),
      /** Σ_bias = covScale·Σ*. */
      covScale: z.number().gt(0).max(1e6).default(0.3),
    })
    .strict(),
]);
export type VerifierTargetConfig = z.infer<typeof verifierTargetConfig>;
