import { z } from 'zod';
import { declareModelKind, neverWarmStarts } from '../model-kind';

export const vaeConvParams = z
  .object({
    latent: z.number().int().min(1).max(1024).default(16),
    /** Channels of the stride-2 encoder convolutions (the decoder mirrors them); one halving of h and w per entry. */
    channels: z.array(z.number().int().min(1).max(1024)).min(1).max(5).default([32, 64]),
    epochs: z.number().int().min(1).max(1000).default(10),
    batchSize: z.number().int().min(1).max(8192).default(128),
    learningRate: z.number().positive().max(1).default(1e-3),
  })
  .strict();

export const vaeConvKind = declareModelKind({
  kind: 'vae-conv',
  label: 'VAE (convolutional)',
  description: 'Stride-2 convolutional encoder, transposed-convolution decoder, BCE (sum) + KL; even image sizes.',
  params: vaeConvParams,
  imagesOnly: true,
  sampleChunk: 256,
  warmStarts: neverWarmStarts,
  cost: (p) => ({ train: 300, sample: 5_000, epochs: p.epochs }),
});
