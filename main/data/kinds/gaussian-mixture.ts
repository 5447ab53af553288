import { covarianceMemory } from '../covariance-memory';
import { gaussianMixtureDeclaration } from '../../contract/datasets/gaussian-mixture';
import type { DatasetKindEntry } from '../dataset-kind-entry';
import { makeGaussianMixtureToy } from '../gaussian-mixture-toy';

/** The Gaussian-mixture toy: generated from the config and the seed, so always available and sized by the config. */
export const gaussianMixtureEntry: DatasetKindEntry<'gaussian-mixture'> = {
  ...gaussianMixtureDeclaration,
  unavailableReason: () => undefined,
  load: (cfg, seed) =>
    makeGaussianMixtureToy(
      {
        dim: cfg.dim,
        weights: cfg.weights,
        means: cfg.means,
        covs: cfg.covs,
        trainSize: cfg.trainSize,
        testSize: cfg.testSize,
        truth: cfg.truth,
      },
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
