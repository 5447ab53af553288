import { describe, expect, it } from 'vitest';
import { concatSamples, concatSamplesLazily, takeRows, takeRowsOfParts, type Samples } from '../../main/data/samples';
import { drawGaussian, drawGaussianRows, mergeRowMoments, rowMoments, weightedMoments } from '../../main/models/dense-gaussian';
import { GaussianModel } from '../../main/models/gaussian';
import { pooledMoments } from '../../main/models/pooled-moments';
import { Rng } from '../../main/util/random';

function rows(n: number, d: number, seed: number, shift = 0): Samples {
  const r = new Rng(seed);
  const x = new Float32Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = r.normal() * (1 + (i % d)) + shift;
  return { x, n, dim: d };
}

/** The plain two-pass moments, one row at a time: what rowMoments must equal bit for bit. */
function plainMoments(x: Float32Array, n: number, d: number) {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const m = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) c[j] = x[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) m[a * d + b] += c[a] * c[b];
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) m[b * d + a] = m[a * d + b];
  return { mean, scatter: m };
}

describe('moments of rows, whole or by parts', () => {
  it.each([
    [1, 1],
    [7, 3],
    [33, 5],
    [64, 10],
  ])('rowMoments (four rows at a time) equals the row-by-row sums bit for bit (n %i, d %i)', (n, d) => {
    const s = rows(n, d, n + d);
    const fast = rowMoments(s.x, n, d);
    const plain = plainMoments(s.x, n, d);
    expect(Array.from(fast.mean)).toEqual(Array.from(plain.mean));
    expect(Array.from(fast.scatter)).toEqual(Array.from(plain.scatter));
    const w = weightedMoments(s.x, n, d);
    expect(Array.from(w.cov)).toEqual(Array.from(plain.scatter).map((v) => v / n));
  });

  it('merged parts give the moments of their concatenation (to rounding), and the Gaussian fits the same from either', async () => {
    const d = 6;
    const parts = [rows(40, d, 1), rows(25, d, 2, 3), rows(1, d, 3, -2), rows(0, d, 4), rows(30, d, 5, 0.5)];
    const whole = concatSamples(parts);
    const direct = plainMoments(whole.x, whole.n, d);
    const merged = pooledMoments(parts, d);
    expect(merged.n).toBe(whole.n);
    for (let j = 0; j < d; j++) expect(Math.abs(merged.mean[j] - direct.mean[j])).toBeLessThan(1e-12 * (1 + Math.abs(direct.mean[j])));
    for (let k = 0; k < d * d; k++)
      expect(Math.abs(merged.scatter[k] - direct.scatter[k])).toBeLessThan(1e-11 * (1 + Math.abs(direct.scatter[k])));
    // merging is the pairwise update: two halves of one set
    const a = rowMoments(whole.x.subarray(0, 50 * d), 50, d);
    const b = rowMoments(whole.x.subarray(50 * d), whole.n - 50, d);
    const ab = mergeRowMoments(a, b);
    for (let k = 0; k < d * d; k++) expect(ab.scatter[k]).toBeCloseTo(direct.scatter[k], 9);

    const byParts = new GaussianModel({ ridge: 1e-6 }, [d]);
    const byRows = new GaussianModel({ ridge: 1e-6 }, [d]);
    const lazily = concatSamplesLazily(parts);
    await byParts.fit(lazily, { seed: 1 });
    await byRows.fit(whole, { seed: 1 });
    for (let k = 0; k < d * d; k++) expect(byParts.cov![k]).toBeCloseTo(byRows.cov![k], 10);
    // the same parts again (a later generation, a resumed run): the same bits
    const again = new GaussianModel({ ridge: 1e-6 }, [d]);
    await again.fit(concatSamplesLazily(parts), { seed: 1 });
    expect(Array.from(again.cov!)).toEqual(Array.from(byParts.cov!));
    // the rows are there when read
    expect(Array.from(lazily.x)).toEqual(Array.from(whole.x));
  });

  it('a later generation (the earlier parts and one more) continues the kept fold: the bits of the same parts folded afresh', async () => {
    const d = 5;
    const parts = [rows(30, d, 11), rows(20, d, 12, 1), rows(25, d, 13, -1)];
    const afresh = (ps: Samples[]) =>
      pooledMoments(
        ps.map((p) => ({ ...p, x: Float32Array.from(p.x) })),
        d,
      );
    const bits = (m: { n: number; mean: Float64Array; scatter: Float64Array }) => [m.n, ...m.mean, ...m.scatter];
    pooledMoments(parts.slice(0, 2), d); // generation 1 keeps its fold
    const grown = pooledMoments(parts, d);
    expect(bits(grown)).toEqual(bits(afresh(parts)));
    // a prefix with another part in it is not taken for the kept one
    const swapped = [parts[0], rows(20, d, 14, 1), parts[2]];
    expect(bits(pooledMoments(swapped, d))).toEqual(bits(afresh(swapped)));
    expect(bits(pooledMoments(swapped, d))).not.toEqual(bits(grown));
    // a fit reads the kept moments and leaves them as they were: the next fit on the same parts gives the same model
    const a = new GaussianModel({ ridge: 1e-6 }, [d]);
    await a.fit(concatSamplesLazily(parts), { seed: 1 });
    const b = new GaussianModel({ ridge: 1e-6 }, [d]);
    await b.fit(concatSamplesLazily(parts), { seed: 1 });
    expect(Array.from(b.cov!)).toEqual(Array.from(a.cov!));
    expect(bits(pooledMoments(parts, d))).toEqual(bits(afresh(parts)));
  });

  it('takeRowsOfParts picks the rows takeRows picks from the concatenation, labels included', () => {
    const parts = [rows(5, 2, 1), rows(0, 2, 2), rows(3, 2, 3), rows(4, 2, 4)].map((p, i) => ({
      ...p,
      labels: Int32Array.from({ length: p.n }, (_, r) => 10 * i + r),
    }));
    const idx = Int32Array.from([11, 0, 4, 5, 7, 8, 1, 10]);
    expect(takeRowsOfParts(parts, idx)).toEqual(takeRows(concatSamples(parts), idx));
    expect(() => takeRowsOfParts(parts, [12])).toThrow(/row 12 out of range \[0, 12\)/);
  });

  it('takeRows copies row by row: a leading block of consecutive rows, short and long rows, out-of-range rows refused', () => {
    for (const d of [1, 3, 64, 70]) {
      const s = { ...rows(9, d, d), labels: Int32Array.from({ length: 9 }, (_, r) => 100 + r) };
      for (const idx of [[0, 1, 2, 3, 4, 5, 6, 7, 8], [3, 4, 5, 0, 8, 8], [7, 8], [2, 1, 0], []]) {
        const want = new Float32Array(idx.length * d);
        idx.forEach((r, i) => {
          for (let j = 0; j < d; j++) want[i * d + j] = s.x[r * d + j];
        });
        const got = takeRows(s, idx);
        expect(Array.from(got.x)).toEqual(Array.from(want));
        expect(Array.from(got.labels!)).toEqual(idx.map((r) => 100 + r));
        expect(got.n).toBe(idx.length);
      }
      expect(() => takeRows(s, [7, 8, 9])).toThrow(/row 9 out of range \[0, 9\)/);
      expect(() => takeRows(s, [-1, 0])).toThrow(/row -1 out of range/);
    }
  });

  it('drawGaussianRows draws what drawGaussian draws row by row, bit for bit', () => {
    const d = 5;
    const s = rows(50, d, 9);
    const { mean, cov } = weightedMoments(s.x, s.n, d);
    for (let i = 0; i < d; i++) cov[i * d + i] += 1e-6;
    const m = new GaussianModel({ ridge: 0 }, [d]);
    m.setParameters(mean, cov);
    const l = (m as unknown as { chol: Float64Array }).chol;
    for (const n of [1, 4, 7]) {
      const r1 = new Rng(3);
      const r2 = new Rng(3);
      const fast = new Float32Array(n * d);
      drawGaussianRows(l, d, mean, () => r1.normal(), fast, n);
      const plain = new Float32Array(n * d);
      const z = new Float64Array(d);
      for (let i = 0; i < n; i++) drawGaussian(l, d, mean, 0, () => r2.normal(), plain, i * d, z);
      expect(Array.from(fast)).toEqual(Array.from(plain));
    }
  });
});
