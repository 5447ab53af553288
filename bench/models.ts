/**
 * Training throughput of each model of the zoo on each available TensorFlow.js backend (`npm run bench -- models`, or
 * `npx tsx bench/models.ts`). Each figure is a short run (a few seconds) after one warm-up step, so it is an order of
 * magnitude: run it on an idle machine. Neural models train on random 28×28 images (throughput does not depend on the
 * pixel values); the Float64 models (gmm, kde, diffusion-exact) do not use TensorFlow.js and run once ("js").
 * With /usr/bin/python3 and torch present, PyTorch's WGAN-GP critic and generator steps are measured alongside
 * (bench/reference/wgan_gp_torch.py, same architecture and batch).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../main/backend/select-backend';
import { DdpmModel } from '../main/models/ddpm';
import { DiffusionExactModel } from '../main/models/diffusion-exact';
import { GmmModel } from '../main/models/gmm';
import { KdeModel } from '../main/models/kde';
import { VaeConvModel } from '../main/models/vae-conv';
import { WganGpModel } from '../main/models/wgan-gp';
import { Rng } from '../main/util/random';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);

interface Row {
  model: string;
  backend: string;
  setting: string;
  rate: number;
  unit: string;
}

function randomImages(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * 784 }, () => rng.uniform());
}

/** Calls `step` (which processes `per` items) once to warm up, then until SECONDS/… have passed; items per second. */
async function rate(step: () => Promise<void> | void, per: number, seconds = SECONDS): Promise<number> {
  await step();
  let n = 0;
  const t0 = performance.now();
  while (n === 0 || performance.now() - t0 < seconds * 1000) {
    await step();
    n++;
  }
  return (n * per) / ((performance.now() - t0) / 1000);
}

async function neuralRows(backend: BackendName): Promise<Row[]> {
  const rows: Row[] = [];
  // the plain-JS cpu backend is ~10–50× slower: smaller batches keep each step within the time budget
  const small = backend === 'cpu';
  for (const width of small ? [16] : [16, 64]) {
    const b = small ? 16 : 64;
    const m = new WganGpModel({ width }, [28, 28, 1]);
    m.initialise(1);
    const real = tf.tensor4d(randomImages(b, 1), [b, 28, 28, 1]);
    const rng = new Rng(2);
    const oc = m.makeOptimizer();
    const og = m.makeOptimizer();
    rows.push({ model: 'wgan-gp', backend, setting: `critic step + GP, width ${width}, batch ${b}`, rate: await rate(() => void m.criticStep(oc, real, rng), b), unit: 'images/s' });
    rows.push({ model: 'wgan-gp', backend, setting: `generator step, width ${width}, batch ${b}`, rate: await rate(() => void m.generatorStep(og, b, rng), b), unit: 'images/s' });
    tf.dispose([real]);
    oc.dispose();
    og.dispose();
    m.dispose();
  }
  {
    const b = small ? 32 : 128;
    const data = { x: randomImages(b * 2, 3), n: b * 2, dim: 784 };
    const m = new VaeConvModel({ epochs: 1, batchSize: b }, [28, 28, 1]);
    rows.push({ model: 'vae-conv', backend, setting: `channels [32, 64], batch ${b}`, rate: await rate(() => m.fit(data, { seed: 1 }).then(() => undefined), b * 2), unit: 'images/s' });
    m.dispose();
  }
  for (const channels of (small ? [[16, 32]] : [[16, 32], [32, 64]]) as [number, number][]) {
    const b = small ? 16 : 64;
    const data = { x: randomImages(b, 4), n: b, dim: 784 };
    const m = new DdpmModel({ channels, epochs: 1, batchSize: b, samplingSteps: 10 }, [28, 28, 1]);
    rows.push({ model: 'ddpm', backend, setting: `train, channels [${channels}], batch ${b}`, rate: await rate(() => m.fit(data, { seed: 1 }).then(() => undefined), b), unit: 'images/s' });
    rows.push({ model: 'ddpm', backend, setting: `DDIM 10 steps, channels [${channels}]`, rate: await rate(() => m.sample(b, 1).then(() => undefined), b, SECONDS / 2), unit: 'images/s' });
    m.dispose();
  }
  return rows;
}

async function jsRows(): Promise<Row[]> {
  const rows: Row[] = [];
  const rng = new Rng(5);
  const n = 5000;
  const d = 10;
  const data = { x: Float32Array.from({ length: n * d }, () => rng.normal()), n, dim: d };
  {
    const iters = 20;
    const m = new GmmModel({ k: 10, maxIter: iters, tol: 1e-12 }, [d]);
    rows.push({ model: 'gmm', backend: 'js', setting: `EM, k 10, full, d ${d}`, rate: await rate(() => m.fit(data, { seed: 1 }).then(() => undefined), n * iters), unit: 'sample·iterations/s' });
  }
  {
    const m = new KdeModel({}, [d]);
    await m.fit(data, { seed: 1 });
    rows.push({ model: 'kde', backend: 'js', setting: `fit, n ${n}, d ${d}`, rate: await rate(() => m.fit(data, { seed: 1 }).then(() => undefined), n), unit: 'samples/s' });
    rows.push({ model: 'kde', backend: 'js', setting: `log-density, n ${n}, d ${d}`, rate: await rate(() => void m.logDensity(data.x, 200), 200), unit: 'points/s' });
  }
  for (const estimator of ['gmm', 'empirical'] as const) {
    const one = { x: Float32Array.from({ length: 2000 }, () => rng.normal()), n: 2000, dim: 1 };
    const m = new DiffusionExactModel({ estimator, components: 2, steps: 200 }, [1]);
    await m.fit(one, { seed: 1 });
    rows.push({
      model: 'diffusion-exact',
      backend: 'js',
      setting: `reverse SDE 200 steps, 1-D, ${estimator === 'gmm' ? '2 components' : '2,000 Diracs'}`,
      rate: await rate(() => m.sample(estimator === 'gmm' ? 2000 : 100, 1).then(() => undefined), estimator === 'gmm' ? 2000 : 100),
      unit: 'samples/s',
    });
  }
  return rows;
}

function torchRows(): Row[] {
  const script = path.join(here, 'reference', 'wgan_gp_torch.py');
  if (!existsSync('/usr/bin/python3')) return [];
  const rows: Row[] = [];
  for (const width of [16, 64]) {
    try {
      const out = execFileSync('/usr/bin/python3', [script, '--batch', '64', '--width', String(width), '--seconds', String(SECONDS * 2), '--threads', '2'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as { criticImagesPerSecond: number; generatorImagesPerSecond: number; torch: string };
      rows.push({ model: 'wgan-gp', backend: `pytorch ${r.torch}`, setting: `critic step + GP, width ${width}, batch 64`, rate: r.criticImagesPerSecond, unit: 'images/s' });
      rows.push({ model: 'wgan-gp', backend: `pytorch ${r.torch}`, setting: `generator step, width ${width}, batch 64`, rate: r.generatorImagesPerSecond, unit: 'images/s' });
    } catch (err) {
      console.log(`(PyTorch reference skipped: ${(err as Error).message.split('\n')[0]})`);
      return rows;
    }
  }
  return rows;
}

export async function run(): Promise<void> {
  const rows: Row[] = [];
  rows.push(...(await jsRows()));
  for (const backend of ['tensorflow', 'wasm', 'cpu'] as BackendName[]) {
    try {
      await initBackend(backend);
    } catch {
      console.log(`(backend ${backend} not available)`);
      continue;
    }
    rows.push(...(await neuralRows(backend)));
  }
  rows.push(...torchRows());
  for (const r of rows) {
    console.log(`${r.model.padEnd(16)} ${r.backend.padEnd(18)} ${r.setting.padEnd(46)} ${r.rate.toFixed(r.rate < 10 ? 2 : 0).padStart(10)} ${r.unit}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
