import { describe, expect, it } from 'vitest';
import type { Samples } from '../../main/data/samples';
import { moments } from '../../main/islands/island-agent';
import { startIslands } from '../../main/islands/start-islands';
import { CovarianceGreedy } from '../../main/selection/covmatch';
import { kmeans } from '../../main/selection/kmeans';
import { lazyGreedyLogCoverage } from '../../main/selection/lazy-greedy';
import { quotas } from '../../main/selection/per-island';
import { poolMoments } from '../../main/selection/reference-moments';
import { getScheme } from '../../main/selection/registry';
import type { ReferenceKind } from '../../main/selection/scheme';
import { mahalanobisSquared } from '../../main/selection/whitening';
import { Rng } from '../../main/util/random';

const d = 6;
function gaussian(rng: Rng, n: number, shift: number[], scale = 1): Samples {
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = scale * rng.normal() + (shift[j] ?? 0);
  return { x, n, dim: d };
}
const rng = new Rng(11);
const islandData = [gaussian(rng, 120, [2, 0, 0]), gaussian(rng, 150, [-2, 1, 0], 0.7), gaussian(rng, 90, [0, -2, 1])];
const candidates = gaussian(rng, 400, [0, 0, 0], 1.6);
const fleet = startIslands(islandData, 0, { mode: 'in-process' });
const select = (scheme: string, reference: ReferenceKind, params: Record<string, unknown> = {}, keep = 60) =>
  getScheme(scheme).select({ candidates, keep, islands: fleet.channels, reference, verifier: 1, seed: 9, params });
const sqDist = (x: Float32Array, i: number, c: ArrayLike<number>) => {
  let s = 0;
  for (let j = 0; j < d; j++) s += (x[i * d + j] - c[j]) ** 2;
  return s;
};
const rowsOf = (s: Samples, idx: ArrayLike<number>) => Array.from(idx, (i) => s.x.subarray(i * d, i * d + d));
const covOf = (s: Samples, idx: ArrayLike<number>) => {
  const flat = Float32Array.from(rowsOf(s, idx).flatMap((r) => Array.from(r)));
  return moments(flat, idx.length, d).covariance;
};

describe('center', () => {
  it('local: the n candidates nearest the verifier island mean', async () => {
    const mean = moments(islandData[1].x, islandData[1].n, d).mean;
    const r = await select('center', 'local');
    const dist = Array.from({ length: candidates.n }, (_, i) => sqDist(candidates.x, i, mean));
    const cutoff = [...dist].sort((a, b) => a - b)[59];
    for (const i of r.selected) expect(dist[i]).toBeLessThanOrEqual(cutoff);
  });
  it('pooled: nearest the mean of all real data', async () => {
    const all = poolMoments(islandData.map((s, k) => ({ islands: [k], n: s.n, dim: d, ...mc(s) })));
    const r = await select('center', 'pooled');
    const dist = Array.from({ length: candidates.n }, (_, i) => sqDist(candidates.x, i, all.mean));
    const cutoff = [...dist].sort((a, b) => a - b)[59];
    for (const i of r.selected) expect(dist[i]).toBeLessThanOrEqual(cutoff);
  });
  it('per-island: each island keeps n/K, each its own nearest', async () => {
    const r = await select('center', 'per-island', {}, 61);
    expect(quotas(61, 3)).toEqual([21, 20, 20]);
    const means = islandData.map((s) => moments(s.x, s.n, d).mean);
    // the island nearest each kept candidate's mean, counted: every island got a share
    const owner = Array.from(r.selected, (i) => means.map((m) => sqDist(candidates.x, i, m)).reduce((b, v, k, a) => (v < a[b] ? k : b), 0));
    for (let k = 0; k < 3; k++) expect(owner.filter((o) => o === k).length).toBeGreaterThan(10);
    expect(new Set(r.selected).size).toBe(61);
  });
});

function mc(s: Samples) {
  const m = moments(s.x, s.n, d);
  return { mean: m.mean, covariance: m.covariance };
}

describe('topalpha', () => {
  it('keeps exactly the highest scores (−Mahalanobis distance to the verifier island)', async () => {
    const ref = mc(islandData[1]);
    const r = await select('topalpha', 'local');
    const m2 = mahalanobisSquared(candidates.x, candidates.n, d, ref.mean, ref.covariance, 1e-6);
    const cutoff = [...m2].sort((a, b) => a - b)[59];
    for (const i of r.selected) expect(m2[i]).toBeLessThanOrEqual(cutoff);
  });
  it('Mahalanobis distances match a direct solve', () => {
    const cov = new Float64Array([4, 1, 0, 1, 3, 0.5, 0, 0.5, 2]);
    const mean = new Float64Array([1, 0, -1]);
    const x = new Float32Array([2, 1, 0]);
    // (x − μ)ᵀ Σ⁻¹ (x − μ) with Σ⁻¹ by hand: solve Σ y = x − μ
    const diff = [1, 1, 1];
    const det = 4 * (3 * 2 - 0.25) - 1 * (1 * 2 - 0) + 0;
    const inv = [
      [(3 * 2 - 0.25) / det, -(1 * 2 - 0) / det, (0.5 - 0) / det],
      [-(2 - 0) / det, (8 - 0) / det, -(2 - 0) / det],
      [(0.5 - 0) / det, -(2 - 0) / det, (12 - 1) / det],
    ];
    let want = 0;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) want += diff[a] * inv[a][b] * diff[b];
    expect(mahalanobisSquared(x, 1, 3, mean, cov, 0)[0]).toBeCloseTo(want, 10);
  });
  it('with alpha, keeps n of the accepted top ⌈α·N⌉', async () => {
    const ref = mc(islandData[1]);
    const r = await select('topalpha', 'local', { alpha: 0.5 });
    const m2 = mahalanobisSquared(candidates.x, candidates.n, d, ref.mean, ref.covariance, 1e-6);
    const cutoff = [...m2].sort((a, b) => a - b)[199];
    for (const i of r.selected) expect(m2[i]).toBeLessThanOrEqual(cutoff);
    await expect(select('topalpha', 'local', { alpha: 0.1 })).rejects.toThrow(/fewer than keep/);
  });
});

describe('kmeans', () => {
  it('Lloyd iterations lower the inertia of the k-means++ start; n distinct candidates are kept', async () => {
    const x = Float64Array.from(candidates.x);
    const k0 = kmeans(x, candidates.n, d, 30, 0, new Rng(1));
    const k5 = kmeans(x, candidates.n, d, 30, 20, new Rng(1));
    expect(k5.inertia).toBeLessThan(k0.inertia);
    const r = await select('kmeans', 'local', { iterations: 20 }, 30);
    expect(new Set(r.selected).size).toBe(30);
    expect(r.diagnostics.inertia).toBeGreaterThan(0);
  });
  it('on well-separated clusters, keeps one candidate per cluster, each nearest its centre', async () => {
    const r2 = new Rng(4);
    const centres = [
      [0, 0],
      [20, 0],
      [0, 20],
      [20, 20],
      [-20, 5],
    ];
    const pts: number[] = [];
    for (const c of centres) for (let i = 0; i < 40; i++) pts.push(c[0] + r2.normal(), c[1] + r2.normal());
    const s: Samples = { x: Float32Array.from(pts), n: 200, dim: 2 };
    const res = await getScheme('kmeans').select({
      candidates: s,
      keep: 5,
      islands: [],
      reference: 'local',
      verifier: 0,
      seed: 2,
      params: {},
    });
    const got = Array.from(res.selected, (i) => Math.floor(i / 40)).sort();
    expect(got).toEqual([0, 1, 2, 3, 4]);
    for (const i of res.selected) {
      const c = Math.floor(i / 40);
      let mx = 0,
        my = 0;
      for (let q = c * 40; q < c * 40 + 40; q++) {
        mx += pts[2 * q] / 40;
        my += pts[2 * q + 1] / 40;
      }
      const di = Math.hypot(pts[2 * i] - mx, pts[2 * i + 1] - my);
      for (let q = c * 40; q < c * 40 + 40; q++) expect(di).toBeLessThanOrEqual(Math.hypot(pts[2 * q] - mx, pts[2 * q + 1] - my) + 1e-9);
    }
  });
});

describe('covmatch', () => {
  it('the running-sum objective equals ‖Σ̂(S ∪ {i}) − R‖² computed directly', () => {
    const r3 = new Rng(8);
    const p = 4;
    const n = 50;
    const z = Float64Array.from({ length: n * p }, () => r3.normal());
    const lambda = Float64Array.from([2, 1, 0.5, 0.2]);
    const g = new CovarianceGreedy(z, n, p, lambda);
    const taken = new Uint8Array(n);
    const kept: number[] = [];
    for (let step = 0; step < 8; step++) {
      const i = g.next(taken);
      if (step > 0) {
        // brute force: the best candidate by the direct objective
        const obj = (c: number) => {
          const S = [...kept, c];
          const m = S.length;
          const mu = new Array(p).fill(0);
          for (const s of S) for (let k = 0; k < p; k++) mu[k] += z[s * p + k] / m;
          let f = 0;
          for (let a = 0; a < p; a++) {
            for (let b = 0; b < p; b++) {
              let cov = 0;
              for (const s of S) cov += (z[s * p + a] - mu[a]) * (z[s * p + b] - mu[b]);
              f += (cov / m - (a === b ? lambda[a] : 0)) ** 2;
            }
          }
          return f;
        };
        let best = -1;
        for (let c = 0; c < n; c++) if (!taken[c] && (best < 0 || obj(c) < obj(best))) best = c;
        expect(obj(i)).toBeCloseTo(obj(best), 9);
      }
      taken[i] = 1;
      kept.push(i);
      g.add(i);
    }
  });
  it("the kept covariance is closer to the reference's than a random subset's", async () => {
    const ref = mc(islandData[1]);
    const frob = (c: Float64Array) => Math.sqrt(c.reduce((s, v, q) => s + (v - ref.covariance[q]) ** 2, 0));
    const r = await select('covmatch', 'local', { components: d });
    const rnd = await select('random', 'local');
    expect(frob(covOf(candidates, r.selected))).toBeLessThan(0.5 * frob(covOf(candidates, rnd.selected)));
  });
});

describe('lazy greedy (Scheme I selector)', () => {
  it('returns the plain greedy set of Σ_k log(1 + Σ u_ik)', () => {
    const r4 = new Rng(3);
    const K = 4;
    const n = 80;
    const u = Array.from({ length: K }, () => Float64Array.from({ length: n }, () => (r4.uniform() < 0.3 ? 0 : r4.uniform())));
    const lazy = lazyGreedyLogCoverage(u, n, 25);
    const cover = new Float64Array(K);
    const taken = new Uint8Array(n);
    let objective = 0;
    for (let c = 0; c < 25; c++) {
      let best = -1;
      let bg = -Infinity;
      for (let i = 0; i < n; i++) {
        if (taken[i]) continue;
        let g = 0;
        for (let k = 0; k < K; k++) g += Math.log(1 + cover[k] + u[k][i]) - Math.log(1 + cover[k]);
        if (g > bg + 1e-12) {
          bg = g;
          best = i;
        }
      }
      expect(lazy.selected[c]).toBe(best);
      taken[best] = 1;
      objective += bg;
      for (let k = 0; k < K; k++) cover[k] += u[k][best];
    }
    expect(lazy.objective).toBeCloseTo(objective, 9);
  });
});

describe('ot-proxy with the geodesic proxy', () => {
  it('refuses a pool whose N × N problem would not fit, naming the size and the way out, before any island works', async () => {
    const big = gaussian(new Rng(1), 17_000, [0, 0, 0]);
    for (const c of fleet.channels) c.resetCounters();
    await expect(
      getScheme('ot-proxy').select({
        candidates: big,
        keep: 100,
        islands: fleet.channels,
        reference: 'local',
        verifier: 0,
        seed: 1,
        params: { proxy: 'geodesic' },
      }),
    ).rejects.toThrow(/N = 17000 candidates needs 2\.2 GiB per island \(at most 16384 candidates\).*proxy "data"/);
    expect(fleet.channels.map((c) => c.bytesSent)).toEqual([0, 0, 0]);
  });
});
