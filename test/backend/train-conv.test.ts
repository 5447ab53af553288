import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../main/backend/select-backend';
import { Rng } from '../../main/util/random';
import { maxRelErr, randomArray, runOn } from './compare';

/** Conv nets train on wasm: a tiny conv classifier, and the pieces of a DDPM U-Net agree with cpu forward and back. */

/** 8×8 images of a horizontal (class 0) or vertical (class 1) bar at a random position, with noise. */
function bars(n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const r = new Rng(seed);
  const x = new Float32Array(n * 64);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = r.int(2);
    const pos = r.int(8);
    y[i] = cls;
    for (let p = 0; p < 64; p++) {
      const row = Math.floor(p / 8);
      const col = p % 8;
      x[i * 64 + p] = ((cls === 0 ? row : col) === pos ? 1 : 0) + 0.1 * r.normal();
    }
  }
  return { x, y };
}

describe('conv nets on wasm', () => {
  it('a tiny conv classifier trains (loss falls) on wasm', async () => {
    await initBackend('wasm');
    const data = bars(64, 1);
    const xs = tf.tensor4d(data.x, [64, 8, 8, 1]);
    const ys = tf.tensor2d(data.y, [64, 1]);
    const w1 = tf.variable(tf.tensor4d(randomArray(3 * 3 * 1 * 8, 2, 0.4), [3, 3, 1, 8]));
    const w2 = tf.variable(tf.tensor4d(randomArray(4 * 4 * 8 * 8, 3, 0.2), [4, 4, 8, 8]));
    const up = tf.variable(tf.tensor4d(randomArray(4 * 4 * 4 * 8, 4, 0.2), [4, 4, 4, 8]));
    const wOut = tf.variable(tf.tensor2d(randomArray(8 * 8 * 4, 5, 0.05), [8 * 8 * 4, 1]));
    const opt = tf.train.adam(0.01);
    const loss = () =>
      tf.tidy(() => {
        const h1 = tf.leakyRelu(tf.conv2d(xs, w1, 1, 'same'), 0.2);
        const h2 = tf.relu(tf.conv2d(h1, w2, 2, 1)); // 8 → 4
        const h3 = tf.relu(tf.conv2dTranspose(h2, up, [64, 8, 8, 4], 2, 1)); // 4 → 8
        const logits = tf.matMul(tf.reshape(h3, [64, 8 * 8 * 4]), wOut);
        return tf.losses.sigmoidCrossEntropy(ys, logits) as tf.Scalar;
      });
    const losses: number[] = [];
    for (let step = 0; step < 40; step++) {
      const l = opt.minimize(loss, true)!;
      losses.push(l.dataSync()[0]);
      l.dispose();
    }
    expect(losses[0]).toBeGreaterThan(0.5);
    expect(losses[losses.length - 1]).toBeLessThan(0.5 * losses[0]);
    tf.dispose([xs, ys, w1, w2, up, wOut]);
    opt.dispose();
  });

  it('a small DDPM-style U-Net gives the same loss and gradients on wasm and cpu', async () => {
    const n = 3;
    const x0 = randomArray(n * 8 * 8, 11);
    const noise = randomArray(n * 8 * 8, 12);
    const params: [string, number[]][] = [
      ['temb', [8, 16]],
      ['tproj', [16, 8]],
      ['c1', [3, 3, 1, 8]],
      ['c2', [4, 4, 8, 16]],
      ['c3', [3, 3, 24, 8]],
      ['c4', [3, 3, 8, 1]],
    ];
    const values = params.map(([, s], i) =>
      randomArray(
        s.reduce((a, b) => a * b),
        20 + i,
        0.3,
      ),
    );
    const silu = (t: tf.Tensor) => tf.mul(t, tf.sigmoid(t));
    const groupNorm = (t: tf.Tensor4D, groups: number) => {
      const [b, h, w, c] = t.shape;
      const g = tf.reshape(t, [b, h, w, groups, c / groups]);
      const { mean, variance } = tf.moments(g, [1, 2, 4], true);
      return tf.reshape(tf.div(tf.sub(g, mean), tf.sqrt(tf.add(variance, 1e-5))), [b, h, w, c]) as tf.Tensor4D;
    };
    const f = () => {
      const t = tf.tensor1d([1, 50, 400]);
      const freqs = tf.exp(tf.mul(tf.range(0, 4), -Math.log(1000) / 4));
      const angles = tf.mul(tf.reshape(t, [n, 1]), tf.reshape(freqs, [1, 4]));
      const emb = tf.concat([tf.sin(angles), tf.cos(angles)], 1);
      const x = tf.reshape(tf.add(tf.mul(tf.tensor1d(x0), 0.8), tf.mul(tf.tensor1d(noise), 0.6)), [n, 8, 8, 1]) as tf.Tensor4D;
      const loss = (temb: tf.Tensor2D, tproj: tf.Tensor2D, c1: tf.Tensor4D, c2: tf.Tensor4D, c3: tf.Tensor4D, c4: tf.Tensor4D) => {
        const te = tf.reshape(tf.matMul(silu(tf.matMul(emb, temb)), tproj), [n, 1, 1, 8]);
        const e1 = tf.add(silu(groupNorm(tf.conv2d(x, c1, 1, 'same'), 2)), te) as tf.Tensor4D;
        const d1 = silu(groupNorm(tf.conv2d(e1, c2, 2, 1), 16)) as tf.Tensor4D; // instance norm = one channel per group
        const u1 = tf.image.resizeNearestNeighbor(d1, [8, 8]);
        const h = silu(tf.conv2d(tf.concat([u1, e1], 3) as tf.Tensor4D, c3, 1, 'same'));
        const eps = tf.conv2d(h as tf.Tensor4D, c4, 1, 'same');
        return tf.mean(tf.squaredDifference(eps, tf.reshape(tf.tensor1d(noise), [n, 8, 8, 1]))) as tf.Scalar;
      };
      const tensors = params.map(([, s], i) => tf.tensor(values[i], s));
      const { value, grads } = tf.valueAndGrads(loss as never)(tensors);
      return [value, ...grads];
    };
    const wasm = await runOn('wasm', f);
    const cpu = await runOn('cpu', f);
    expect(Math.abs(wasm[0][0] - cpu[0][0]) / cpu[0][0]).toBeLessThan(1e-5);
    for (let i = 1; i < wasm.length; i++) expect(maxRelErr(wasm[i], cpu[i])).toBeLessThan(1e-4);
  });
});
