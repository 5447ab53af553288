import { covarianceMemory } from '../covariance-memory';
import { gaussianDeclaration } from '../../contract/datasets/gaussian';
import type { DatasetKindEntry } from '../dataset-kind-entry';
import { makeGaussianToy } from '../gaussian-toy';

/** The Gaussian toy: generated from the config and the seed, so always available and sized by the config. */
export const gaussianEntry: DatasetKindEntry<'gaussian'> = {
  ...gaussianDeclaration,
  unavailableReason: () => undefined,
  load: (cfg, seed) =>
    makeGaussianToy(
      { dim: cfg.dim, mean: cfg.mean, cov: cfg.cov, trainSize: cfg.trainSize, testSize: cfg.testSize, truth: cfg.truth },
      seed,
    ),
  plannedSize: (cfg) => ({ trainN: cfg.trainSize, dim: cfg.dim }),
  facts: (cfg) => ({
    dim: cfg.dim,
    trainN: cfg.trainSize,
    testN: cfg.testSize,
    fileBytes: 0,
    field: 'dataset.trainSize',
    generator: covarianceMemory(cfg.dim),
  }),
};
