import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../main/backend/select-backend';
import { WganGpModel } from '../../main/models/wgan-gp';
import ref from '../fixtures/models/wgan_gp.json';

/** A PyTorch weight [a, b, kh, kw] (Conv2d [out, in, …] or ConvTranspose2d [in, out, …]) as tfjs [kh, kw, b, a]. */
function fromTorch(values: number[], shape: number[]): tf.Tensor4D {
  return tf.tidy(() => tf.transpose(tf.tensor4d(values, shape as [number, number, number, number]), [2, 3, 1, 0]));
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}

describe.each(['cpu', 'wasm'] as const)('wgan-gp against PyTorch (float64 fixture) on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it('same generator output, critic loss with gradient penalty, and its gradient in every critic weight', () => {
    const m = new WganGpModel({ width: ref.width, noiseDim: ref.noiseDim }, [28, 28, 1]);
    m.initialise(0);
    const set = (v: tf.Variable, t: tf.Tensor) => {
      expect(t.shape).toEqual(v.shape);
      v.assign(t);
      t.dispose();
    };
    for (const k of ['t1', 't2', 't3', 't4'] as const) set(m.gen.get(k), fromTorch(ref.generator[k], ref.generatorShapes[k]));
    for (const k of ['c1', 'c2', 'c3', 'c4'] as const) set(m.critic.get(k), fromTorch(ref.critic[k], ref.criticShapes[k]));
    set(m.critic.get('b4'), tf.tensor1d(ref.critic.b4));
    const b = ref.batch;
    const z = tf.tensor2d(ref.z, [b, ref.noiseDim]);
    const fake = m.generate(z);
    expect(relErr(fake.dataSync(), ref.fake)).toBeLessThan(1e-5);
    const real = tf.tensor4d(ref.real, [b, 28, 28, 1]);
    const eps = tf.tensor4d(ref.eps, [b, 1, 1, 1]);
    const fakeRef = tf.tensor4d(ref.fake, [b, 28, 28, 1]);
    const names = ['c1', 'c2', 'c3', 'c4', 'b4'] as const;
    const { value, grads } = tf.variableGrads(() => {
      const { penalty } = m.gradientPenalty(real, fakeRef, eps);
      return tf.add(tf.sub(tf.mean(m.score(fakeRef)), tf.mean(m.score(real))), penalty) as tf.Scalar;
    }, names.map((n) => m.critic.get(n)));
    expect(value.dataSync()[0]).toBeCloseTo(ref.loss, 2);
    expect(Math.abs(value.dataSync()[0] / ref.loss - 1)).toBeLessThan(1e-4);
    for (const n of names) {
      const v = m.critic.get(n);
      const torchGrad = n === 'b4' ? tf.tensor1d(ref.grads.b4) : fromTorch(ref.grads[n], ref.criticShapes[n]);
      expect(relErr(grads[v.name].dataSync(), torchGrad.dataSync())).toBeLessThan(1e-3);
      torchGrad.dispose();
    }
    tf.dispose([z, fake, real, eps, fakeRef, value, ...Object.values(grads)]);
    m.dispose();
  });
});
