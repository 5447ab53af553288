import { z } from 'zod';
import { declareModelKind, neverWarmStarts } from '../model-kind';

export const wganGpParams = z
  .object({
    noiseDim: z.number().int().min(1).max(4096).default(100),
    /** Channels of the widest layer divided by 4: generator 4w → 2w → w → c, critic w → 2w → 4w → 1 (study: 64). */
    width: z.number().int().min(1).max(512).default(64),
    epochs: z.number().int().min(1).max(10_000).default(100),
    batchSize: z.number().int().min(2).max(8192).default(64),
    /** Critic steps per generator step (study: 5 in setup 1, 2 in setup 2). */
    criticSteps: z.number().int().min(1).max(100).default(5),
    gpWeight: z.number().min(0).max(1000).default(10),
    learningRate: z.number().positive().max(1).default(2e-4),
    beta1: z.number().min(0).lt(1).default(0.5),
    beta2: z.number().min(0).lt(1).default(0.9),
    /**
     * End the critic with a sigmoid as the study's code does. Off by default: a WGAN critic must be an unbounded
     * 1-Lipschitz potential; a sigmoid saturates, which caps the Wasserstein estimate and kills the gradients.
     */
    criticSigmoid: z.boolean().default(false),
    /** Real held-out images scored for the critic-accuracy diagnostic (0 turns it off). */
    evalSize: z.number().int().min(0).max(100_000).default(2000),
  })
  .strict();

export const wganGpKind = declareModelKind({
  kind: 'wgan-gp',
  label: 'WGAN-GP (convolutional)',
  description: "The WGAN/VAE study's WGAN-GP for 28×28 images: instance-norm conv generator and critic, λ = 10.",
  params: wganGpParams,
  imagesOnly: true,
  sampleChunk: 256,
  warmStarts: neverWarmStarts,
  // a critic step with its penalty: about 15 images/s; criticSteps of them per generator step
  cost: (p) => ({ train: 15 / Math.max(1, p.criticSteps / 5), sample: 2_000, epochs: p.epochs }),
});
