import { z } from 'zod';

/** A Gaussian mixture as the gaussian-mixture dataset declares it (weights normalised to sum 1 where it is used). */
export const gaussianMixtureSpec = z
  .object({
    weights: z.array(z.number().positive()).min(1),
    means: z.array(z.array(z.number()).min(1)).min(1),
    /** Per component: a full covariance matrix, a diagonal of variances, or one variance. */
    covs: z.array(z.union([z.number().positive(), z.array(z.number()), z.array(z.array(z.number()))])).min(1),
  })
  .strict();
