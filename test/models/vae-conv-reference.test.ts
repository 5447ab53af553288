import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../main/backend/select-backend';
import { VaeConvModel } from '../../main/models/vae-conv';
import ref from '../fixtures/models/vae_conv.json';
import { assignWeight, fromTorch, relErr } from './torch-reference';

type Name = keyof typeof ref.weights;

describe.each(['cpu', 'wasm'] as const)('vae-conv against PyTorch (float64 fixture) on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it('same loss (BCE from logits + KL, per sample) and gradient in every weight', () => {
    const m = new VaeConvModel({ channels: [2, 3], latent: 2 }, [8, 8, 1]);
    m.initialise(0);
    const names = Object.keys(ref.weights) as Name[];
    for (const n of names) assignWeight(m.weights.get(n), fromTorch(ref.weights[n], ref.shapes[n]));
    const x = tf.tensor4d(ref.x, [2, 8, 8, 1]);
    const eps = tf.tensor2d(ref.eps, [2, 2]);
    const { value, grads } = tf.variableGrads(
      () => m.loss(x, eps),
      names.map((n) => m.weights.get(n)),
    );
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
