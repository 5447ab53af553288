import type { Preset } from './index';

/** Seed 001's synthetic setting: a 1-D Gaussian mixture; the `truth` param repeats the dataset's spec for W2. */
export const mixture = { weights: [0.5, 0.5], means: [[-2], [2]], covs: [0.25, 0.25] };

export const diffusionExact: Preset = {
  name: 'diffusion-exact',
  description:
    'Diffusion with the exact score on a 1-D mixture of two Gaussians (seed 001): perfect score, reverse SDE stopped ' +
    'at a constant truncation time δ = 0.1, 20% fresh real data per generation (mixed:0.2), 30 generations. Records ' +
    'W2 to the data distribution and the energy in Hermite modes 0..8 per generation: the high modes fade first ' +
    '(a low-pass filter). Paradigm replace shows the full drift toward N(0, 1).',
  expectedMinutes: 1,
  config: {
    name: 'diffusion-exact',
    seed: 0,
    dataset: { kind: 'gaussian-mixture', dim: 1, ...mixture, trainSize: 2000, testSize: 2000 },
    islands: { count: 1, split: 'iid' },
    model: {
      kind: 'diffusion-exact',
      params: { components: 2, sampler: 'sde', steps: 100, truncation: { kind: 'constant', delta0: 0.1 }, truth: mixture, hermiteModes: 8 },
    },
    loop: { generations: 30, paradigm: 'mixed:0.2', keep: 2000, ratio: 1 },
    selection: { scheme: 'none' },
    gridSamples: 100,
  },
};
