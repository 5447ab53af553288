import type { DeclaredTruthConfig } from '../contract/declared-truth';
import type { MixtureState } from '../models/gmm-em';
import type { Rng } from '../util/random';
import { gaussianParams } from './gaussian-toy';
import { mixtureComponents, sampleMixtureToy, type MixtureComponent } from './gaussian-mixture-toy';
import type { Samples } from './samples';

/**
 * A dataset's declared truth, resolved: a Gaussian (one component) or a Gaussian mixture with full covariances, its
 * exact moments, draws and log-density. Carried on the loaded Dataset; the metrics score against it.
 */
export interface DeclaredTruth {
  kind: 'gaussian' | 'gaussian-mixture';
  dim: number;
  /** Weights sum to 1; each with its mean and lower Cholesky factor. */
  components: MixtureComponent[];
  /** Exact mean [dim] and covariance [dim, dim] (row-major). */
  mean: Float64Array;
  cov: Float64Array;
}

/**
 * Resolve a dataset's `truth` field: `"generating"` is the dataset's own distribution (`generating`), otherwise the
 * given Gaussian or mixture, in the dataset's dimension. Errors name the config field at fault (`field`).
 */
export function resolveDeclaredTruth(
  cfg: DeclaredTruthConfig,
  dim: number,
  generating: { kind: DeclaredTruth['kind']; components: MixtureComponent[] },
  field = 'dataset.truth',
): DeclaredTruth {
  if (cfg === 'generating') return truthFromComponents(generating.kind, dim, generating.components);
  if (cfg.kind === 'gaussian') {
    const p = gaussianParams({ dim, mean: cfg.mean, cov: cfg.cov }, field, 'dataset.dim');
    return truthFromComponents('gaussian', dim, [{ ...p, weight: 1 }]);
  }
  return truthFromComponents(
    'gaussian-mixture',
    dim,
    mixtureComponents({ dim, weights: cfg.weights, means: cfg.means, covs: cfg.covs }, field, 'dataset.dim'),
  );
}

function truthFromComponents(kind: DeclaredTruth['kind'], dim: number, components: MixtureComponent[]): DeclaredTruth {
  const d = dim;
  const mean = new Float64Array(d);
  for (const c of components) for (let a = 0; a < d; a++) mean[a] += c.weight * c.mean[a];
  const cov = new Float64Array(d * d);
  for (const c of components) {
    const s = componentCov(c);
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) cov[a * d + b] += c.weight * (s[a * d + b] + (c.mean[a] - mean[a]) * (c.mean[b] - mean[b]));
    }
  }
  return { kind, dim, components, mean, cov };
}

/** L·Lᵀ of a component. */
function componentCov(c: MixtureComponent): Float64Array {
  const d = c.dim;
  const l = c.cholesky;
  const s = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      let v = 0;
      for (let k = 0; k <= b; k++) v += l[a * d + k] * l[b * d + k];
      s[a * d + b] = v;
      s[b * d + a] = v;
    }
  }
  return s;
}

/** n draws of the truth (labelled by component for a mixture, unlabelled for a Gaussian). */
export function sampleDeclaredTruth(t: DeclaredTruth, n: number, rng: Rng): Samples {
  const s = sampleMixtureToy(t.components, n, rng);
  return t.kind === 'gaussian' ? { x: s.x, n: s.n, dim: s.dim } : s;
}

/** log p(x) of the truth at each row of x [n, dim]. */
export function declaredTruthLogDensity(t: DeclaredTruth, x: ArrayLike<number>, n: number): Float64Array {
  const d = t.dim;
  const k = t.components.length;
  const logNorm = t.components.map((c) => {
    let logDet = 0;
    for (let a = 0; a < d; a++) logDet += 2 * Math.log(c.cholesky[a * d + a]);
    return Math.log(c.weight) - 0.5 * (d * Math.log(2 * Math.PI) + logDet);
  });
  const out = new Float64Array(n);
  const y = new Float64Array(d);
  const terms = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    let best = -Infinity;
    for (let j = 0; j < k; j++) {
      const c = t.components[j];
      let q = 0;
      for (let a = 0; a < d; a++) {
        let s = x[r * d + a] - c.mean[a];
        for (let b = 0; b < a; b++) s -= c.cholesky[a * d + b] * y[b];
        y[a] = s / c.cholesky[a * d + a];
        q += y[a] * y[a];
      }
      terms[j] = logNorm[j] - 0.5 * q;
      if (terms[j] > best) best = terms[j];
    }
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(terms[j] - best);
    out[r] = best + Math.log(s);
  }
  return out;
}

/** The truth as a mixture with full covariances (the form of main/models/mixture-distances.ts). */
export function declaredTruthMixture(t: DeclaredTruth): MixtureState {
  const d = t.dim;
  const k = t.components.length;
  const weights = new Float64Array(k);
  const means = new Float64Array(k * d);
  const covs = new Float64Array(k * d * d);
  t.components.forEach((c, j) => {
    weights[j] = c.weight;
    means.set(c.mean, j * d);
    covs.set(componentCov(c), j * d * d);
  });
  return { k, d, covariance: 'full', weights, means, covs };
}
