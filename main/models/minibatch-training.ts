import * as tf from '@tensorflow/tfjs';
import type { Samples } from '../data/samples';
import type { Rng } from '../util/random';
import { CancelledError, type FitOptions } from './generative-model';
import { yieldToEventLoop } from './tf-params';

/**
 * The training loop of the TensorFlow.js models that minimise one loss with one Adam optimiser (conv VAE, DDPM): each
 * epoch a fresh permutation of the rows from `rng`, batches of `batchSize` rows in that order, one Adam step per batch,
 * an abort check before each batch, the running mean loss per sample reported after it, and the event loop let through
 * between batches. Returns the mean loss per sample of each epoch.
 */
export async function trainMinibatches(
  data: Samples,
  schedule: { epochs: number; batchSize: number; learningRate: number },
  opts: FitOptions,
  rng: Rng,
  variables: tf.Variable[],
  /**
   * The loss of rows order[from..to) as a function for tf.variableGrads (its mean over the batch, per sample). Called
   * inside a tf.tidy; it may draw from `rng` (noise), which then follows the batch's permutation in the stream.
   */
  batchLoss: (order: Int32Array, from: number, to: number) => () => tf.Scalar,
): Promise<number[]> {
  const { epochs, batchSize } = schedule;
  const opt: tf.Optimizer = tf.train.adam(schedule.learningRate);
  const batches = Math.ceil(data.n / batchSize);
  const epochLosses: number[] = [];
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = rng.permutation(data.n);
      let sum = 0;
      for (let bi = 0; bi < batches; bi++) {
        if (opts.signal?.aborted) throw new CancelledError();
        const from = bi * batchSize;
        const to = Math.min(data.n, from + batchSize);
        const loss = await minibatchStep(opt, variables, () => batchLoss(order, from, to));
        sum += loss * (to - from);
        opts.onProgress?.({ epoch, epochs, batch: bi + 1, batches, loss: sum / to });
        await yieldToEventLoop();
      }
      epochLosses.push(sum / data.n);
    }
  } finally {
    opt.dispose();
  }
  return epochLosses;
}

/**
 * One optimiser step: the loss that `makeLoss` builds (inside a tf.tidy, so its batch tensors are freed), its gradients
 * with respect to `variables`, applied by `opt`. Returns the loss, read asynchronously (the webgpu backend has no
 * synchronous read in Node).
 */
export async function minibatchStep(opt: tf.Optimizer, variables: tf.Variable[], makeLoss: () => () => tf.Scalar): Promise<number> {
  const value = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(makeLoss(), variables);
    opt.applyGradients(grads);
    return value;
  });
  return readScalar(value);
}

/** The value of a scalar tensor, read asynchronously; the tensor is disposed. */
export async function readScalar(t: tf.Tensor): Promise<number> {
  try {
    return (await t.data())[0];
  } finally {
    t.dispose();
  }
}
