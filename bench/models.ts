/**
 * The convolutional models on TensorFlow.js wasm beside PyTorch at one thread and at all cores (bench/compare-model.ts):
 * WGAN-GP (width 64, batch 64: critic step with the gradient penalty, generator step, sampling 512), the conv VAE
 * (channels [32, 64], batch 128, sampling 512) and the DDPM (U-Net channels [32, 64], batch 64: training step, DDIM
 * sampling of 32 images in 10 steps); then the Float64 models (gmm, kde, diffusion-exact), which do not use
 * TensorFlow.js and have no reference here; then every other kind of the model catalog (main/bench/bench-models.ts),
 * timed through the model registry (a fit and a sampling call), so that a new kind shows here without an edit. Each
 * rate is the median of several blocks, with their load averages.
 *
 *   npx tsx bench/models.ts      (or `npm run bench -- models`; BENCH_SECONDS, BENCH_BLOCKS)
 */
import { pathToFileURL } from 'node:url';
import { benchModels } from '../main/bench/bench-models';
import { timeBlocks, describeLoad } from '../main/bench/timed-blocks';
import { measureTrainThroughput } from '../main/bench/train-throughput';
import { DiffusionExactModel } from '../main/models/diffusion-exact';
import { GmmModel } from '../main/models/gmm';
import { KdeModel } from '../main/models/kde';
import { Rng } from '../main/util/random';
import { compareModel } from './compare-model';
import { benchTiming, loadLine } from './reference-env';

interface Row {
  model: string;
  setting: string;
  rate: number;
  unit: string;
  load: string;
}

/** Median rate of `step` (which processes `per` items) over the bench's blocks, with their load. */
async function rate(step: () => Promise<void> | void, per: number): Promise<{ rate: number; load: string }> {
  const { seconds, blocks } = benchTiming();
  const r = await timeBlocks(step, per, { blockSeconds: seconds / blocks, blocks, warmup: 1 });
  return { rate: r.median, load: describeLoad(r.blocks) };
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
    rows.push({
      model: 'gmm',
      setting: `EM, k 10, full, d ${d}`,
      ...(await rate(() => m.fit(data, { seed: 1 }).then(() => undefined), n * iters)),
      unit: 'sample·iterations/s',
    });
  }
  {
    const m = new KdeModel({}, [d]);
    await m.fit(data, { seed: 1 });
    rows.push({
      model: 'kde',
      setting: `fit, n ${n}, d ${d}`,
      ...(await rate(() => m.fit(data, { seed: 1 }).then(() => undefined), n)),
      unit: 'samples/s',
    });
    rows.push({
      model: 'kde',
      setting: `log-density, n ${n}, d ${d}`,
      ...(await rate(() => void m.logDensity(data.x, 200), 200)),
      unit: 'points/s',
    });
  }
  for (const estimator of ['gmm', 'empirical'] as const) {
    const one = { x: Float32Array.from({ length: 2000 }, () => rng.normal()), n: 2000, dim: 1 };
    const m = new DiffusionExactModel({ estimator, components: 2, steps: 200 }, [1]);
    await m.fit(one, { seed: 1 });
    const count = estimator === 'gmm' ? 2000 : 100;
    rows.push({
      model: 'diffusion-exact',
      setting: `reverse SDE 200 steps, 1-D, ${estimator === 'gmm' ? '2 components' : '2,000 Diracs'}`,
      ...(await rate(() => m.sample(count, 1).then(() => undefined), count)),
      unit: 'samples/s',
    });
  }
  return rows;
}

/** The kinds this file and bench/train.ts (vae-mlp) time with a setting of their own. */
const timedWithASetting = new Set(['vae-mlp', 'wgan-gp', 'ddpm', 'vae-conv', 'gmm', 'kde', 'diffusion-exact']);

/** Every other kind of the model catalog, through the model registry: a fit on 1,000 rows and sampling 1,000. */
async function registryRows(): Promise<Row[]> {
  const { seconds, blocks } = benchTiming();
  const rows: Row[] = [];
  for (const model of benchModels.filter((m) => !timedWithASetting.has(m))) {
    const r = await measureTrainThroughput({ model, batch: 1000, samples: 1000, seconds, blocks, backend: 'wasm' });
    for (const [step, s] of Object.entries(r.steps)) {
      rows.push({ model, setting: `${step}: ${r.setting}`, rate: s.imagesPerSecond, unit: 'rows/s', load: r.load });
    }
  }
  return rows;
}

export async function run(): Promise<void> {
  console.log(loadLine('before'));
  await compareModel({
    model: 'wgan-gp',
    batch: 64,
    samples: 512,
    params: { width: 64 },
    torchScript: 'wgan_gp_torch.py',
    torchArgs: ['--batch', '64', '--width', '64', '--samples', '512'],
    figures: {
      critic: ['WGAN-GP critic step + GP, width 64, batch 64', 0.35],
      generator: ['WGAN-GP generator step, width 64, batch 64', 0.35],
      sample: ['WGAN-GP sampling, 512 candidates', undefined],
    },
  });
  await compareModel({
    model: 'ddpm',
    batch: 64,
    samples: 32,
    params: { channels: [32, 64], samplingSteps: 10 },
    torchScript: 'ddpm_torch.py',
    torchArgs: ['--batch', '64', '--channels', '32,64', '--sampling-steps', '10', '--samples', '32'],
    figures: {
      train: ['DDPM training, channels [32, 64], batch 64', 0.3],
      sample: ['DDPM DDIM sampling, 10 steps, 32 candidates', undefined],
    },
  });
  await compareModel({
    model: 'vae-conv',
    batch: 128,
    samples: 512,
    params: { channels: [32, 64] },
    torchScript: 'vae_conv_torch.py',
    torchArgs: ['--batch', '128', '--channels', '32,64', '--samples', '512'],
    figures: {
      train: ['vae-conv training, channels [32, 64], batch 128', undefined],
      sample: ['vae-conv sampling, 512 candidates', undefined],
    },
  });
  console.log('\nFloat64 models (plain JS, one thread, no reference): median of blocks');
  const print = (r: Row) =>
    console.log(
      `  ${r.model.padEnd(16)} ${r.setting.padEnd(46)} ${r.rate.toFixed(r.rate < 10 ? 2 : 0).padStart(10)} ${r.unit.padEnd(20)} ${r.load}`,
    );
  for (const r of await jsRows()) print(r);
  console.log('\nThe other model kinds of the catalog, through the model registry (wasm, no reference): median of blocks');
  for (const r of await registryRows()) print(r);
  console.log(loadLine('after'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
