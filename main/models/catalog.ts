import { z } from 'zod';

/**
 * The catalog of model kinds and their hyper-parameters, free of TensorFlow.js so that the contract (and the renderer)
 * can validate a config. Implementations are registered by kind in main/models/registry.ts.
 */
export const gaussianParams = z
  .object({
    /** Ridge added to the covariance diagonal after the maximum-likelihood fit. */
    ridge: z.number().min(0).max(1).default(1e-6),
  })
  .strict();

export const vaeMlpParams = z
  .object({
    latent: z.number().int().min(1).max(1024).default(20),
    hidden: z.array(z.number().int().min(1).max(8192)).min(1).max(6).default([400, 400]),
    epochs: z.number().int().min(1).max(1000).default(10),
    batchSize: z.number().int().min(1).max(8192).default(128),
    learningRate: z.number().positive().max(1).default(1e-3),
    /** Continue from the previous generation's weights instead of a fresh initialisation. */
    warmStart: z.boolean().default(false),
  })
  .strict();

export const modelCatalog = {
  gaussian: {
    label: 'Gaussian (maximum likelihood)',
    description: 'Mean and full covariance fitted by maximum likelihood: the model of the theory papers.',
    params: gaussianParams,
    imagesOnly: false,
  },
  'vae-mlp': {
    label: 'VAE (MLP)',
    description: 'Encoder 784-400-400 (LeakyReLU 0.2) to mean and log-variance; sigmoid decoder; BCE (sum) + KL; Adam.',
    params: vaeMlpParams,
    imagesOnly: false,
  },
} as const;

export type ModelKind = keyof typeof modelCatalog;
export const modelKinds = Object.keys(modelCatalog) as [ModelKind, ...ModelKind[]];
