import type { Preset } from './index';

export const kde: Preset = {
  name: 'kde',
  description:
    'Gaussian KDE (Scott bandwidth), the non-parametric model of the self-consuming theory, on a 1-D mixture of two ' +
    "Gaussians: each generation trains on half fresh real data, half the previous generation's samples (mixed:0.5), " +
    '500 samples, 40 generations. Use paradigm replace to watch the estimate widen without bound.',
  expectedMinutes: 1,
  config: {
    name: 'kde',
    seed: 0,
    dataset: {
      kind: 'gaussian-mixture',
      dim: 1,
      weights: [0.4, 0.6],
      means: [[-2], [1.5]],
      covs: [0.3, 0.5],
      trainSize: 500,
      testSize: 2000,
    },
    islands: { count: 1, split: 'iid' },
    model: { kind: 'kde', params: { bandwidth: 'scott' } },
    loop: { generations: 40, paradigm: 'mixed:0.5', keep: 500, ratio: 1 },
    selection: { scheme: 'none' },
    gridSamples: 100,
  },
};
