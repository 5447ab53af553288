import { asFloat64, gemmABt, rowSquaredNorms } from '../ot/gemm';
import { rngFor, type Rng } from '../util/random';
import { checkKeep, schemeParams } from './params';
import type { SelectionScheme } from './scheme';

/**
 * k-means selection: k-means on the candidates with k = n (seeded k-means++ start, then Lloyd iterations with the
 * point–centroid distances from one blocked product per iteration); keeps the candidate nearest each centroid. Clusters
 * are disjoint, so the kept candidates are distinct; a centroid whose cluster ended empty takes the nearest candidate
 * not yet kept. Hand-written: no maintained npm k-means is seeded through our generator and fast at N = 4,000, k = 1,000.
 */
export function kmeansScheme(): SelectionScheme {
  return {
    name: 'kmeans',
    async select({ candidates, keep, seed, params }) {
      const p = schemeParams('kmeans', params);
      checkKeep(keep, candidates.n);
      const { n, dim } = candidates;
      const x = asFloat64(candidates.x);
      const km = kmeans(x, n, dim, keep, p.iterations, rngFor(seed, 'kmeans'));
      const selected = nearestPerCentroid(x, n, dim, km);
      return {
        selected,
        diagnostics: { inertia: km.inertia, lloydIterations: km.iterations, emptyClusters: km.empty },
      };
    },
  };
}

export interface KMeansResult {
  centroids: Float64Array;
  k: number;
  assign: Int32Array;
  /** Squared distance of each point to its centroid. */
  dist: Float64Array;
  inertia: number;
  iterations: number;
  empty: number;
}

/** k-means++ seeding (one draw per centre, D² weights) followed by at most `iterations` Lloyd iterations. */
export function kmeans(x: Float64Array, n: number, d: number, k: number, iterations: number, rng: Rng): KMeansResult {
  const C = new Float64Array(k * d);
  const D2 = new Float64Array(n).fill(Infinity);
  const chosen = new Uint8Array(n);
  let c0 = rng.int(n);
  for (let c = 0; c < k; c++) {
    if (c > 0) {
      let total = 0;
      for (let i = 0; i < n; i++) total += D2[i];
      c0 = -1;
      if (total > 0) {
        let r = rng.uniform() * total;
        for (let i = 0; i < n; i++) {
          r -= D2[i];
          if (r < 0 && D2[i] > 0) {
            c0 = i;
            break;
          }
        }
      }
      if (c0 < 0) {
        // every point already coincides with a centre (or rounding ran past the end): take a point not chosen yet
        let start = rng.int(n);
        while (chosen[start]) start = (start + 1) % n;
        c0 = start;
      }
    }
    chosen[c0] = 1;
    C.set(x.subarray(c0 * d, c0 * d + d), c * d);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = x[i * d + j] - x[c0 * d + j];
        s += t * t;
      }
      if (s < D2[i]) D2[i] = s;
    }
  }

  const xn = rowSquaredNorms(x, n, d);
  const assign = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const counts = new Float64Array(k);
  let it = 0;
  // the point–centroid products in row blocks of ≤ 4M entries, one reused buffer (N·k doubles at once would be
  // 800 MB at N = 20,000, k = 5,000, and fresh memory costs more to touch than the product)
  const blockRows = Math.max(1, Math.min(n, Math.floor(4_000_000 / k)));
  const G = new Float64Array(blockRows * k);
  const assignAll = (): boolean => {
    const cn = rowSquaredNorms(C, k, d);
    let changed = false;
    for (let i0 = 0; i0 < n; i0 += blockRows) {
      const rows = Math.min(blockRows, n - i0);
      gemmABt(x.subarray(i0 * d, (i0 + rows) * d), C, rows, k, d, G);
      for (let r = 0; r < rows; r++) {
        const i = i0 + r;
        let best = -1;
        let bd = Infinity;
        const o = r * k;
        for (let c = 0; c < k; c++) {
          const v = cn[c] - 2 * G[o + c];
          if (v < bd) {
            bd = v;
            best = c;
          }
        }
        if (assign[i] !== best) changed = true;
        assign[i] = best;
        dist[i] = Math.max(0, bd + xn[i]);
      }
    }
    return changed;
  };
  assignAll();
  for (; it < iterations; it++) {
    counts.fill(0);
    const sums = new Float64Array(k * d);
    for (let i = 0; i < n; i++) {
      const c = assign[i];
      counts[c]++;
      for (let j = 0; j < d; j++) sums[c * d + j] += x[i * d + j];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue; // an empty cluster keeps its centre
      for (let j = 0; j < d; j++) C[c * d + j] = sums[c * d + j] / counts[c];
    }
    if (!assignAll()) {
      it++;
      break;
    }
  }
  counts.fill(0);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    counts[assign[i]]++;
    inertia += dist[i];
  }
  let empty = 0;
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty++;
  return { centroids: C, k, assign, dist, inertia, iterations: it, empty };
}

/** Per centroid, the member nearest it; empty clusters take the nearest candidate not yet taken. */
export function nearestPerCentroid(x: Float64Array, n: number, d: number, km: KMeansResult): Int32Array {
  const best = new Int32Array(km.k).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = km.assign[i];
    if (best[c] < 0 || km.dist[i] < km.dist[best[c]]) best[c] = i;
  }
  const taken = new Uint8Array(n);
  for (const i of best) if (i >= 0) taken[i] = 1;
  for (let c = 0; c < km.k; c++) {
    if (best[c] >= 0) continue;
    let bi = -1;
    let bd = Infinity;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = x[i * d + j] - km.centroids[c * d + j];
        s += t * t;
      }
      if (s < bd) {
        bd = s;
        bi = i;
      }
    }
    best[c] = bi;
    taken[bi] = 1;
  }
  return best;
}
