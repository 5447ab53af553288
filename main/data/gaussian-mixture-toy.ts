import type { DeclaredTruthConfig } from '../contract/declared-truth';
import { rngFor, type Rng } from '../util/random';
import { resolveDeclaredTruth } from './declared-truth';
import { gaussianParams, type GaussianParams } from './gaussian-toy';
import type { Dataset, Samples } from './samples';

/**
 * The Gaussian-mixture toy (seed 001's synthetic data): Σ_j w_j N(μ_j, Σ_j) in d dimensions, each Σ_j a full matrix, a
 * diagonal of variances or one variance. Rows are labelled with their component. Train and test come from independent
 * seeded streams. Its spec is also what the diffusion-exact model takes as `truth` for its W2 diagnostics.
 */
export interface GaussianMixtureToySpec {
  dim: number;
  weights: number[];
  means: number[][];
  covs: (number | number[] | number[][])[];
  trainSize: number;
  testSize: number;
  /** The declared truth the metrics score against (main/contract/declared-truth.ts); the test split when absent. */
  truth?: DeclaredTruthConfig;
}

/** One component of a mixture: its normalised weight, mean and Cholesky factor. */
export interface MixtureComponent extends GaussianParams {
  weight: number;
}

/** Check the spec and factor each covariance. Errors name the config field at fault. */
export function mixtureComponents(
  spec: Omit<GaussianMixtureToySpec, 'trainSize' | 'testSize' | 'truth'>,
  field = 'dataset',
  dimField = `${field}.dim`,
): MixtureComponent[] {
  const k = spec.weights.length;
  if (k === 0) throw new Error(`${field}.weights is empty: a mixture needs at least one component`);
  if (spec.means.length !== k) throw new Error(`${field}.means has ${spec.means.length} entries but ${field}.weights has ${k}`);
  if (spec.covs.length !== k) throw new Error(`${field}.covs has ${spec.covs.length} entries but ${field}.weights has ${k}`);
  let total = 0;
  spec.weights.forEach((w, j) => {
    if (!(Number.isFinite(w) && w > 0)) throw new Error(`${field}.weights[${j}] = ${w}: weights must be positive`);
    total += w;
  });
  return spec.weights.map((w, j) => {
    const c = spec.covs[j];
    const cov = typeof c === 'number' ? new Array<number>(spec.dim).fill(c) : c;
    const p = gaussianParams({ dim: spec.dim, mean: spec.means[j], cov }, `${field} component ${j} (means[${j}], covs[${j}])`, dimField);
    return { ...p, weight: w / total };
  });
}

/** n labelled draws of the mixture. */
export function sampleMixtureToy(components: MixtureComponent[], n: number, rng: Rng): Samples {
  const d = components[0].dim;
  const x = new Float32Array(n * d);
  const labels = new Int32Array(n);
  const z = new Float64Array(d);
  for (let s = 0; s < n; s++) {
    let u = rng.uniform();
    let j = 0;
    while (j < components.length - 1 && u >= components[j].weight) u -= components[j++].weight;
    const c = components[j];
    labels[s] = j;
    for (let a = 0; a < d; a++) z[a] = rng.normal();
    for (let a = 0; a < d; a++) {
      let v = c.mean[a];
      for (let b = 0; b <= a; b++) v += c.cholesky[a * d + b] * z[b];
      x[s * d + a] = v;
    }
  }
  return { x, n, dim: d, labels };
}

export function makeGaussianMixtureToy(spec: GaussianMixtureToySpec, seed: number): Dataset {
  const comps = mixtureComponents(spec);
  const truth = spec.truth && resolveDeclaredTruth(spec.truth, spec.dim, { kind: 'gaussian-mixture', components: comps });
  return {
    name: 'gaussian-mixture',
    shape: [spec.dim],
    numClasses: comps.length,
    classNames: comps.map((_, j) => `component ${j}`),
    train: sampleMixtureToy(comps, spec.trainSize, rngFor(seed, 'dataset', 'gaussian-mixture', 'train')),
    test: sampleMixtureToy(comps, spec.testSize, rngFor(seed, 'dataset', 'gaussian-mixture', 'test')),
    ...(truth ? { truth } : {}),
  };
}
