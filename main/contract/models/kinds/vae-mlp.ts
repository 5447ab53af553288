import { z } from 'zod';
import { declareModelKind } from '../model-kind';

export const vaeMlpParams = z
  .object({
    latent: z.number().int().min(1).max(1024).default(20),
    hidden: z.array(z.number().int().min(1).max(8192)).min(1).max(6).default([400, 400]),
    epochs: z.number().int().min(1).max(1000).default(10),
    batchSize: z.number().int().min(1).max(8192).default(128),
    learningRate: z.number().positive().max(1).default(1e-3),
    /** Continue from the previous generation's weights instead of a fresh initialisation. */
    warmStart: z.boolean().default(false),
    /**
     * 2 = data-parallel training on two wasm threads (each batch split into two shards; results differ from 1 thread
     * by float rounding). Not faster on the project's 2-vCPU machine (see main/models/vae-mlp-trainer.ts); may help on
     * machines with two real cores. Ignored (1) on other backends.
     */
    trainingThreads: z.union([z.literal(1), z.literal(2)]).default(1),
  })
  .strict();

/** Multiply-accumulates of the encoder's dense layers for one sample: the training cost scales with them. */
function encoderMacs(dim: number, hidden: number[]): number {
  return dim * hidden[0] + hidden.slice(1).reduce((s, h, i) => s + h * hidden[i], 0);
}

export const vaeMlpKind = declareModelKind({
  kind: 'vae-mlp',
  label: 'VAE (MLP)',
  description: 'Encoder 784-400-400 (LeakyReLU 0.2) to mean and log-variance; sigmoid decoder; BCE (sum) + KL; Adam.',
  params: vaeMlpParams,
  imagesOnly: false,
  sampleChunk: 4096,
  warmStarts: (p) => p.warmStart,
  // measured: about 1,200 images/s for 784-400-400 at batch 128 (wasm); the cost scales with the encoder's MACs
  cost: (p, data) => ({
    train: (1200 * encoderMacs(784, [400, 400])) / Math.max(encoderMacs(data.dim, p.hidden), 1),
    sample: 20_000,
    epochs: p.epochs,
  }),
  checks: (_p, config) =>
    // an MLP VAE fits vectors too, but its BCE loss needs data in [0, 1]
    config.datasetKind === 'gaussian'
      ? [
          {
            path: ['model', 'kind'],
            message: 'vae-mlp uses a Bernoulli (BCE) likelihood and needs data in [0, 1]; use it on image datasets',
          },
        ]
      : [],
});
