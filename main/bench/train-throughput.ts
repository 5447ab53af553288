import { initBackend, type BackendRequest } from '../backend/select-backend';
import type { Samples } from '../data/samples';
import { ADAM_DEFAULTS } from '../models/adam-flat';
import { modelCatalog, vaeMlpParams, type ModelKind } from '../models/catalog';
import { createModel } from '../models/registry';
import { initParams, type VaeMlpArch } from '../models/vae-mlp-net';
import { VaeMlpTrainer } from '../models/vae-mlp-trainer';
import { Rng } from '../util/random';

/**
 * Steady-state training throughput (images per second) of a model on MNIST-shaped data (28×28×1, values uniform in
 * [0, 1]: the speed does not depend on the pixels), warm-up excluded.
 *
 * vae-mlp is timed step by step through its trainer (the same code path as its fit: row selection, noise, both
 * shards, Adam), with the catalog's default architecture and the given batch. Other models are timed through
 * GenerativeModel.fit with `batchSize` = batch: one short fit warms up, then one fit of one epoch sized from the
 * warm-up's speed to last about `seconds`.
 */
export interface TrainThroughputOptions {
  model: string;
  batch: number;
  /** Timed duration (default 10 s), after a warm-up of about a fifth of it (at least 3 steps). */
  seconds?: number;
  backend?: string;
  /** Training threads (vae-mlp: 1 or 2, default 1 as in fit; 2 needs wasm). */
  workers?: number;
}

export interface TrainThroughput {
  imagesPerSecond: number;
  backend: string;
  workers: number;
}

const SHAPE: [number, number, number] = [28, 28, 1];
const DIM = 784;

function syntheticImages(n: number, seed: number): Samples {
  const rng = new Rng(seed);
  const x = new Float32Array(n * DIM);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  return { x, n, dim: DIM };
}

export async function measureTrainThroughput(opts: TrainThroughputOptions): Promise<TrainThroughput> {
  const seconds = opts.seconds ?? 10;
  if (!(seconds > 0)) throw new RangeError(`bench: --seconds must be positive, got ${opts.seconds}`);
  if (!Number.isInteger(opts.batch) || opts.batch < 1) throw new RangeError(`bench: --batch must be a positive integer, got ${opts.batch}`);
  if (opts.workers !== undefined && opts.workers !== 1 && opts.workers !== 2) {
    throw new RangeError(`bench: --workers must be 1 or 2, got ${opts.workers}`);
  }
  const info = await initBackend((opts.backend ?? 'auto') as BackendRequest);
  if (opts.model === 'vae-mlp') return measureVaeMlp(opts.batch, seconds, info.name, opts.workers as 1 | 2 | undefined);
  return measureByFit(opts.model, opts.batch, seconds, info.name);
}

async function measureVaeMlp(batch: number, seconds: number, backend: string, workers?: 1 | 2): Promise<TrainThroughput> {
  const defaults = vaeMlpParams.parse({});
  const arch: VaeMlpArch = { dim: DIM, hidden: defaults.hidden, latent: defaults.latent };
  const n = Math.max(batch * 16, 2048);
  const data = syntheticImages(n, 1);
  const trainer = await VaeMlpTrainer.open({
    arch,
    data,
    params: initParams(arch, new Rng(2)),
    adam: { lr: defaults.learningRate, ...ADAM_DEFAULTS },
    maxBatch: batch,
    threads: workers ?? 1,
  });
  const order = new Rng(3).permutation(n);
  const noise = new Rng(4);
  let k = 0;
  const step = () => {
    const from = (k * batch) % (n - batch + 1);
    k++;
    trainer.step(order.subarray(from, from + batch), noise.fillNormal(new Float32Array(batch * arch.latent)) as Float32Array);
  };
  try {
    const warmEnd = performance.now() + 200 * seconds;
    for (let i = 0; i < 3 || performance.now() < warmEnd; i++) step();
    let steps = 0;
    const t0 = performance.now();
    let elapsed = 0;
    while (elapsed < 1000 * seconds) {
      step();
      steps++;
      elapsed = performance.now() - t0;
    }
    return { imagesPerSecond: (steps * batch) / (elapsed / 1000), backend, workers: trainer.threads };
  } finally {
    await trainer.close();
  }
}

async function measureByFit(kind: string, batch: number, seconds: number, backend: string): Promise<TrainThroughput> {
  const entry = modelCatalog[kind as ModelKind];
  if (!entry) throw new Error(`bench: unknown model "${kind}"; known: ${Object.keys(modelCatalog).join(', ')}`);
  const keys = Object.keys((entry.params as unknown as { shape: Record<string, unknown> }).shape);
  const params: Record<string, unknown> = {};
  if (keys.includes('batchSize')) params.batchSize = batch;
  if (keys.includes('epochs')) params.epochs = 1;
  const make = () => createModel({ kind, params }, SHAPE);
  const warm = make();
  const warmN = batch * 3;
  const t0 = performance.now();
  await warm.fit(syntheticImages(warmN, 1), { seed: 1 });
  const warmRate = warmN / ((performance.now() - t0) / 1000);
  warm.dispose();
  const n = Math.max(batch * 3, Math.round((warmRate * seconds) / batch) * batch);
  const data = syntheticImages(n, 2);
  const model = make();
  const t1 = performance.now();
  await model.fit(data, { seed: 2 });
  const rate = n / ((performance.now() - t1) / 1000);
  model.dispose();
  return { imagesPerSecond: rate, backend, workers: 1 };
}
