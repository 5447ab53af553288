import type { Preset } from './index';

/**
 * The Gaussian toy of the islands paper, with two islands: the truth is N(0, I₁₀); each island holds a site-shifted
 * copy N(δ_k, I), δ_k non-zero on half the coordinates (drawn once from N(0, 3²) and centred so that Σ_k δ_k = 0, which
 * makes the truth the islands' Wasserstein barycenter). The dataset is the two-component mixture, split one component
 * per island (ExDir(1, ·) with K = 2 classes). The verifier island's top-α selection (α = n/N = 0.1) pulls the mean to
 * its δ and collapses Tr(Σ_t) as a power law even under accumulate; switch the scheme to ot-barycenter to see the
 * collaborative reference hold the variance and the centre. The dataset declares N(0, I) as its truth, so FID, W₁,
 * precision/recall and the mean distance are scored against draws of it and W₂ to the truth is recorded (w2ToTruth).
 */
const delta = [
  [-1.16, 2.98, -1.65, 2.1, 0.01, 0, 0, 0, 0, 0],
  [1.16, -2.98, 1.65, -2.1, -0.01, 0, 0, 0, 0, 0],
];

export const gaussianIslandsSelection: Preset = {
  name: 'gaussian-islands-selection',
  description:
    'Gaussian toy with two biased islands (d = 10): top-α selection against one island collapses Tr(Σ) as a power law ' +
    'and drags the mean to that island; 30 generations, 1,000 generated and 100 kept, accumulate.',
  expectedMinutes: 1,
  config: {
    name: 'gaussian-islands-selection',
    seed: 3,
    // the truth is declared, so the metrics score against N(0, I) (not against the test split, the islands' mixture)
    dataset: {
      kind: 'gaussian-mixture',
      dim: 10,
      weights: [1, 1],
      means: delta,
      covs: [1, 1],
      trainSize: 200,
      testSize: 1000,
      truth: { kind: 'gaussian' },
    },
    islands: { count: 2, split: 'exdir:1,0.1' },
    model: { kind: 'gaussian', params: {} },
    loop: { generations: 30, paradigm: 'accumulate', keep: 100, ratio: 10 },
    selection: { scheme: 'topalpha', reference: 'local', verifier: 0, features: 'raw', params: {} },
    gridSamples: 100,
  },
};
