import { mnistIslands } from '../mnist-islands';
import type { StudyPreset } from './index';

/**
 * The selection paper's comparison: the seven schemes on mnist-islands (10 islands, ExDir(1, 0.1): each island holds
 * one class; MLP VAE; accumulate-subsample; keep n = 5,000 of N = 20,000; 10 generations), the reference-based
 * baselines against verifier island 0 (the biased local verifier of the theory), selection in the reference
 * classifier's features, 3 seeds. About 10–40 minutes per run on 2 cores, 21 runs.
 */
export const selectionBiasIslands: StudyPreset = {
  name: 'selection-bias-islands',
  description:
    'Every selection scheme on mnist-islands (one class per island, MLP VAE, n = 5,000 of N = 20,000, 10 generations), ' +
    'baselines against the biased verifier island 0, 3 seeds: which scheme keeps the loop from collapsing?',
  expectedMinutes: 21 * 20,
  study: {
    name: 'selection-bias-islands',
    description: 'The seven selection schemes on mnist-islands, 3 seeds (was scripts/compare-selection.ts).',
    base: {
      ...mnistIslands.config,
      selection: { scheme: 'random', reference: 'local', verifier: 0, features: 'reference', params: {} },
    },
    axes: [{ path: 'selection.scheme', values: ['random', 'kmeans', 'center', 'covmatch', 'topalpha', 'ot-proxy', 'ot-barycenter'] }],
    seeds: 3,
  },
};
