import { z } from 'zod';
import { declaredTruthConfig } from '../declared-truth';
import { declareDatasetKind } from './dataset-kind';

/** The Gaussian toy: train and test draws of N(mean, cov) in `dim` dimensions, generated from the seed. */
export const gaussianDeclaration = declareDatasetKind({
  kind: 'gaussian',
  label: 'Gaussian toy',
  detail: 'vectors from N(μ, Σ), generated',
  builtinLabel: 'Gaussian toy (generated)',
  readsUserFiles: false,
  schema: z
    .object({
      kind: z.literal('gaussian'),
      dim: z.number().int().min(1).max(4096).default(10),
      /** The true mean; zeros when absent. */
      mean: z.array(z.number()).optional(),
      /** The true covariance (symmetric positive definite), or a diagonal of variances; identity when absent. */
      cov: z.union([z.array(z.array(z.number())), z.array(z.number())]).optional(),
      trainSize: z.number().int().min(2).max(10_000_000).default(1000),
      testSize: z.number().int().min(2).max(10_000_000).default(1000),
      /** The truth the metrics score against ("generating", a Gaussian or a mixture); the test split when absent. */
      truth: declaredTruthConfig.optional(),
    })
    .strict(),
  wizardDefaults: { kind: 'gaussian', dim: 10, trainSize: 1000, testSize: 1000 },
  samplesAreImages: () => false,
});
