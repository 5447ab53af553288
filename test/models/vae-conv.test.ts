import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../main/backend/select-backend';
import { VaeConvModel } from '../../main/models/vae-conv';
import { expectReproducibleSamples, expectSameFitForSameSeed } from './reproducibility';
import { tinyImages } from './tiny-images';

describe.each(['cpu', 'wasm'] as const)('vae-conv on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it('28×28: the loss falls on a tiny slice, no tensor leaks, seeded samples in [0, 1], save → load', async () => {
    const m = new VaeConvModel({ channels: [4, 8], latent: 4, epochs: 6, batchSize: 16, learningRate: 3e-3 }, [28, 28, 1]);
    const data = tinyImages(48, 1);
    const before = tf.memory().numTensors;
    const res = await m.fit(data, { seed: 1 });
    expect(res.epochLosses).toHaveLength(6);
    expect(res.epochLosses[5]).toBeLessThan(res.epochLosses[0] * 0.8);
    const vars = m.params.channels.length * 4 + 4; // weights and biases of the convs, the head and the decoder dense
    expect(tf.memory().numTensors).toBe(before + vars);
    await expectReproducibleSamples(m, await m.sample(4, 3), { n: 4, seed: 3, dim: 784 }, (dir) => VaeConvModel.load(dir));
    m.dispose();
  });

  it('the same seed gives the same fit', async () => {
    const make = () => new VaeConvModel({ channels: [4, 8], latent: 3, epochs: 1, batchSize: 8 }, [28, 28, 1]);
    await expectSameFitForSameSeed(make, tinyImages(16, 8), 9, 2);
  });

  it('general h×w×c (8×12×3, three layers would not divide: refused)', async () => {
    expect(() => new VaeConvModel({ channels: [4, 4, 4] }, [8, 12, 3])).toThrow('divisible by 8');
    const m = new VaeConvModel({ channels: [4, 8], latent: 3, epochs: 2, batchSize: 8 }, [8, 12, 3]);
    const res = await m.fit(tinyImages(16, 2, 8, 12, 3), { seed: 2 });
    expect(res.epochLosses.every(Number.isFinite)).toBe(true);
    expect(await m.sample(2, 1)).toHaveLength(2 * 8 * 12 * 3);
    const ac = new AbortController();
    ac.abort();
    await expect(m.fit(tinyImages(16, 2, 8, 12, 3), { seed: 2, signal: ac.signal })).rejects.toThrow('cancelled');
    m.dispose();
  });
});
