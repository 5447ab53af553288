import { z } from 'zod';

/** The diffusion's truncation time δ per generation. */
export const truncationSchedule = z
  .object({
    /** For generation g: constant δ0; power δ0·(g + 1)^(−p); geometric δ0·γ^g (all start at δ0). */
    kind: z.enum(['constant', 'power', 'geometric']).default('constant'),
    delta0: z.number().positive().max(10).default(0.1),
    p: z.number().min(0).max(10).default(1),
    gamma: z.number().gt(0).max(1).default(0.9),
  })
  .strict();
