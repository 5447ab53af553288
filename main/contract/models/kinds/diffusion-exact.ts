import { z } from 'zod';
import { closedFormCost, declareModelKind, neverWarmStarts } from '../model-kind';
import { gaussianMixtureSpec } from './gaussian-mixture-spec';
import { scoreErrorSpec } from './score-error-spec';
import { truncationSchedule } from './truncation-schedule';

export const diffusionExactParams = z
  .object({
    /** What the model takes as the data distribution: a k-component GMM fit (default) or the empirical measure. */
    estimator: z.enum(['gmm', 'empirical']).default('gmm'),
    /** Components of the GMM estimator (the known k of the data). */
    components: z.number().int().min(1).max(1000).default(2),
    covariance: z.enum(['full', 'diag']).default('full'),
    /** Reverse-time SDE, probability-flow ODE (both with the exact score), or a direct draw from p_δ. */
    sampler: z.enum(['sde', 'ode', 'exact']).default('sde'),
    /** Integrator of the reverse SDE: exponential Euler–Maruyama, or stochastic Heun (second order in the drift). */
    integrator: z.enum(['euler', 'heun']).default('euler'),
    /** Integration steps from the horizon down to δ (geometric time grid). */
    steps: z.number().int().min(1).max(100_000).default(200),
    /** Horizon T of the forward Ornstein–Uhlenbeck process; sampling starts from N(0, I) there. */
    horizon: z.number().positive().max(50).default(10),
    truncation: truncationSchedule.default({ kind: 'constant', delta0: 0.1, p: 1, gamma: 0.9 }),
    /** The true data distribution, for describeSamples' W2 (the gaussian-mixture dataset's spec). */
    truth: gaussianMixtureSpec.optional(),
    /** Highest Hermite mode K reported by describeSamples in one dimension. */
    hermiteModes: z.number().int().min(0).max(30).default(8),
    /**
     * The loop's share λ of fresh real data per generation (paradigm mixed:λ; 0 for replace), for describeSamples'
     * closed-form references in one dimension with a `truth` (main/models/truncation-recursion.ts): W₂ of the exact
     * recursion (w2Recursion) and of the constant schedule's limit (w2Limit). Absent: those are not reported.
     */
    recursionRealShare: z.number().min(0).max(1).optional(),
    /** An error of the exact score used by the sampler, and its metrics per generation (absent: the exact score). */
    scoreError: scoreErrorSpec.optional(),
  })
  .strict()
  .refine(
    (p) => !(p.sampler === 'exact' && p.scoreError && (p.scoreError.gradient.magnitude > 0 || p.scoreError.solenoidal.magnitude > 0)),
    {
      message: 'a score error needs a sampler that uses the score: sde or ode, not exact',
      path: ['sampler'],
    },
  );

export const diffusionExactKind = declareModelKind({
  kind: 'diffusion-exact',
  label: 'Diffusion with the exact score',
  description:
    'Ornstein–Uhlenbeck diffusion sampled with the closed-form score of a Gaussian-mixture fit, stopped at a truncation time δ per generation.',
  params: diffusionExactParams,
  imagesOnly: false,
  plainJs: true,
  warmStarts: neverWarmStarts,
  cost: (_p, data) => closedFormCost(data),
});
