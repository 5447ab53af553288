import type { Preset } from './index';

/** Setup 2 of the WGAN/VAE study (2 critic steps per generator step, 3× the epochs), scaled to a 2-core CPU. */
export const wganGp2: Preset = {
  name: 'wgan-gp-2',
  description:
    'WGAN-GP of the WGAN/VAE study, setup 2: 2 critic steps per generator step and 3× the epochs of setup 1 ' +
    '(6/5 the critic updates, 3× the generator updates), λ = 10, Adam 2e-4, batch 64, critic accuracy on the MNIST ' +
    'test split; replace, 5 generations. Scaled for a 2-core CPU: width 16 (the study: 64), 1,000 images, 6 epochs. ' +
    'On a GPU (tensorflow backend): width 64, epochs 300, no dataset subset, generations 20, keep 60000.',
  expectedMinutes: 18,
  config: {
    name: 'wgan-gp-2',
    seed: 0,
    dataset: { kind: 'mnist', subset: 1000, testSubset: 1000 },
    islands: { count: 1, split: 'iid' },
    model: { kind: 'wgan-gp', params: { width: 16, epochs: 6, batchSize: 64, criticSteps: 2, evalSize: 1000 } },
    loop: { generations: 5, paradigm: 'replace', keep: 1000, ratio: 1 },
    selection: { scheme: 'none' },
    gridSamples: 64,
  },
};
