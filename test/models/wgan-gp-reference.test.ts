import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../main/backend/select-backend';
import { WganGpModel } from '../../main/models/wgan-gp';
import ref from '../fixtures/models/wgan_gp.json';
import { assignWeight, fromTorch, relErr } from './torch-reference';

describe.each(['cpu', 'wasm'] as const)('wgan-gp against PyTorch (float64 fixture) on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it('same generator output, critic loss with gradient penalty, and its gradient in every critic weight', () => {
    const m = new WganGpModel({ width: ref.width, noiseDim: ref.noiseDim }, [28, 28, 1]);
    m.initialise(0);
    for (const k of ['t1', 't2', 't3', 't4'] as const) assignWeight(m.gen.get(k), fromTorch(ref.generator[k], ref.generatorShapes[k]));
    for (const k of ['c1', 'c2', 'c3', 'c4'] as const) assignWeight(m.critic.get(k), fromTorch(ref.critic[k], ref.criticShapes[k]));
    assignWeight(m.critic.get('b4'), tf.tensor1d(ref.critic.b4));
    const b = ref.batch;
    const z = tf.tensor2d(ref.z, [b, ref.noiseDim]);
    const fake = m.generate(z);
    expect(relErr(fake.dataSync(), ref.fake)).toBeLessThan(1e-5);
    const real = tf.tensor4d(ref.real, [b, 28, 28, 1]);
    const eps = tf.tensor4d(ref.eps, [b, 1, 1, 1]);
    const fakeRef = tf.tensor4d(ref.fake, [b, 28, 28, 1]);
    const names = ['c1', 'c2', 'c3', 'c4', 'b4'] as const;
    const { value, grads } = tf.variableGrads(
      () => {
        const { penalty } = m.gradientPenalty(real, fakeRef, eps);
        return tf.add(tf.sub(tf.mean(m.score(fakeRef)), tf.mean(m.score(real))), penalty) as tf.Scalar;
      },
      names.map((n) => m.critic.get(n)),
    );
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
