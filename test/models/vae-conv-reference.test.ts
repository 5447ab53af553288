import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../main/backend/select-backend';
import { VaeConvModel } from '../../main/models/vae-conv';
import ref from '../fixtures/models/vae_conv.json';

type Name = keyof typeof ref.weights;

/** A PyTorch tensor in tfjs layout: conv [a, b, kh, kw] → [kh, kw, b, a]; Linear [out, in] → [in, out]; bias as is. */
function fromTorch(values: number[], shape: number[]): tf.Tensor {
  return tf.tidy(() => {
    if (shape.length === 4) return tf.transpose(tf.tensor4d(values, shape as [number, number, number, number]), [2, 3, 1, 0]);
    if (shape.length === 2) return tf.transpose(tf.tensor2d(values, shape as [number, number]));
    return tf.tensor1d(values);
  });
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

describe.each(['cpu', 'wasm'] as const)('vae-conv against PyTorch (float64 fixture) on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it('same loss (BCE from logits + KL, per sample) and gradient in every weight', () => {
    const m = new VaeConvModel({ channels: [2, 3], latent: 2 }, [8, 8, 1]);
    m.initialise(0);
    const names = Object.keys(ref.weights) as Name[];
    for (const n of names) {
      const v = m.weights.get(n);
      const t = fromTorch(ref.weights[n], ref.shapes[n]);
      expect(t.shape).toEqual(v.shape);
      v.assign(t);
      t.dispose();
    }
    const x = tf.tensor4d(ref.x, [2, 8, 8, 1]);
    const eps = tf.tensor2d(ref.eps, [2, 2]);
    const { value, grads } = tf.variableGrads(() => m.loss(x, eps), names.map((n) => m.weights.get(n)));
    expect(Math.abs(value.dataSync()[0] / ref.loss - 1)).toBeLessThan(1e-5);
    for (const n of names) {
      const g = fromTorch(ref.grads[n], ref.shapes[n]);
      expect(relErr(grads[m.weights.get(n).name].dataSync(), g.dataSync())).toBeLessThan(1e-4);
      g.dispose();
    }
    tf.dispose([x, eps, value, ...Object.values(grads)]);
    m.dispose();
  });
});
