import { modelEntry, type ModelKind } from '../contract/models/catalog';
import type { SampleShape, Samples } from '../data/samples';
import { createModel } from '../models/registry';
import { Rng } from '../util/random';
import { parseBenchParams } from './bench-params';
import type { ModelSteps, ModelStepsOptions } from './bench-step-types';

/** Values per row for a kind that takes vectors (a closed-form fit's cost grows with d² or d³, so a small d). */
export const BENCH_VECTOR_DIM = 10;

/**
 * The steps of any model kind, through the model registry (main/models/registry.ts), for a kind without refined steps:
 * `fit` a fresh model on `batch` rows (one epoch of minibatches of `batch` where the kind's params have `epochs` and
 * `batchSize`), and `sample` the candidates. Rows are MNIST-shaped images (pixels uniform in [0, 1]) for an images-only
 * kind, else standard normal vectors of BENCH_VECTOR_DIM values. No FLOP count: the kind's code is not known here.
 */
export async function registrySteps(opts: ModelStepsOptions): Promise<ModelSteps> {
  const kind = opts.model as ModelKind;
  const entry = modelEntry(kind);
  const shape: SampleShape = entry.imagesOnly ? [28, 28, 1] : [BENCH_VECTOR_DIM];
  const dim = shape.reduce((a, b) => a * b, 1);
  const overrides: Record<string, unknown> = { ...opts.params };
  for (const [key, value] of [
    ['epochs', 1],
    ['batchSize', opts.batch],
  ] as const) {
    if (!(key in overrides) && entry.params.safeParse({ ...overrides, [key]: value }).success) overrides[key] = value;
  }
  const params = parseBenchParams(entry.params, kind, overrides) as Record<string, unknown>;
  const rng = new Rng(1);
  const n = opts.batch;
  const x = new Float32Array(n * dim);
  for (let i = 0; i < x.length; i++) x[i] = entry.imagesOnly ? rng.uniform() : rng.normal();
  const data: Samples = { x, n, dim };
  let model = createModel({ kind, params }, shape);
  await model.fit(data, { seed: 0 });
  let seed = 1;
  return {
    model: kind,
    threads: 1,
    setting: `fit on ${n} ${entry.imagesOnly ? 'images of 28×28×1' : `vectors of ${dim} values`}, through the model registry`,
    steps: [
      {
        name: 'train',
        perCall: n,
        run: async () => {
          // a fresh model each call, as a generation that does not warm-start trains one
          model.dispose();
          model = createModel({ kind, params }, shape);
          await model.fit(data, { seed: seed++ });
        },
      },
      { name: 'sample', perCall: opts.samples, run: () => model.sample(opts.samples, seed++) },
    ],
    close: async () => model.dispose(),
  };
}
