import * as tf from '@tensorflow/tfjs';
import { LEAK, type VaeMlpArch } from './vae-mlp-net';

/**
 * The VAE-MLP's loss and its gradients written out by hand (the same function as `vaeLoss` in vae-mlp-net.ts), for the
 * wasm backend, where tfjs's autograd spent about a third of a training step outside the matrix products (measured per
 * kernel in CPU time, batch 128, 784-400-400-20: the softplus gradient, LeakyReLU's Greater/Select/Multiply gradient,
 * the per-op bookkeeping of the tape). Here:
 *   - each dense layer's forward pass is one fused kernel (product + bias + LeakyReLU), whose output is kept: since
 *     LeakyReLU keeps the sign, its derivative is step(output) (1 above zero, 0.2 else), one kernel;
 *   - the reconstruction term's gradient is (σ(logits) − x) / divisor in one expression (no softplus gradient);
 *   - the KL term's gradient is added to the latent gradient in closed form (μ / divisor, (e^{logvar} − 1) / (2·divisor));
 *   - no gradient is computed for the input x.
 * The loss value is the same expression as `vaeLoss`. Results differ from the autograd's by float rounding only
 * (the cpu backend keeps the autograd path, so its runs are unchanged).
 */

/** Loss and gradients (in parameter order) of one shard: x [b, dim], eps [b, latent]. The caller disposes them. */
export function vaeLossAndGrads(
  arch: VaeMlpArch,
  p: tf.Tensor[],
  x: tf.Tensor2D,
  eps: tf.Tensor2D,
  divisor: number,
): { loss: tf.Scalar; grads: tf.Tensor[] } {
  return tf.tidy(() => {
    const L = arch.hidden.length;
    const latent = arch.latent;
    const dense = (a: tf.Tensor2D, k: number, leaky: boolean): tf.Tensor2D =>
      tf.fused.matMul({
        a,
        b: p[k] as tf.Tensor2D,
        bias: p[k + 1],
        ...(leaky ? { activation: 'leakyrelu' as const, leakyreluAlpha: LEAK } : {}),
      }) as tf.Tensor2D;
    // forward: the input of every layer, in parameter order
    const inputs: tf.Tensor2D[] = [];
    let h = x;
    let k = 0;
    for (let i = 0; i < L; i++, k += 2) {
      inputs.push(h);
      h = dense(h, k, true);
    }
    inputs.push(h);
    const head = dense(h, k, false);
    k += 2;
    const mu = tf.slice(head, [0, 0], [-1, latent]);
    const logVar = tf.slice(head, [0, latent], [-1, latent]);
    const std = tf.exp(tf.mul(logVar, 0.5));
    const z = tf.add(mu, tf.mul(std, eps)) as tf.Tensor2D;
    h = z;
    for (let i = 0; i < L; i++, k += 2) {
      inputs.push(h);
      h = dense(h, k, true);
    }
    inputs.push(h);
    const logits = dense(h, k, false);
    const varExp = tf.exp(logVar);
    const bce = tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits)));
    const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mu)), varExp)));
    const loss = tf.div(tf.add(bce, kl), divisor) as tf.Scalar;

    // backward, last layer first; grads[2l] = ∂/∂W_l, grads[2l + 1] = ∂/∂b_l
    const grads: tf.Tensor[] = new Array(p.length);
    /** Gradients of layer l from the gradient `d` of its output (before the activation); returns ∂/∂(its input). */
    const layerBack = (l: number, d: tf.Tensor2D, needInput: boolean): tf.Tensor2D | null => {
      grads[2 * l] = tf.matMul(inputs[l], d, true, false);
      grads[2 * l + 1] = tf.sum(d, 0);
      return needInput ? (tf.matMul(d, p[2 * l], false, true) as tf.Tensor2D) : null;
    };
    const throughLeaky = (dOut: tf.Tensor2D, out: tf.Tensor2D): tf.Tensor2D => tf.mul<tf.Tensor2D>(dOut, tf.step(out, LEAK));
    const last = 2 * L + 1;
    let d = tf.div(tf.sub(tf.sigmoid(logits), x), divisor) as tf.Tensor2D;
    for (let l = last; l > L + 1; l--) d = throughLeaky(layerBack(l, d, true)!, inputs[l]);
    const dz = layerBack(L + 1, d, true)!;
    const dMu = tf.add<tf.Tensor2D>(dz, tf.div(mu, divisor));
    const dLogVar = tf.add<tf.Tensor2D>(tf.mul(tf.mul(dz, eps), tf.mul(std, 0.5)), tf.div(tf.sub(varExp, 1), 2 * divisor));
    d = tf.concat2d([dMu, dLogVar], 1);
    for (let l = L; l >= 0; l--) {
      const dIn = layerBack(l, d, l > 0);
      if (l > 0) d = throughLeaky(dIn!, inputs[l]);
    }
    return { loss, grads };
  });
}
