import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { costMatrix, euclideanCost, sqeuclideanCost } from '../../main/ot/cost-matrix';
import { emd } from '../../main/ot/emd';
import { solveAssignment } from '../../main/ot/assignment';
import { solveTransport } from '../../main/ot/transport-shortest-path';
import { Rng } from '../../main/util/random';

interface EmdCase {
  name: string;
  n: number;
  m: number;
  d: number;
  metric: 'sqeuclidean' | 'euclidean';
  x: number[];
  y: number[];
  a: number[] | null;
  b: number[] | null;
  cost: number;
}
const cases = JSON.parse(readFileSync(new URL('../fixtures/ot/emd.json', import.meta.url), 'utf8')) as EmdCase[];

/** Dual feasibility, complementary slackness, marginals and strong duality of a solution. */
function checkOptimality(M: Float64Array, n: number, m: number, a: Float64Array, b: Float64Array, res: ReturnType<typeof emd>) {
  const scale = Math.max(1, ...M);
  let minReduced = Infinity;
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) minReduced = Math.min(minReduced, M[i * m + j] - res.u[i] - res.v[j]);
  expect(minReduced).toBeGreaterThan(-1e-12 * scale);
  const P = res.plan!;
  const rows = new Float64Array(n);
  const cols = new Float64Array(m);
  let primal = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const p = P[i * m + j];
      expect(p).toBeGreaterThanOrEqual(0);
      rows[i] += p;
      cols[j] += p;
      primal += p * M[i * m + j];
      if (p > 1e-14) expect(Math.abs(M[i * m + j] - res.u[i] - res.v[j])).toBeLessThan(1e-12 * scale);
    }
  }
  for (let i = 0; i < n; i++) expect(rows[i]).toBeCloseTo(a[i], 12);
  for (let j = 0; j < m; j++) expect(cols[j]).toBeCloseTo(b[j], 12);
  let dual = 0;
  for (let i = 0; i < n; i++) dual += a[i] * res.u[i];
  for (let j = 0; j < m; j++) dual += b[j] * res.v[j];
  expect(primal).toBeCloseTo(res.cost, 12);
  expect(Math.abs(dual - res.cost)).toBeLessThan(1e-11 * Math.max(1, res.cost));
}

describe('emd against POT ot.emd', () => {
  for (const c of cases) {
    it(c.name, () => {
      const x = Float64Array.from(c.x);
      const y = Float64Array.from(c.y);
      const M = costMatrix(c.metric, x, y, c.n, c.m, c.d);
      const a = c.a ? Float64Array.from(c.a) : null;
      const b = c.b ? Float64Array.from(c.b) : null;
      const res = emd(a, b, M, c.n, c.m);
      expect(Math.abs(res.cost - c.cost)).toBeLessThan(1e-12 * Math.max(1, c.cost));
      const wa = a ?? new Float64Array(c.n).fill(1 / c.n);
      let wb = b ?? new Float64Array(c.m).fill(1 / c.m);
      const sa = wa.reduce((s, v) => s + v, 0);
      const sb = wb.reduce((s, v) => s + v, 0);
      wb = wb.map((v) => (v * sa) / sb);
      checkOptimality(M, c.n, c.m, wa, wb, res);
      // the sparse support and the dense plan agree, and the support is a basic solution (≤ n + m − 1 entries)
      expect(res.support.rows.length).toBeLessThanOrEqual(c.n + c.m - 1);
    });
  }

  it('rejects marginals with different totals, bad weights and non-finite costs', () => {
    const M = new Float64Array(4).fill(1);
    expect(() => emd(Float64Array.of(0.5, 0.5), Float64Array.of(1, 1), M, 2, 2)).toThrow(/same total mass/);
    expect(() => emd(Float64Array.of(-1, 2), null, M, 2, 2)).toThrow(/weight 0/);
    expect(() => emd(null, null, Float64Array.of(1, NaN, 1, 1), 2, 2)).toThrow(/entry 1/);
    expect(() => emd(null, null, M, 2, 3)).toThrow(/expected 2 × 3/);
  });

  it('the assignment solver matches a brute-force search on small random and tied problems', () => {
    const rng = new Rng(3);
    const perms = (n: number): number[][] =>
      n === 1 ? [[0]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]));
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + (trial % 6);
      const C = new Float64Array(n * n);
      for (let k = 0; k < C.length; k++) C[k] = trial % 2 ? rng.int(4) : rng.uniform();
      let best = Infinity;
      for (const p of perms(n))
        best = Math.min(
          best,
          p.reduce((s, j, i) => s + C[i * n + j], 0),
        );
      const sol = solveAssignment(C, n);
      expect(new Set(sol.rowToCol).size).toBe(n);
      expect(sol.total).toBeCloseTo(best, 12);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) expect(C[i * n + j] - sol.u[i] - sol.v[j]).toBeGreaterThan(-1e-12);
        expect(C[i * n + sol.rowToCol[i]] - sol.u[i] - sol.v[sol.rowToCol[i]]).toBeCloseTo(0, 12);
      }
    }
  });

  it('the general solver agrees with the assignment solver on square uniform problems', () => {
    const rng = new Rng(8);
    const n = 70;
    const x = rng.fillNormal(new Float64Array(n * 4));
    const y = rng.fillNormal(new Float64Array(n * 4));
    const M = sqeuclideanCost(x, y, n, n, 4);
    const viaAssignment = emd(null, null, M, n, n).cost;
    const w = new Float64Array(n).fill(1 / n);
    const viaTransport = solveTransport(w, w, M, n, n).cost;
    expect(viaTransport).toBeCloseTo(viaAssignment, 12);
  });
});

describe('cost matrices', () => {
  it('match direct differences, are exact zeros on the diagonal of a set with itself', () => {
    const rng = new Rng(1);
    const n = 9;
    const m = 6;
    const d = 5;
    const x = rng.fillNormal(new Float32Array(n * d));
    const y = rng.fillNormal(new Float64Array(m * d));
    const M = sqeuclideanCost(x, y, n, m, d);
    const E = euclideanCost(x, y, n, m, d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += (x[i * d + k] - y[j * d + k]) ** 2;
        expect(M[i * m + j]).toBeCloseTo(s, 12);
        expect(E[i * m + j]).toBeCloseTo(Math.sqrt(s), 12);
      }
    }
    const S = sqeuclideanCost(x, x, n, n, d);
    for (let i = 0; i < n; i++) {
      expect(S[i * n + i]).toBe(0);
      for (let j = 0; j < n; j++) expect(S[i * n + j]).toBe(S[j * n + i]);
    }
    expect(() => sqeuclideanCost(x, y, n, m, d + 1)).toThrow(/expected 9 × 6/);
  });
});
