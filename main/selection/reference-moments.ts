import type { IslandChannel } from '../islands/island-channel';
import type { IslandFeatureMap } from '../islands/protocol';
import type { ReferenceKind } from './scheme';

/** Mean and unbiased covariance of a reference, in the selection feature space. */
export interface ReferenceMoments {
  /** The islands it summarises. */
  islands: number[];
  n: number;
  dim: number;
  mean: Float64Array;
  /** Row-major [dim, dim], unbiased. */
  covariance: Float64Array;
}

/** Each island's moments (mean and covariance), asked concurrently. */
export async function islandMoments(channels: IslandChannel[], features: IslandFeatureMap): Promise<ReferenceMoments[]> {
  const rs = await Promise.all(channels.map((c) => c.request({ type: 'moments', features, covariance: true })));
  return rs.map((r) => ({ islands: [r.island], n: r.n, dim: r.dim, mean: r.mean, covariance: r.covariance }));
}

/**
 * Exact moments of the union of several islands from their own: mean = Σ n_k μ_k / n, scatter = Σ (n_k − 1) Σ_k +
 * n_k (μ_k − μ)(μ_k − μ)ᵀ, covariance = scatter / (n − 1).
 */
export function poolMoments(parts: ReferenceMoments[]): ReferenceMoments {
  if (parts.length === 0) throw new Error('poolMoments: nothing to pool');
  const d = parts[0].dim;
  let n = 0;
  const mean = new Float64Array(d);
  for (const p of parts) {
    if (p.dim !== d) throw new Error(`poolMoments: dimensions ${p.dim} and ${d} differ`);
    n += p.n;
    for (let j = 0; j < d; j++) mean[j] += p.n * p.mean[j];
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const diff = new Float64Array(d);
  for (const p of parts) {
    for (let j = 0; j < d; j++) diff[j] = p.mean[j] - mean[j];
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) cov[a * d + b] += (p.n - 1) * p.covariance[a * d + b] + p.n * diff[a] * diff[b];
    }
  }
  for (let k = 0; k < cov.length; k++) cov[k] /= Math.max(1, n - 1);
  return { islands: parts.flatMap((p) => p.islands), n, dim: d, mean, covariance: cov };
}

/**
 * The references of a reference-based baseline: `local` → [the verifier island], `per-island` → one per island,
 * `pooled` → [the union of all islands] (an oracle; only the islands' moments travel).
 */
export async function referenceMoments(
  channels: IslandChannel[],
  features: IslandFeatureMap,
  kind: ReferenceKind,
  verifier: number,
): Promise<ReferenceMoments[]> {
  if (channels.length === 0) throw new Error('this selection scheme needs a reference, but the run has no islands');
  if (kind === 'local') {
    const c = channels.find((ch) => ch.id === verifier);
    if (!c) throw new Error(`selection.verifier = ${verifier}: there is no island ${verifier} (islands 0..${channels.length - 1})`);
    return islandMoments([c], features);
  }
  const all = await islandMoments(channels, features);
  return kind === 'pooled' ? [poolMoments(all)] : all;
}
