import { Command } from 'commander';
import {
  costMatrix,
  emd,
  freeSupportBarycenter,
  readSampleFile,
  Rng,
  sinkhornLog,
  writeNpy,
  type GroundCost,
  type SampleFile,
} from '../../index';
import { intOption, numberListOption, numberOption, seedOption } from '../numbers';
import { printResult } from '../output';

const maxIter = (name: string) => intOption(name, { min: 1, max: 100_000_000 });

export interface OtDistanceOptions {
  x: string;
  y: string;
  cost: string;
  method: string;
  reg?: number;
  maxIter: number;
  tol: number;
  json: boolean;
}

export function registerOtCommand(program: Command): void {
  const ot = program.command('ot').description('optimal transport between point sets: .npy arrays [n, d], IDX files or folders of PNGs');

  ot.command('distance')
    .description('transport cost ⟨P, C⟩ between two uniform point clouds (exact, or entropic with Sinkhorn)')
    .requiredOption('--x <file>', 'first point set, .npy [n, d] (float64 kept in float64), IDX or a folder of PNGs')
    .requiredOption('--y <file>', 'second point set, same forms [m, d]')
    .option('--cost <name>', 'ground cost: sqeuclidean | euclidean', 'sqeuclidean')
    .option('--method <name>', 'exact | sinkhorn', 'exact')
    .option('--reg <r>', 'entropic regularisation in cost units (sinkhorn; POT’s reg)', numberOption('--reg', { above: 0 }))
    .option('--max-iter <k>', 'Sinkhorn iteration limit', maxIter('--max-iter'), 1000)
    .option('--tol <t>', 'Sinkhorn tolerance on the marginal error (checked every 10 iterations)', numberOption('--tol', { min: 0 }), 1e-9)
    .option('--json', 'print as JSON', false)
    .action(async (opts: OtDistanceOptions) => {
      const r = await otDistance(opts);
      printResult(r, opts.json, () => human(r));
    });

  ot.command('barycenter')
    .description('free-support Wasserstein barycenter (squared Euclidean, exact OT) of several uniform point clouds')
    .requiredOption('--inputs <files...>', 'the point sets, same forms as ot distance [n_i, d]')
    .requiredOption('--support <S>', 'number of support points of the barycenter', intOption('--support', { min: 1, max: 10_000_000 }))
    .requiredOption('--out <file>', 'where to write the support points (.npy float64 [S, d])')
    .option('--weights <w...>', 'weights of the inputs (uniform when absent)', numberListOption('--weights', { min: 0 }))
    .option('--max-iter <k>', 'fixed-point iteration limit', maxIter('--max-iter'), 100)
    .option('--tol <t>', 'stop when Σ‖X_new − X‖² ≤ tol', numberOption('--tol', { min: 0 }), 1e-7)
    .option('--seed <s>', 'seed of the initial support (S points drawn from the pooled inputs)', seedOption(), 0)
    .option('--json', 'print as JSON', false)
    .action(
      async (opts: {
        inputs: string[];
        support: number;
        out: string;
        weights?: number[];
        maxIter: number;
        tol: number;
        seed: number;
        json: boolean;
      }) => {
        const res = await otBarycenter(opts);
        printResult(res, opts.json, () => human(res));
      },
    );
}

/** A point set as OT computes on it: the file's values in its own precision (float64 stays float64), one point a row. */
interface PointSet {
  x: Float32Array | Float64Array;
  n: number;
  dim: number;
}

function pointSet(f: SampleFile): PointSet {
  return { x: f.values, n: f.samples.n, dim: f.samples.dim };
}

function human(obj: Record<string, unknown>): string {
  return Object.entries(obj)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

/** The `ot distance` computation (exported for tests): reads the files, solves, times the solve. */
export async function otDistance(opts: OtDistanceOptions): Promise<{
  cost: number;
  iterations: number;
  seconds: number;
  n: number;
  m: number;
  d: number;
  method: string;
  groundCost: string;
  reg?: number;
  converged?: boolean;
}> {
  if (opts.cost !== 'sqeuclidean' && opts.cost !== 'euclidean')
    throw new Error(`--cost must be sqeuclidean or euclidean, got "${opts.cost}"`);
  if (opts.method !== 'exact' && opts.method !== 'sinkhorn') throw new Error(`--method must be exact or sinkhorn, got "${opts.method}"`);
  if (opts.method === 'sinkhorn' && opts.reg === undefined)
    throw new Error('--method sinkhorn needs --reg (in the units of the cost, as POT)');
  const X = pointSet(await readSampleFile(opts.x));
  const Y = pointSet(await readSampleFile(opts.y));
  if (X.dim !== Y.dim) throw new Error(`--x has ${X.dim} dimensions per point but --y has ${Y.dim}`);
  const t0 = performance.now();
  const M = costMatrix(opts.cost as GroundCost, X.x, Y.x, X.n, Y.n, X.dim);
  const base = { n: X.n, m: Y.n, d: X.dim, method: opts.method, groundCost: opts.cost };
  if (opts.method === 'exact') {
    const r = emd(null, null, M, X.n, Y.n, { plan: false });
    return { cost: r.cost, iterations: r.iterations, seconds: (performance.now() - t0) / 1000, ...base };
  }
  const r = sinkhornLog(null, null, M, X.n, Y.n, opts.reg!, { maxIter: opts.maxIter, tol: opts.tol });
  return {
    cost: r.cost,
    iterations: r.iterations,
    seconds: (performance.now() - t0) / 1000,
    ...base,
    reg: opts.reg,
    converged: r.converged,
  };
}

export async function otBarycenter(opts: {
  inputs: string[];
  support: number;
  out: string;
  weights?: (number | string)[];
  maxIter: number;
  tol: number;
  seed: number;
}) {
  const sets: PointSet[] = [];
  for (const f of opts.inputs) sets.push(pointSet(await readSampleFile(f)));
  const d = sets[0].dim;
  sets.forEach((s, i) => {
    if (s.dim !== d) throw new Error(`--inputs ${opts.inputs[i]} has ${s.dim} dimensions per point but ${opts.inputs[0]} has ${d}`);
  });
  let weights: Float64Array | undefined;
  if (opts.weights) {
    if (opts.weights.length !== sets.length) throw new Error(`--weights has ${opts.weights.length} values for ${sets.length} inputs`);
    weights = Float64Array.from(opts.weights, (w) => {
      const x = Number(w);
      if (!(x >= 0) || !Number.isFinite(x)) throw new Error(`--weights: "${w}" is not a number ≥ 0`);
      return x;
    });
    if (!weights.some((w) => w > 0)) throw new Error('--weights: at least one weight must be > 0');
  }
  const total = sets.reduce((a, s) => a + s.n, 0);
  if (opts.support > total) throw new Error(`--support ${opts.support} exceeds the ${total} input points it is drawn from`);
  // initial support: S distinct points of the pooled inputs, seeded
  const pick = new Rng(opts.seed).choose(total, opts.support);
  const init = new Float64Array(opts.support * d);
  pick.forEach((p, r) => {
    let q = p;
    let s = 0;
    while (q >= sets[s].n) q -= sets[s++].n;
    for (let j = 0; j < d; j++) init[r * d + j] = sets[s].x[q * d + j];
  });
  const t0 = performance.now();
  const res = freeSupportBarycenter(
    sets.map((s) => ({ x: s.x, n: s.n })),
    init,
    opts.support,
    d,
    { measureWeights: weights, maxIter: opts.maxIter, tol: opts.tol },
  );
  const seconds = (performance.now() - t0) / 1000;
  await writeNpy(opts.out, res.x, [opts.support, d]);
  return { out: opts.out, support: opts.support, d, iterations: res.iterations, displacement: res.displacement, cost: res.cost, seconds };
}
