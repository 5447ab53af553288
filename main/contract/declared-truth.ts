import { z } from 'zod';

/**
 * The distribution a toy dataset declares as its truth, in closed form: the metrics score against it (draws of it and
 * its exact moments and density) instead of the test split. Either `"generating"` (the distribution the dataset draws
 * its rows from), a Gaussian, or a Gaussian mixture, in the dataset's dimension. Example: the islands toy draws a
 * two-island mixture but declares N(0, I), the islands' barycenter, as the truth.
 */
export const declaredTruthConfig = z.union([
  z.literal('generating'),
  z
    .object({
      kind: z.literal('gaussian'),
      /** Zeros when absent. */
      mean: z.array(z.number()).optional(),
      /** A symmetric positive definite matrix, or a diagonal of variances; identity when absent. */
      cov: z.union([z.array(z.array(z.number())), z.array(z.number())]).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('gaussian-mixture'),
      /** Normalised to sum 1. */
      weights: z.array(z.number().positive()).min(1),
      means: z.array(z.array(z.number()).min(1)).min(1),
      /** Per component: a full covariance matrix, a diagonal of variances, or one variance. */
      covs: z.array(z.union([z.number().positive(), z.array(z.number()), z.array(z.array(z.number()))])).min(1),
    })
    .strict(),
]);
export type DeclaredTruthConfig = z.infer<typeof declaredTruthConfig>;
