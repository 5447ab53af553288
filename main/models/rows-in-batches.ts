import * as tf from '@tensorflow/tfjs';

/**
 * n rows of `width` values each, made by a TensorFlow.js function `batch` rows at a time (bounding the tensors alive
 * at once): rowsOf(from, to) returns rows [from, to) as a tensor of (to − from)·width values; it runs inside a
 * tf.tidy. Returns them row-major as one Float32Array.
 */
export async function rowsInBatches(
  n: number,
  width: number,
  batch: number,
  rowsOf: (from: number, to: number) => tf.Tensor,
): Promise<Float32Array> {
  const out = new Float32Array(n * width);
  for (let from = 0; from < n; from += batch) {
    const to = Math.min(n, from + batch);
    const t = tf.tidy(() => rowsOf(from, to));
    out.set(await t.data(), from * width);
    t.dispose();
  }
  return out;
}
