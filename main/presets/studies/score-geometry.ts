import type { StudyPreset } from './index';

/** The data: three Gaussians in the plane (the truth the model is scored against). */
const truth = {
  weights: [1, 1, 1],
  means: [
    [-2, 0],
    [2, 0],
    [0, 2.5],
  ],
  covs: [0.4, 0.4, 0.4],
};

/**
 * Score-error geometry (the second abstract of seed 001): the exact-score diffusion model retrained on its own samples,
 * sampling with a score error that is either purely solenoidal (s·J∇log p_t, divergence-free with respect to p_t) or
 * purely a gradient (g·∇φ, φ = ½‖x‖²). The first sweep raises the L² score error by two orders of magnitude while the
 * samples stay exact (their distance to exact sampling does not move) and the gradient component stays ≈ 0; in the
 * second the L² error, its gradient component and the samples' distance grow together. `collapse-lab study correlate
 * score-geometry --x scoreErrorL2,scoreErrorGradient --y energyToExact` gives the correlation of each error measure
 * with sample quality over all runs, as the paper reports.
 */
export const scoreGeometry: StudyPreset = {
  name: 'score-geometry',
  description:
    'Exact-score diffusion with a score error: solenoidal magnitude swept with no gradient part, then gradient magnitude swept ' +
    'with no solenoidal part (2-D, three Gaussians, 4 generations of retraining, 2 seeds). The L² error grows while the samples ' +
    'stay exact under the solenoidal sweep; only the gradient component tracks sample quality.',
  expectedMinutes: 10,
  study: {
    name: 'score-geometry',
    description:
      'Claim (seed 001, second abstract): a score error can be arbitrarily large in L² while sampling stays exact, because only its ' +
      'gradient component with respect to the density enters the Fokker–Planck dynamics; that component, estimated by a dual ' +
      'Sobolev form, bounds the KL and tracks sample quality far better than the L² error.',
    base: {
      dataset: { kind: 'gaussian-mixture', dim: 2, ...truth, trainSize: 2000, testSize: 2000 },
      islands: { count: 1, split: 'iid' },
      model: {
        kind: 'diffusion-exact',
        params: {
          components: 3,
          sampler: 'sde',
          integrator: 'heun',
          horizon: 6,
          steps: 200,
          truncation: { kind: 'constant', delta0: 0.01 },
          truth,
          scoreError: {
            gradient: { magnitude: 0, potential: 'quadratic' },
            solenoidal: { magnitude: 0 },
            evalSamples: 4000,
            evalTimes: 24,
          },
        },
      },
      loop: { generations: 4, paradigm: 'replace', keep: 2000, ratio: 1 },
      selection: { scheme: 'none' },
      metrics: { downstream: false },
      gridSamples: 100,
    },
    axes: [
      {
        zip: [
          { path: 'model.params.scoreError.solenoidal.magnitude', values: [0, 0.25, 0.5, 1, 2, 0, 0, 0, 0] },
          { path: 'model.params.scoreError.gradient.magnitude', values: [0, 0, 0, 0, 0, 0.05, 0.1, 0.2, 0.4] },
        ],
      },
    ],
    seeds: 2,
  },
};
