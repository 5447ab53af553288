import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../main/backend/select-backend';
import { DdpmModel, ddimStep } from '../../main/models/ddpm';
import { timestepEmbedding } from '../../main/models/ddpm-unet';
import { expectReproducibleSamples } from './reproducibility';
import { tinyImages } from './tiny-images';

const tiny = { channels: [4, 8] as [number, number], timeEmbedding: 8, timesteps: 50, samplingSteps: 5 };

describe('ddpm schedule and embedding', () => {
  it('linear β schedule, DDIM steps, sinusoidal embedding', () => {
    const m = new DdpmModel({ timesteps: 1000, samplingSteps: 4 }, [28, 28, 1]);
    expect(m.alphaBar[0]).toBeCloseTo(1 - 1e-4, 12);
    expect(m.alphaBar[1]).toBeCloseTo((1 - 1e-4) * (1 - (1e-4 + (0.02 - 1e-4) / 999)), 12);
    expect(m.alphaBar[999]).toBeGreaterThan(0);
    expect(m.alphaBar[999]).toBeLessThan(1e-4);
    expect(m.samplingSchedule()).toEqual([750, 500, 250, 0]);
    const e = timestepEmbedding([0, 3], 4);
    expect(Array.from(e.subarray(0, 4))).toEqual([0, 0, 1, 1]);
    expect(e[4]).toBeCloseTo(Math.sin(3), 6);
    expect(e[5]).toBeCloseTo(Math.sin(3e-4), 6);
    expect(() => new DdpmModel({ timesteps: 10, samplingSteps: 20 }, [28, 28, 1])).toThrow('exceeds');
    expect(() => new DdpmModel({}, [27, 28, 1])).toThrow('even');
  });
});

describe('DDIM update', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('with the exact ε of a point mass, deterministic DDIM follows x_t = √ᾱ c + √(1−ᾱ) z down to the point', () => {
    const m = new DdpmModel({ timesteps: 1000, samplingSteps: 20 }, [2, 2, 1]);
    const c = tf.tensor4d([0.3, -0.5, 0.9, 0], [1, 2, 2, 1]);
    const steps = m.samplingSchedule();
    // start from a sample of q(x_T | x_0 = c) with fixed noise
    const z = tf.tensor4d([0.7, -1.2, 0.1, 2.0], [1, 2, 2, 1]);
    const abT = m.alphaBar[steps[0]];
    let x = tf.add(tf.mul(c, Math.sqrt(abT)), tf.mul(z, Math.sqrt(1 - abT))) as tf.Tensor4D;
    for (let i = 0; i < steps.length; i++) {
      const ab = m.alphaBar[steps[i]];
      const abPrev = i + 1 < steps.length ? m.alphaBar[steps[i + 1]] : 1;
      const epsExact = tf.div(tf.sub(x, tf.mul(c, Math.sqrt(ab))), Math.sqrt(1 - ab)) as tf.Tensor4D;
      // deterministic DDIM keeps the same ε: x stays on the line c·√ᾱ + z·√(1−ᾱ)
      const y = ddimStep(x, epsExact, ab, abPrev, 0, null);
      const expected = tf.add(tf.mul(c, Math.sqrt(abPrev)), tf.mul(z, Math.sqrt(1 - abPrev)));
      const err = tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0];
      expect(err).toBeLessThan(1e-5);
      tf.dispose([x, epsExact, expected]);
      x = y;
    }
    const err = tf.max(tf.abs(tf.sub(x, c))).dataSync()[0];
    expect(err).toBeLessThan(1e-5);
    tf.dispose([x, c, z]);
  });
});

describe.each(['cpu', 'wasm'] as const)('ddpm on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it('the ε-prediction loss falls on a tiny slice; no leaks; seeded samples in [0, 1]; save → load', async () => {
    const m = new DdpmModel({ ...tiny, epochs: 6, batchSize: 8, learningRate: 3e-3 }, [16, 16, 1]);
    const data = tinyImages(32, 1, 16, 16, 1);
    const res = await m.fit(data, { seed: 1 });
    expect(res.epochLosses[0]).toBeLessThan(1.2);
    expect(res.epochLosses[5]).toBeLessThan(res.epochLosses[0] * 0.8);
    const before = tf.memory().numTensors;
    const s = await m.sample(3, 4);
    expect(tf.memory().numTensors).toBe(before);
    await expectReproducibleSamples(m, s, { n: 3, seed: 4, dim: 256 }, (dir) => DdpmModel.load(dir));
    m.dispose();
  });

  it('28×28, stochastic DDIM (η = 1), cancels', async () => {
    const m = new DdpmModel({ ...tiny, epochs: 1, batchSize: 8, eta: 1 }, [28, 28, 1]);
    const res = await m.fit(tinyImages(8, 2), { seed: 2 });
    expect(Number.isFinite(res.epochLosses[0])).toBe(true);
    const s = await m.sample(2, 1);
    expect(s.every((v) => v >= 0 && v <= 1)).toBe(true);
    const ac = new AbortController();
    ac.abort();
    await expect(m.fit(tinyImages(8, 2), { seed: 2, signal: ac.signal })).rejects.toThrow('cancelled');
    m.dispose();
  });
});
