import type { Preset } from './index';

export const ddpmSmall: Preset = {
  name: 'ddpm-small',
  description:
    'A small DDPM (U-Net 16/32 channels, T = 1000, linear β, ε-prediction) with 10 DDIM steps, retrained on its own ' +
    'samples: MNIST, 500 images, 3 epochs, replace, 3 generations — sized for a 2-core CPU, so the images stay rough. ' +
    'GPU settings (tensorflow backend from @tensorflow/tfjs-node-gpu): model.params channels [64, 128], ' +
    'timeEmbedding 128, epochs 30, batchSize 128, samplingSteps 50; dataset without subset; keep 10000.',
  expectedMinutes: 10,
  config: {
    name: 'ddpm-small',
    seed: 0,
    dataset: { kind: 'mnist', subset: 500, testSubset: 1000 },
    islands: { count: 1, split: 'iid' },
    model: {
      kind: 'ddpm',
      params: { channels: [16, 32], timeEmbedding: 32, timesteps: 1000, epochs: 3, batchSize: 64, samplingSteps: 10, eta: 0 },
    },
    loop: { generations: 3, paradigm: 'replace', keep: 500, ratio: 1 },
    selection: { scheme: 'none' },
    gridSamples: 64,
  },
};
