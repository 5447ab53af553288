import type { Preset } from './index';

export const gmm: Preset = {
  name: 'gmm',
  description:
    'Gaussian mixture by EM (3 components, full covariance) refitted on its own samples: 2-D mixture of 3 Gaussians, ' +
    '500 samples per generation, replace, 50 generations — components drift and variances shrink.',
  expectedMinutes: 1,
  config: {
    name: 'gmm',
    seed: 0,
    dataset: {
      kind: 'gaussian-mixture',
      dim: 2,
      weights: [0.5, 0.3, 0.2],
      means: [
        [-4, 0],
        [3, 3],
        [3, -3],
      ],
      covs: [
        [
          [1, 0.5],
          [0.5, 1],
        ],
        [0.5, 2],
        [
          [1.5, -0.7],
          [-0.7, 1],
        ],
      ],
      trainSize: 500,
      testSize: 1000,
    },
    islands: { count: 1, split: 'iid' },
    model: { kind: 'gmm', params: { k: 3, covariance: 'full' } },
    loop: { generations: 50, paradigm: 'replace', keep: 500, ratio: 1 },
    selection: { scheme: 'none' },
    gridSamples: 100,
  },
};
