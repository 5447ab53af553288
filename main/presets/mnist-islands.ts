import type { Preset } from './index';

export const mnistIslands: Preset = {
  name: 'mnist-islands',
  description: 'MNIST over 10 islands, ExDir(1, 0.1) (one class per island), accumulate-subsample, N = 4n, MLP VAE, 10 generations.',
  expectedMinutes: 25,
  config: {
    name: 'mnist-islands',
    seed: 0,
    dataset: { kind: 'mnist', subset: 10_000, testSubset: 2000 },
    islands: { count: 10, split: 'exdir:1,0.1' },
    model: { kind: 'vae-mlp', params: { epochs: 10, batchSize: 128, latent: 20 } },
    loop: { generations: 10, paradigm: 'accumulate-subsample', keep: 5000, ratio: 4 },
    selection: { scheme: 'random' },
    gridSamples: 100,
  },
};
