import { z } from 'zod';

/** The exact score's configurable error (score-error.ts): a gradient part and a solenoidal part, each with a magnitude. */
export const scoreErrorSpec = z
  .object({
    gradient: z
      .object({
        /** g in g·∇φ (0: none). */
        magnitude: z.number().min(0).max(100).default(0),
        /** φ = ½‖x − c‖² (widens the samples) or a bump w²·exp(−‖x − c‖²/2w²) (pulls them towards c locally). */
        potential: z.enum(['quadratic', 'bump']).default('quadratic'),
        /** c: zeros when absent. */
        center: z.array(z.number()).optional(),
        width: z.number().positive().max(100).default(1),
        /**
         * Each generation draws a sign per coordinate for g (e_i = ±g·∂_iφ, from the run's seed and the generation):
         * errors independent across generations, the regime where the accumulated divergence is the discounted sum of
         * their energies (Khelifa et al., arXiv 2602.16601). False: the same g every generation (a systematic error).
         */
        randomSign: z.boolean().default(false),
      })
      .strict()
      .default({ magnitude: 0, potential: 'quadratic', width: 1, randomSign: false }),
    solenoidal: z
      .object({
        /** s in s·J∇log p_t, divergence-free with respect to p_t (needs 2 or more dimensions). */
        magnitude: z.number().min(0).max(100).default(0),
      })
      .strict()
      .default({ magnitude: 0 }),
    /** Monte Carlo points per time of the error metrics (score-error-metrics.ts). */
    evalSamples: z.number().int().min(200).max(100_000).default(4000),
    /** Times between δ and the horizon at which the error metrics are integrated. */
    evalTimes: z.number().int().min(4).max(200).default(24),
  })
  .strict();
