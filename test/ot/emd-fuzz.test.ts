import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emd } from '../../main/ot/emd';

/**
 * The exact solver against POT's network simplex (`ot.emd2`) on 3,000 random problems of unequal sizes and weights,
 * with ties and duplicated points (issue 14, item 11). The problems are regenerated here from their index by the
 * generator of test/fixtures/ot/make_emd_fuzz.py, ported line for line (mulberry32, integers only); the fixture holds
 * each problem's sizes, a checksum of its integers and POT's cost.
 */

interface Fixture {
  pot: string;
  problems: [n: number, m: number, checksum: number, cost: number][];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/ot/emd-fuzz.json', import.meta.url), 'utf8')) as Fixture;

class Mulberry32 {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    const a = this.a;
    let t = Math.imul(a ^ (a >>> 15), 1 | a) >>> 0;
    t = (((t + (Math.imul(t ^ (t >>> 7), 61 | t) >>> 0)) >>> 0) ^ t) >>> 0;
    return (t ^ (t >>> 14)) >>> 0;
  }
  int(lo: number, hi: number): number {
    return lo + (this.next() % (hi - lo + 1));
  }
  unit(): number {
    return this.next() / 4294967296;
  }
}

const normalInt = (r: Mulberry32) => Math.floor((r.next() + r.next() + r.next() + r.next() - 2 ** 33) / 2479700);
const KINDS = ['uniform', 'counts', 'counts-zeros', 'float', 'uneven'] as const;

interface Problem {
  n: number;
  m: number;
  d: number;
  metric: 'sqeuclidean' | 'euclidean';
  x: Float64Array;
  y: Float64Array;
  a: Float64Array | null;
  b: Float64Array | null;
  checksum: number;
}

/**
 * M_ij = Σ_k (x_ik − y_jk)², summed in order (as numpy does for d ≤ 3), or its square root: the fixture's cost matrix
 * bit for bit. (main/ot/cost-matrix.ts computes ‖x‖² + ‖y‖² − 2x·y as POT's ot.dist does for sqeuclidean, whose rounding
 * the square root of the euclidean cost would magnify to 1e-8 at duplicated points: that is not the solver's to fix.)
 */
function directCost(p: Problem): Float64Array {
  const M = new Float64Array(p.n * p.m);
  for (let i = 0; i < p.n; i++) {
    for (let j = 0; j < p.m; j++) {
      let s = 0;
      for (let k = 0; k < p.d; k++) s += (p.x[i * p.d + k] - p.y[j * p.d + k]) ** 2;
      M[i * p.m + j] = p.metric === 'euclidean' ? Math.sqrt(s) : s;
    }
  }
  return M;
}

/** make_emd_fuzz.py's `problem(index)`. */
function problem(index: number): Problem {
  // index * 0x9E3779B1 + 14 exceeds 2^53 for large indices in doubles: reduce it mod 2^32 exactly, as Python's & does
  const r = new Mulberry32(Number((BigInt(index) * 0x9e3779b1n + 14n) & 0xffffffffn));
  const big = index % 150 === 149;
  const medium = index % 10 === 5;
  const n = big ? r.int(100, 200) : medium ? r.int(25, 120) : r.int(1, 24);
  let m = big ? r.int(100, 200) : medium ? r.int(25, 120) : r.int(1, 24);
  if (!big && r.unit() < 0.1) m = n;
  const d = r.int(1, 3);
  const grid = r.unit() < 0.5;
  const metric = r.unit() < 0.7 ? 'sqeuclidean' : 'euclidean';
  const q = grid ? 1 : 1000;
  const kx = Array.from({ length: n * d }, () => (grid ? r.int(0, 2) : normalInt(r)));
  const shift = r.int(0, 2) * q;
  const ky = Array.from({ length: m * d }, () => (grid ? r.int(0, 2) : normalInt(r)) + shift);
  if (!grid && r.unit() < 0.3) {
    const h = Math.floor(Math.min(n, m) / 2);
    for (let k = 0; k < h * d; k++) ky[k] = kx[k];
  }
  const sides: (number[] | null)[] = [];
  for (const size of [n, m]) {
    const kind = big ? 'uniform' : KINDS[r.int(0, KINDS.length - 1)];
    if (kind === 'uniform') {
      sides.push(null);
      continue;
    }
    let k: number[];
    if (kind === 'counts') k = Array.from({ length: size }, () => r.int(1, 11));
    else if (kind === 'counts-zeros') k = Array.from({ length: size }, () => r.int(0, 11));
    else if (kind === 'float') k = Array.from({ length: size }, () => r.int(1, 10 ** 9));
    else k = Array.from({ length: size }, () => (r.unit() < 0.5 ? 1 : 10 ** 12) + r.int(0, 999));
    if (k.reduce((s, v) => s + v, 0) === 0) k[r.int(0, size - 1)] = 1;
    sides.push(k);
  }
  const scaleB = sides[1] !== null && r.unit() < 0.2 ? 1 + 3e-9 : 1;
  const sum = (k: number[]) => k.reduce((s, v) => s + v, 0);
  const checksum = sum(kx) + sum(ky) + sides.reduce((s, k) => s + (k ? sum(k) : 0), 0);
  const weights = (k: number[] | null, scale: number) => {
    if (!k) return null;
    const s = sum(k);
    const w = Float64Array.from(k, (v) => v / s);
    return scale === 1 ? w : w.map((v) => v * scale);
  };
  return {
    n,
    m,
    d,
    metric,
    x: Float64Array.from(kx, (v) => v / q),
    y: Float64Array.from(ky, (v) => v / q),
    a: weights(sides[0], 1),
    b: weights(sides[1], scaleB),
    checksum,
  };
}

describe(`exact OT against POT ${fixture.pot} ot.emd2 on ${fixture.problems.length} random problems`, () => {
  it('regenerates the same problems as the fixture script', () => {
    fixture.problems.forEach(([n, m, checksum], i) => {
      const p = problem(i);
      expect([p.n, p.m, p.checksum], `problem ${i}`).toEqual([n, m, checksum]);
    });
  });

  it('solves every problem, with POT’s cost and the given marginals', () => {
    const failures: string[] = [];
    let unequal = 0;
    let threw = 0;
    fixture.problems.forEach(([, , , expected], i) => {
      const p = problem(i);
      if (p.n !== p.m) unequal++;
      const M = directCost(p);
      let res: ReturnType<typeof emd>;
      try {
        res = emd(p.a, p.b, M, p.n, p.m);
      } catch (e) {
        threw++;
        failures.push(`problem ${i} (${p.n} × ${p.m}): ${(e as Error).message}`);
        return;
      }
      let maxM = 0;
      for (const v of M) maxM = Math.max(maxM, v);
      if (!(Math.abs(res.cost - expected) <= 1e-12 * Math.max(1, maxM))) {
        failures.push(`problem ${i} (${p.n} × ${p.m}): cost ${res.cost}, POT ${expected}`);
        return;
      }
      // the plan's marginals: a, and b rescaled to a's total (as POT)
      const a = p.a ?? new Float64Array(p.n).fill(1 / p.n);
      const b = p.b ?? new Float64Array(p.m).fill(1 / p.m);
      const sa = a.reduce((s, v) => s + v, 0);
      const sb = b.reduce((s, v) => s + v, 0);
      const rows = new Float64Array(p.n);
      const cols = new Float64Array(p.m);
      for (let e = 0; e < res.support.rows.length; e++) {
        rows[res.support.rows[e]] += res.support.mass[e];
        cols[res.support.cols[e]] += res.support.mass[e];
      }
      for (let r = 0; r < p.n; r++)
        if (Math.abs(rows[r] - a[r]) > 1e-13) failures.push(`problem ${i}: row ${r} ships ${rows[r]}, not ${a[r]}`);
      for (let c = 0; c < p.m; c++) {
        const want = (b[c] * sa) / sb;
        if (Math.abs(cols[c] - want) > 1e-13) failures.push(`problem ${i}: column ${c} gets ${cols[c]}, not ${want}`);
      }
    });
    expect(unequal).toBeGreaterThan(fixture.problems.length / 2);
    expect({ threw, failures: failures.length, first: failures.slice(0, 10) }).toEqual({ threw: 0, failures: 0, first: [] });
  });
});
