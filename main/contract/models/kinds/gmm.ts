import { z } from 'zod';
import { closedFormCost, declareModelKind, neverWarmStarts } from '../model-kind';

export const gmmParams = z
  .object({
    /** Number of mixture components. */
    k: z.number().int().min(1).max(1000).default(10),
    covariance: z.enum(['full', 'diag']).default('full'),
    maxIter: z.number().int().min(1).max(10_000).default(100),
    /** Stop when the mean log-likelihood gains less than this (sklearn's tol). */
    tol: z.number().positive().default(1e-3),
    /** Added to every covariance diagonal (sklearn's reg_covar). */
    ridge: z.number().min(0).max(1).default(1e-6),
    /** Lloyd iterations after the k-means++ seeding. */
    kmeansIter: z.number().int().min(0).max(1000).default(20),
  })
  .strict();

export const gmmKind = declareModelKind({
  kind: 'gmm',
  label: 'Gaussian mixture (EM)',
  description: 'k components, full or diagonal covariance, k-means++ initialisation, EM with a ridge.',
  params: gmmParams,
  imagesOnly: false,
  plainJs: true,
  warmStarts: neverWarmStarts,
  cost: (_p, data) => closedFormCost(data),
});
