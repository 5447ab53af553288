import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../main/backend/select-backend';
import { loadMnist } from '../../main/data/mnist';
import type { Samples } from '../../main/data/samples';
import { ADAM_DEFAULTS, adamStep } from '../../main/models/adam-flat';
import { CancelledError, type FitProgress } from '../../main/models/generative-model';
import { loadModel } from '../../main/models/registry';
import { VaeMlpModel } from '../../main/models/vae-mlp';
import { VaeMlpShard, initParams, paramCount } from '../../main/models/vae-mlp-net';
import { VaeMlpTrainer, closeTrainingPeers } from '../../main/models/vae-mlp-trainer';
import { Rng } from '../../main/util/random';

interface Reference {
  arch: { dim: number; hidden: number[]; latent: number };
  params: number[];
  x: number[];
  eps: number[];
  loss: number;
  grad: number[];
  adam: { lr: number; p0: number[]; grads: number[][]; after: number[][] };
}
const ref = JSON.parse(readFileSync(new URL('../fixtures/models/vae_mlp_reference.json', import.meta.url), 'utf8')) as Reference;

const { train: mnistTrain } = await loadMnist();

function mnistSlice(n: number): Samples {
  const train = mnistTrain;
  return { x: train.x.subarray(0, n * train.dim), n, dim: train.dim };
}

const small = { hidden: [64], latent: 8, batchSize: 100, epochs: 2 };

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vae-mlp-test-'));
}

afterAll(async () => {
  await closeTrainingPeers();
});

describe('VAE-MLP loss and optimiser against PyTorch float64', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`loss and gradient match on ${backend} (also split into two shards)`, async () => {
      await initBackend(backend);
      const shard = new VaeMlpShard(ref.arch);
      shard.setParams(Float32Array.from(ref.params));
      const x = Float32Array.from(ref.x);
      const grad = new Float32Array(paramCount(ref.arch));
      const loss = shard.lossAndGrads(x, [0, 1, 2], Float32Array.from(ref.eps), 3, grad);
      expect(loss).toBeCloseTo(ref.loss, 4);
      let err = 0;
      for (let i = 0; i < grad.length; i++) err = Math.max(err, Math.abs(grad[i] - ref.grad[i]));
      expect(err).toBeLessThan(1e-4);
      // shards [0] and [1, 2] with the full batch as divisor sum to the same loss and gradient
      const g0 = new Float32Array(grad.length);
      const g1 = new Float32Array(grad.length);
      const l0 = shard.lossAndGrads(x, [0], Float32Array.from(ref.eps.slice(0, 2)), 3, g0);
      const l1 = shard.lossAndGrads(x, [1, 2], Float32Array.from(ref.eps.slice(2)), 3, g1);
      expect(l0 + l1).toBeCloseTo(ref.loss, 4);
      for (let i = 0; i < grad.length; i++) expect(g0[i] + g1[i]).toBeCloseTo(ref.grad[i], 4);
      shard.dispose();
    });
  }

  it('adamStep follows torch.optim.Adam', () => {
    const p = Float32Array.from(ref.adam.p0);
    const m = new Float32Array(p.length);
    const v = new Float32Array(p.length);
    ref.adam.grads.forEach((g, t) => {
      adamStep({ lr: ref.adam.lr, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, t + 1, p, m, v, [Float32Array.from(g)]);
      for (let i = 0; i < p.length; i++) expect(p[i]).toBeCloseTo(ref.adam.after[t][i], 6);
    });
  });
});

describe('VAE-MLP on MNIST', () => {
  it('loss falls over a few epochs on 1,000 images (wasm, the study architecture)', async () => {
    await initBackend('wasm');
    const model = new VaeMlpModel({ epochs: 3 }, [28, 28, 1]);
    const fit = await model.fit(mnistSlice(1000), { seed: 1 });
    expect(fit.epochLosses).toHaveLength(3);
    expect(fit.epochLosses[0]).toBeGreaterThan(200); // starts near 784·log 2 ≈ 543 per image
    expect(fit.epochLosses[2]).toBeLessThan(0.8 * fit.epochLosses[0]);
    for (let e = 1; e < 3; e++) expect(fit.epochLosses[e]).toBeLessThan(fit.epochLosses[e - 1]);
    const s = await model.sample(16, 3);
    expect(s.length).toBe(16 * 784);
    expect(s.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('loss falls on cpu too', async () => {
    await initBackend('cpu');
    const model = new VaeMlpModel({ ...small, epochs: 3, batchSize: 50, learningRate: 3e-3 }, [28, 28, 1]);
    const fit = await model.fit(mnistSlice(500), { seed: 2 });
    expect(fit.epochLosses[2]).toBeLessThan(0.8 * fit.epochLosses[0]);
  });

  it('is reproducible on cpu: the same seed gives identical samples, another seed different ones', async () => {
    await initBackend('cpu');
    const data = mnistSlice(300);
    const run = async (seed: number) => {
      const m = new VaeMlpModel(small, [28, 28, 1]);
      const fit = await m.fit(data, { seed });
      return { losses: fit.epochLosses, samples: await m.sample(8, 5) };
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(b.losses).toEqual(a.losses);
    expect(b.samples).toEqual(a.samples);
    expect(c.samples).not.toEqual(a.samples);
  });

  it('two training threads give the same weights as one thread with two shards (wasm)', async () => {
    await initBackend('wasm');
    const data = mnistSlice(300);
    const arch = { dim: 784, hidden: [64], latent: 8 };
    const run = async (threads: 1 | 2) => {
      const trainer = await VaeMlpTrainer.open({
        arch,
        data,
        params: initParams(arch, new Rng(1)),
        adam: { lr: 1e-3, ...ADAM_DEFAULTS },
        maxBatch: 75,
        threads,
        shards: 2,
      });
      const noise = new Rng(2);
      const losses: number[] = [];
      for (let k = 0; k < 8; k++) {
        const rows = Int32Array.from({ length: k === 7 ? 33 : 75 }, (_, i) => (k * 75 + i) % 300);
        losses.push(await trainer.step(rows, noise.fillNormal(new Float32Array(rows.length * 8)) as Float32Array));
      }
      await trainer.close();
      return { losses, params: Float32Array.from(trainer.currentParams), threads: trainer.threads };
    };
    const one = await run(1);
    const two = await run(2);
    expect(two.threads).toBe(2);
    expect(two.losses).toEqual(one.losses);
    expect(Buffer.from(two.params.buffer).equals(Buffer.from(one.params.buffer))).toBe(true);
    // and the model trains with trainingThreads: 2
    const model = new VaeMlpModel({ ...small, trainingThreads: 2 }, [28, 28, 1]);
    const fit = await model.fit(data, { seed: 4 });
    expect(fit.diagnostics?.trainingThreads).toBe(2);
    expect(fit.epochLosses[1]).toBeLessThan(fit.epochLosses[0]);
  });

  it('samples are deterministic per seed, and save → load gives the same samples', async () => {
    await initBackend('wasm');
    const model = new VaeMlpModel(small, [28, 28, 1]);
    await model.fit(mnistSlice(200), { seed: 6 });
    const s1 = await model.sample(10, 42);
    expect(await model.sample(10, 42)).toEqual(s1);
    expect(await model.sample(10, 43)).not.toEqual(s1);
    const dir = tempDir();
    try {
      await model.save(dir);
      const loaded = await loadModel(dir);
      expect(loaded.kind).toBe('vae-mlp');
      expect(loaded.shape).toEqual([28, 28, 1]);
      expect(await loaded.sample(10, 42)).toEqual(s1);
      const doc = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      expect(doc.params).toMatchObject({ hidden: [64], latent: 8 });
      expect(doc.weights.manifest[0]).toMatchObject({ name: 'enc0.w', shape: [784, 64] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops promptly when cancelled, for one thread and two', async () => {
    await initBackend('wasm');
    for (const threads of [1, 2] as const) {
      const model = new VaeMlpModel({ ...small, batchSize: 10, epochs: 50 }, [28, 28, 1]);
      model.threads = threads;
      const controller = new AbortController();
      let after = 0;
      const onProgress = (p: FitProgress) => {
        if (controller.signal.aborted) after++;
        if (p.epoch === 1 && p.batch === 3) controller.abort();
      };
      await expect(model.fit(mnistSlice(500), { seed: 1, signal: controller.signal, onProgress })).rejects.toBeInstanceOf(CancelledError);
      expect(after).toBe(0); // not a single batch ran after the abort
    }
    // the peer thread is reusable after a cancelled fit
    const again = new VaeMlpModel(small, [28, 28, 1]);
    again.threads = 2;
    expect((await again.fit(mnistSlice(200), { seed: 1 })).epochLosses).toHaveLength(2);
  });

  it('reports progress every batch and leaks no tensors across epochs', async () => {
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    const atEpochEnd: number[] = [];
    let reports = 0;
    const model = new VaeMlpModel({ ...small, epochs: 3, batchSize: 50 }, [28, 28, 1]);
    await model.fit(mnistSlice(200), {
      seed: 3,
      onProgress: (p) => {
        reports++;
        expect(p.batches).toBe(4);
        if (p.batch === p.batches) atEpochEnd.push(tf.memory().numTensors);
      },
    });
    expect(reports).toBe(12);
    expect(new Set(atEpochEnd).size).toBe(1);
    await model.sample(100, 1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('continues from its weights with warmStart, and refuses data outside [0, 1]', async () => {
    await initBackend('wasm');
    const data = mnistSlice(300);
    const warm = new VaeMlpModel({ ...small, warmStart: true }, [28, 28, 1]);
    const first = await warm.fit(data, { seed: 1 });
    const second = await warm.fit(data, { seed: 2 });
    expect(second.epochLosses[0]).toBeLessThan(first.epochLosses[0]);
    const bad = { x: new Float32Array([0.5, 1.5, 0, 0]), n: 1, dim: 4 };
    await expect(new VaeMlpModel(small, [4]).fit(bad, { seed: 1 })).rejects.toThrow(/\[0, 1\].*row 0 has 1\.5/);
  });
});
