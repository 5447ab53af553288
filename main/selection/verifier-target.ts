import type { DatasetConfig } from '../contract/config';
import type { VerifierTargetConfig } from '../contract/verifier-target';
import { mixtureComponents } from '../data/gaussian-mixture-toy';
import { gaussianParams, type GaussianParams } from '../data/gaussian-toy';
import type { IslandChannel } from '../islands/island-channel';
import type { IslandFeatureMap } from '../islands/protocol';
import { cholesky, covarianceMatrix } from '../models/dense-gaussian';
import { rngFor } from '../util/random';
import { islandMoments, poolMoments } from './reference-moments';

/** u* and Σ_bias of a verifier target, in the selection feature space. */
export interface TargetMoments {
  dim: number;
  mean: Float64Array;
  /** Row-major [dim, dim]. */
  covariance: Float64Array;
  /**
   * Where the moments come from: `given` (the config's numbers), `dataset-truth` (the toy dataset's declared mean and
   * covariance, shifted) or `pooled-islands` (the exact moments of the islands' union, from their own moments, shifted).
   */
  source: 'given' | 'dataset-truth' | 'pooled-islands';
}

/** A run's verifier target (config.selection.target other than island): its moments, computed once per feature space. */
export interface VerifierTarget {
  readonly kind: 'given' | 'shifted-real';
  moments(ctx: { features: IslandFeatureMap; dim: number; islands: IslandChannel[] }): Promise<TargetMoments>;
}

/**
 * The verifier target of a run, or null when the verifier aims at the islands (target absent or kind island).
 * `shifted-real` (the selection-bias paper's u* and Σ_bias): u* = μ* + s, s_j ~ N(0, shiftSd²) for the first
 * k = round(fraction·d) coordinates (drawn in order from the stream rngFor(runSeed, 'verifier-target')) and 0 after,
 * Σ_bias = covScale·Σ*. How the real moments μ*, Σ* are known without pooling data: in raw features, the Gaussian and
 * Gaussian-mixture toys declare them (their config's mean and covariance; the mixture's in closed form
 * Σ w_j(Σ_j + μ_jμ_jᵀ) − μμᵀ); for any other dataset or feature space, the exact moments of the islands' union
 * pooled from each island's mean and covariance (main/selection/reference-moments.ts poolMoments), so only moments
 * leave the islands, as for the pooled reference.
 */
export function verifierTarget(
  target: VerifierTargetConfig | undefined,
  dataset: DatasetConfig | undefined,
  runSeed: number,
): VerifierTarget | null {
  if (!target || target.kind === 'island') return null;
  const cache = new Map<string, Promise<TargetMoments>>();
  const key = (f: IslandFeatureMap) => (f.kind === 'raw' ? 'raw' : (f.key ?? f.kind));
  if (target.kind === 'given') {
    return {
      kind: 'given',
      async moments({ dim }) {
        return givenMoments(target, dim);
      },
    };
  }
  return {
    kind: 'shifted-real',
    moments({ features, dim, islands }) {
      const k = `${key(features)}:${dim}`;
      let p = cache.get(k);
      if (!p) {
        p = (async () => {
          const truth = features.kind === 'raw' && dataset ? declaredRealMoments(dataset) : null;
          let real: { mean: Float64Array; covariance: Float64Array; source: TargetMoments['source'] };
          if (truth) {
            real = { ...truth, source: 'dataset-truth' };
          } else {
            if (islands.length === 0)
              throw new Error('selection.target shifted-real: the run has no islands to take the real moments from');
            const pooled = poolMoments(await islandMoments(islands, features));
            real = { mean: pooled.mean, covariance: pooled.covariance, source: 'pooled-islands' };
          }
          if (real.mean.length !== dim) {
            throw new Error(`selection.target shifted-real: the real moments have ${real.mean.length} features but the candidates ${dim}`);
          }
          return { dim, ...shiftRealMoments(real.mean, real.covariance, target, runSeed), source: real.source };
        })();
        cache.set(k, p);
      }
      return p;
    },
  };
}

/** u* = μ* + the seeded shift of the first round(fraction·d) coordinates; Σ_bias = covScale·Σ*. */
export function shiftRealMoments(
  mean: Float64Array,
  covariance: Float64Array,
  spec: { shiftSd: number; fraction: number; covScale: number },
  runSeed: number,
): { mean: Float64Array; covariance: Float64Array } {
  const d = mean.length;
  const shifted = Float64Array.from(mean);
  const k = Math.floor(spec.fraction * d + 0.5);
  const rng = rngFor(runSeed, 'verifier-target');
  for (let j = 0; j < k; j++) shifted[j] += spec.shiftSd * rng.normal();
  return { mean: shifted, covariance: covariance.map((v) => spec.covScale * v) };
}

/**
 * A given target's moments in a feature space of `dim` values: its mean must have `dim` entries and its covariance be
 * `dim`×`dim` (or a diagonal, or one variance) and positive definite; errors name the field. The preflight calls it
 * with the selection features' dimension, so that a bad target is refused before the run's folder exists.
 */
export function givenMoments(target: Extract<VerifierTargetConfig, { kind: 'given' }>, dim: number): TargetMoments {
  if (target.mean.length !== dim) {
    throw new Error(`selection.target.mean has ${target.mean.length} entries but the selection features have ${dim}`);
  }
  const covariance = covarianceMatrix(target.cov, dim, 'selection.target.cov');
  cholesky(covariance, dim, 'selection.target.cov'); // refuses a covariance that is not positive definite, naming the field
  return { dim, mean: Float64Array.from(target.mean), covariance, source: 'given' };
}

/** The real mean and covariance a toy dataset declares (raw space), or null for data known only through samples. */
export function declaredRealMoments(dataset: DatasetConfig): { mean: Float64Array; covariance: Float64Array } | null {
  if (dataset.kind === 'gaussian') {
    const p = gaussianParams(dataset, 'dataset');
    return { mean: p.mean, covariance: covarianceOf(p) };
  }
  if (dataset.kind === 'gaussian-mixture') {
    const comps = mixtureComponents(dataset, 'dataset');
    const d = dataset.dim;
    const mean = new Float64Array(d);
    for (const c of comps) for (let i = 0; i < d; i++) mean[i] += c.weight * c.mean[i];
    const covariance = new Float64Array(d * d);
    for (const c of comps) {
      const s = covarianceOf(c);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) covariance[i * d + j] += c.weight * (s[i * d + j] + (c.mean[i] - mean[i]) * (c.mean[j] - mean[j]));
      }
    }
    return { mean, covariance };
  }
  return null;
}

/** L·Lᵀ from a Cholesky factor. */
function covarianceOf(p: GaussianParams): Float64Array {
  const d = p.dim;
  const L = p.cholesky;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k <= j; k++) s += L[i * d + k] * L[j * d + k];
      out[i * d + j] = s;
      out[j * d + i] = s;
    }
  }
  return out;
}
