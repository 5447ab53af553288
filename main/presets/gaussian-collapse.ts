import type { Preset } from './index';

export const gaussianCollapse: Preset = {
  name: 'gaussian-collapse',
  description: 'The Gaussian toy of the theory: d = 10, maximum-likelihood refit, 100 generations, 1,000 generated and 100 kept.',
  expectedMinutes: 1,
  config: {
    name: 'gaussian-collapse',
    seed: 0,
    dataset: { kind: 'gaussian', dim: 10, trainSize: 1000, testSize: 1000 },
    islands: { count: 1, split: 'iid' },
    model: { kind: 'gaussian', params: {} },
    loop: { generations: 100, paradigm: 'replace', keep: 100, ratio: 10 },
    selection: { scheme: 'random' },
    gridSamples: 100,
  },
};
