import { z } from 'zod';
import { declareModelKind, neverWarmStarts } from '../model-kind';

export const ddpmParams = z
  .object({
    /** Diffusion steps T of training. */
    timesteps: z.number().int().min(2).max(10_000).default(1000),
    betaStart: z.number().positive().max(0.5).default(1e-4),
    betaEnd: z.number().positive().max(0.999).default(0.02),
    /** U-Net channels at the full and the half resolution. */
    channels: z.tuple([z.number().int().min(1).max(512), z.number().int().min(1).max(1024)]).default([32, 64]),
    timeEmbedding: z.number().int().min(2).max(1024).default(64),
    epochs: z.number().int().min(1).max(10_000).default(20),
    batchSize: z.number().int().min(1).max(8192).default(64),
    learningRate: z.number().positive().max(1).default(2e-4),
    /** DDIM sampling steps (≤ timesteps) and η (0 = deterministic DDIM, 1 ≈ DDPM's ancestral noise). */
    samplingSteps: z.number().int().min(1).max(10_000).default(50),
    eta: z.number().min(0).max(1).default(0),
  })
  .strict();

export const ddpmKind = declareModelKind({
  kind: 'ddpm',
  label: 'DDPM (small U-Net)',
  description: 'A compact two-resolution U-Net, linear β schedule, ε-prediction; DDIM sampling with fewer steps.',
  params: ddpmParams,
  imagesOnly: true,
  sampleChunk: 128,
  warmStarts: neverWarmStarts,
  // sampling runs the U-Net once per DDIM step
  cost: (p) => ({ train: 60, sample: 40 / Math.max(1, p.samplingSteps / 50), epochs: p.epochs }),
});
