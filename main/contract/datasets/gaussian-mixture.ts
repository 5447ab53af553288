import { z } from 'zod';
import { declaredTruthConfig } from '../declared-truth';
import { declareDatasetKind } from './dataset-kind';

/** The Gaussian-mixture toy (seed 001's synthetic data): labelled draws of Σ_j w_j N(μ_j, Σ_j), generated. */
export const gaussianMixtureDeclaration = declareDatasetKind({
  kind: 'gaussian-mixture',
  label: 'Gaussian mixture',
  detail: 'labelled vectors from a GMM, generated',
  readsUserFiles: false,
  schema: z
    .object({
      kind: z.literal('gaussian-mixture'),
      dim: z.number().int().min(1).max(4096).default(1),
      /** Mixture weights (normalised to sum 1), one per component. */
      weights: z.array(z.number().positive()).min(1),
      /** One mean of `dim` entries per component. */
      means: z.array(z.array(z.number()).min(1)).min(1),
      /** Per component: a full covariance matrix, a diagonal of variances, or one variance. */
      covs: z.array(z.union([z.number().positive(), z.array(z.number()), z.array(z.array(z.number()))])).min(1),
      trainSize: z.number().int().min(2).max(10_000_000).default(1000),
      testSize: z.number().int().min(2).max(10_000_000).default(1000),
      /** The truth the metrics score against ("generating", a Gaussian or a mixture); the test split when absent. */
      truth: declaredTruthConfig.optional(),
    })
    .strict(),
  wizardDefaults: {
    kind: 'gaussian-mixture',
    dim: 1,
    weights: [0.5, 0.5],
    means: [[-2], [2]],
    covs: [0.25, 0.25],
    trainSize: 1000,
    testSize: 1000,
  },
  samplesAreImages: () => false,
});
