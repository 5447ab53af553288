import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../main/backend/select-backend';
import { critic, gradientPenalty } from './tiny-critic';

/** WGAN-GP's double backprop (grads of grads through conv2d, conv2dTranspose, leakyRelu, instance norm, sqrt, square). */

interface Fixture {
  alpha: number;
  instanceNormEps: number;
  xReal: number[];
  xFake: number[];
  eps: number[];
  w1: number[];
  w2: number[];
  w3: number[];
  scores: number[];
  gradNorm: number[];
  penalty: number;
  dW1: number[];
  dW2: number[];
  dW3: number[];
}

const fx = JSON.parse(readFileSync(new URL('../fixtures/backend/gradient_penalty.json', import.meta.url), 'utf8')) as Fixture;

function maxRelErr(actual: ArrayLike<number>, expected: number[]): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    err = Math.max(err, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return err / scale;
}

async function penaltyOn(backend: 'wasm' | 'cpu') {
  await initBackend(backend);
  const e = tf.tensor(fx.eps, [2, 1, 1, 1]);
  const xHat = tf.add(
    tf.mul(e, tf.tensor4d(fx.xReal, [2, 8, 8, 1])),
    tf.mul(tf.sub(1, e), tf.tensor4d(fx.xFake, [2, 8, 8, 1])),
  ) as tf.Tensor4D;
  const w1 = tf.tensor4d(fx.w1, [4, 4, 1, 4]);
  const w2 = tf.tensor4d(fx.w2, [4, 4, 3, 4]);
  const w3 = tf.tensor4d(fx.w3, [4, 4, 3, 1]);
  const scores = critic(xHat, { w1, w2, w3 }, fx.alpha, fx.instanceNormEps).dataSync();
  const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
    gradientPenalty(xHat, { w1: a as tf.Tensor4D, w2: b as tf.Tensor4D, w3: c as tf.Tensor4D }, fx.alpha, fx.instanceNormEps),
  )([w1, w2, w3]);
  const out = {
    scores: Array.from(scores),
    penalty: value.dataSync()[0],
    dW: grads.map((g) => Array.from(g.dataSync())),
  };
  tf.disposeVariables();
  tf.dispose([e, xHat, w1, w2, w3, value, ...grads]);
  return out;
}

describe('gradient penalty (second-order gradients)', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`matches PyTorch float64 on ${backend}`, async () => {
      const r = await penaltyOn(backend);
      expect(maxRelErr(r.scores, fx.scores)).toBeLessThan(1e-5);
      expect(Math.abs(r.penalty - fx.penalty) / fx.penalty).toBeLessThan(1e-5);
      expect(maxRelErr(r.dW[0], fx.dW1)).toBeLessThan(1e-4);
      expect(maxRelErr(r.dW[1], fx.dW2)).toBeLessThan(1e-4);
      expect(maxRelErr(r.dW[2], fx.dW3)).toBeLessThan(1e-4);
    });
  }

  it('gives the same values on wasm and cpu', async () => {
    const a = await penaltyOn('wasm');
    const b = await penaltyOn('cpu');
    expect(Math.abs(a.penalty - b.penalty) / b.penalty).toBeLessThan(1e-5);
    for (let i = 0; i < 3; i++) expect(maxRelErr(a.dW[i], b.dW[i])).toBeLessThan(1e-4);
  });
});
