import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Comparing the TensorFlow.js models with PyTorch fixtures: weight layouts, assignment, relative error. */

/** A PyTorch tensor in tfjs layout: conv [a, b, kh, kw] → [kh, kw, b, a] (Conv2d [out, in, …] and ConvTranspose2d
 * [in, out, …] alike); Linear [out, in] → [in, out]; a bias as is. */
export function fromTorch(values: number[], shape: number[]): tf.Tensor {
  return tf.tidy(() => {
    if (shape.length === 4) return tf.transpose(tf.tensor4d(values, shape as [number, number, number, number]), [2, 3, 1, 0]);
    if (shape.length === 2) return tf.transpose(tf.tensor2d(values, shape as [number, number]));
    return tf.tensor1d(values);
  });
}

/** Assign t to the model variable v (shapes must agree) and dispose t. */
export function assignWeight(v: tf.Variable, t: tf.Tensor): void {
  expect(t.shape).toEqual(v.shape);
  v.assign(t);
  t.dispose();
}

/** ‖a − b‖ / ‖b‖. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}
