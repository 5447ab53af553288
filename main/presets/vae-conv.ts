import type { Preset } from './index';

export const vaeConv: Preset = {
  name: 'vae-conv',
  description:
    'Convolutional VAE (stride-2 convs 32 → 64, latent 16, BCE + KL, Adam 1e-3) retrained on its own samples: MNIST, ' +
    '2,000 images, 5 epochs per generation, replace, 10 generations — the VAE collapse to one kind of image.',
  expectedMinutes: 18,
  config: {
    name: 'vae-conv',
    seed: 0,
    dataset: { kind: 'mnist', subset: 2000, testSubset: 1000 },
    islands: { count: 1, split: 'iid' },
    model: { kind: 'vae-conv', params: { channels: [32, 64], latent: 16, epochs: 5, batchSize: 128 } },
    loop: { generations: 10, paradigm: 'replace', keep: 2000, ratio: 1 },
    selection: { scheme: 'none' },
    gridSamples: 64,
  },
};
