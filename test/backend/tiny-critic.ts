import * as tf from '@tensorflow/tfjs';

/**
 * The tiny critic of test/fixtures/backend/make_gradient_penalty.py in TensorFlow.js (NHWC): conv2d → leakyRelu →
 * conv2dTranspose → instance norm → leakyRelu → conv2d → mean, and the WGAN-GP gradient penalty through it.
 */
export interface CriticWeights {
  w1: tf.Tensor4D;
  w2: tf.Tensor4D;
  w3: tf.Tensor4D;
}

export function critic(x: tf.Tensor4D, w: CriticWeights, alpha: number, inEps: number): tf.Tensor1D {
  const n = x.shape[0];
  const h1 = tf.leakyRelu(tf.conv2d(x, w.w1, 2, 1), alpha);
  const h2 = tf.conv2dTranspose(h1, w.w2, [n, 8, 8, w.w2.shape[2]], 2, 1);
  const { mean, variance } = tf.moments(h2, [1, 2], true);
  const h3 = tf.leakyRelu(tf.div(tf.sub(h2, mean), tf.sqrt(tf.add(variance, inEps))), alpha) as tf.Tensor4D;
  const h4 = tf.conv2d(h3, w.w3, 2, 1);
  return tf.mean(h4, [1, 2, 3]) as tf.Tensor1D;
}

/** mean over the batch of (‖∇ₓ D(x̂)‖₂ − 1)². */
export function gradientPenalty(xHat: tf.Tensor4D, w: CriticWeights, alpha: number, inEps: number): tf.Scalar {
  const grad = tf.grad((x: tf.Tensor) => tf.sum(critic(x as tf.Tensor4D, w, alpha, inEps)))(xHat);
  const norm = tf.sqrt(tf.sum(tf.square(grad), [1, 2, 3]));
  return tf.mean(tf.square(tf.sub(norm, 1))) as tf.Scalar;
}
