import type { Preset } from './index';

/** Setup 1 of the WGAN/VAE study (5 critic steps per generator step), scaled to a 2-core CPU. */
export const wganGp5: Preset = {
  name: 'wgan-gp-5',
  description:
    'WGAN-GP of the WGAN/VAE study, setup 1: 5 critic steps per generator step, λ = 10, Adam 2e-4 (β 0.5, 0.9), ' +
    'batch 64, critic accuracy on the MNIST test split per generation; replace, 5 generations. Scaled for a 2-core ' +
    'CPU: width 16 (the study: 64), 1,000 images, 2 epochs (about 30 generator steps per generation, so the images ' +
    "stay noise-like: measured 2.5 min per generation on a loaded 2-core machine). The study's run on a GPU (tensorflow backend from " +
    '@tensorflow/tfjs-node-gpu): model.params width 64, epochs 100; dataset without subset; loop generations 20, ' +
    'keep 60000.',
  expectedMinutes: 13,
  config: {
    name: 'wgan-gp-5',
    seed: 0,
    dataset: { kind: 'mnist', subset: 1000, testSubset: 1000 },
    islands: { count: 1, split: 'iid' },
    model: { kind: 'wgan-gp', params: { width: 16, epochs: 2, batchSize: 64, criticSteps: 5, evalSize: 1000 } },
    loop: { generations: 5, paradigm: 'replace', keep: 1000, ratio: 1 },
    selection: { scheme: 'none' },
    gridSamples: 64,
  },
};
