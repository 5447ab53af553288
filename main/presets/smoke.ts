import type { Preset } from './index';

export const smoke: Preset = {
  name: 'smoke',
  description: 'A whole small run on MNIST: 2,000 images, 2 islands, MLP VAE (8 epochs), 3 generations, random selection.',
  expectedMinutes: 1,
  config: {
    name: 'smoke',
    seed: 1,
    dataset: { kind: 'mnist', subset: 2000, testSubset: 1000 },
    islands: { count: 2, split: 'dirichlet:0.5' },
    model: { kind: 'vae-mlp', params: { epochs: 8, batchSize: 64, latent: 16 } },
    loop: { generations: 3, paradigm: 'accumulate-subsample', keep: 1000, ratio: 2 },
    selection: { scheme: 'random' },
    gridSamples: 64,
  },
};
