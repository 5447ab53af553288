import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../main/backend/select-backend';
import { probeWebgpu } from '../../main/backend/webgpu';
import type { Samples } from '../../main/data/samples';
import { builtinReferenceDir, loadReferenceClassifier } from '../../main/metrics/reference-classifier';
import { DdpmModel } from '../../main/models/ddpm';
import type { GenerativeModel } from '../../main/models/generative-model';
import { VaeConvModel } from '../../main/models/vae-conv';
import { VaeMlpModel } from '../../main/models/vae-mlp';
import { WganGpModel } from '../../main/models/wgan-gp';
import { tinyImages } from '../models/tiny-images';
import { maxRelErr } from './compare';

/**
 * Every neural model, and the reference classifier, trains and samples (classifies) on the webgpu backend (here Mesa's llvmpipe: slow, so every model is tiny):
 * a few seeded training steps give the cpu backend's losses, and the samples the cpu backend's statistics.
 * Tolerances: float32 on both sides, summed in a different order by the GPU's reductions, so each loss within 1e-5
 * relative and the samples' mean and standard deviation within 1e-5 absolute (pixels in [0, 1]).
 * Skipped where Dawn finds no adapter (then `collapse-lab doctor` says why).
 */
const probe = await probeWebgpu();
const available = 'adapter' in probe;

interface Outcome {
  losses: number[];
  mean: number;
  sd: number;
  diagnostics: Record<string, number>;
}

async function fitAndSample(backend: 'cpu' | 'webgpu', make: () => GenerativeModel, data: Samples): Promise<Outcome> {
  await initBackend(backend);
  const m = make();
  const res = await m.fit(data, { seed: 1 });
  const s = await m.sample(8, 3);
  m.dispose();
  let mean = 0;
  for (const v of s) mean += v / s.length;
  let variance = 0;
  for (const v of s) variance += (v - mean) ** 2 / s.length;
  return { losses: res.epochLosses, mean, sd: Math.sqrt(variance), diagnostics: res.diagnostics ?? {} };
}

function expectClose(actual: Outcome, expected: Outcome): void {
  expect(actual.losses).toHaveLength(expected.losses.length);
  actual.losses.forEach((l, i) => expect(Math.abs(l - expected.losses[i])).toBeLessThanOrEqual(1e-5 * Math.abs(expected.losses[i])));
  expect(Math.abs(actual.mean - expected.mean)).toBeLessThan(1e-5);
  expect(Math.abs(actual.sd - expected.sd)).toBeLessThan(1e-5);
  expect(Number.isFinite(actual.mean)).toBe(true);
}

const small: [number, number, number] = [8, 8, 1];
const models: { kind: string; shape: [number, number, number]; make: (shape: [number, number, number]) => GenerativeModel }[] = [
  { kind: 'vae-mlp', shape: small, make: (s) => new VaeMlpModel({ hidden: [16], latent: 4, batchSize: 8, epochs: 2 }, s) },
  { kind: 'vae-conv', shape: small, make: (s) => new VaeConvModel({ channels: [4, 8], latent: 4, batchSize: 8, epochs: 2 }, s) },
  {
    kind: 'wgan-gp (with its gradient penalty)',
    shape: [28, 28, 1],
    make: (s) => new WganGpModel({ width: 2, batchSize: 4, epochs: 1, criticSteps: 1, evalSize: 4 }, s),
  },
  {
    kind: 'ddpm (U-Net, GroupNorm, DDIM)',
    shape: small,
    make: (s) => new DdpmModel({ channels: [4, 8], timeEmbedding: 8, timesteps: 50, samplingSteps: 2, batchSize: 8, epochs: 1 }, s),
  },
];

describe.skipIf(!available)('models on the webgpu backend match the cpu backend', () => {
  afterAll(async () => {
    await initBackend('cpu');
  });

  it.each(models)('$kind: seeded losses and sample statistics', async ({ shape, make }) => {
    const data = tinyImages(shape[0] === 28 ? 8 : 16, 1, shape[0], shape[1], shape[2]);
    const cpu = await fitAndSample('cpu', () => make(shape), data);
    const gpu = await fitAndSample('webgpu', () => make(shape), data);
    expectClose(gpu, cpu);
  });

  it("the reference classifier's features and labels (the metrics' feature extraction)", async () => {
    const ref = await loadReferenceClassifier(builtinReferenceDir('mnist')!);
    const x = tinyImages(6, 5).x;
    await initBackend('cpu');
    const cpu = await ref.run(x, 6);
    await initBackend('webgpu');
    const gpu = await ref.run(x, 6);
    expect(maxRelErr(gpu.features, cpu.features)).toBeLessThan(1e-5);
    expect(maxRelErr(gpu.logits, cpu.logits)).toBeLessThan(1e-5);
    expect(Array.from(gpu.labels)).toEqual(Array.from(cpu.labels));
  });

  it('leaks no tensor across generations (three fits and samples of one model)', async () => {
    await initBackend('webgpu');
    const m = new VaeConvModel({ channels: [4, 8], latent: 4, batchSize: 8, epochs: 1 }, small);
    const counts: number[] = [];
    for (let g = 0; g < 3; g++) {
      await m.fit(tinyImages(8, g, 8, 8, 1), { seed: g, generation: g });
      await m.sample(4, g);
      counts.push(tf.memory().numTensors);
    }
    m.dispose();
    expect(counts[1]).toBe(counts[0]);
    expect(counts[2]).toBe(counts[0]);
  });
});
