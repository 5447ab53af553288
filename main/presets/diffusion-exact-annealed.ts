import type { Preset } from './index';
import { mixture } from './diffusion-exact';

export const diffusionExactAnnealed: Preset = {
  name: 'diffusion-exact-annealed',
  description:
    'As diffusion-exact, with the annealed truncation schedule δ_g = 0.1·(g + 1)^(−1) of seed 001: truncation times ' +
    'shrinking to 0 remove the recursive compounding, so W2 to the data stays near its first-generation value.',
  expectedMinutes: 1,
  config: {
    name: 'diffusion-exact-annealed',
    seed: 0,
    dataset: { kind: 'gaussian-mixture', dim: 1, ...mixture, trainSize: 2000, testSize: 2000 },
    islands: { count: 1, split: 'iid' },
    model: {
      kind: 'diffusion-exact',
      params: {
        components: 2,
        sampler: 'sde',
        steps: 100,
        truncation: { kind: 'power', delta0: 0.1, p: 1 },
        truth: mixture,
        hermiteModes: 8,
      },
    },
    loop: { generations: 30, paradigm: 'mixed:0.2', keep: 2000, ratio: 1 },
    selection: { scheme: 'none' },
    gridSamples: 100,
  },
};
