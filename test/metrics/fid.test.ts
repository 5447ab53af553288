import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gaussianStats, varianceTrace } from '../../main/metrics/covariance';
import { fid, frechetDistance } from '../../main/metrics/fid';
import { traceSqrtProduct } from '../../main/metrics/matrix-sqrt-trace';
import { Rng } from '../../main/util/random';

interface FidCase {
  name: string;
  n1: number;
  n2: number;
  d: number;
  x: number[];
  y: number[];
  fid: number;
  trace1: number;
  trace2: number;
  mean1: number[];
}
const cases = JSON.parse(readFileSync(new URL('../fixtures/metrics/fid.json', import.meta.url), 'utf8')) as FidCase[];

describe('FID against pytorch-fid (scipy sqrtm)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const x = Float64Array.from(c.x);
      const y = Float64Array.from(c.y);
      const value = fid(x, c.n1, y, c.n2, c.d);
      // pytorch-fid's general sqrtm carries ~1e-8 relative noise on singular products; ours is the symmetric form
      expect(Math.abs(value - c.fid)).toBeLessThan(1e-6 * Math.max(1, Math.abs(c.fid)));
      const s = gaussianStats(x, c.n1, c.d);
      for (let k = 0; k < c.d; k++) expect(s.mean[k]).toBeCloseTo(c.mean1[k], 12);
      expect(varianceTrace(x, c.n1, c.d)).toBeCloseTo(c.trace1, 10);
      expect(varianceTrace(y, c.n2, c.d)).toBeCloseTo(c.trace2, 10);
    });
  }

  it('is the closed form for commuting (diagonal) covariances', () => {
    const d = 4;
    const va = [1, 2, 0, 4];
    const vb = [4, 0.5, 3, 1];
    const A = new Float64Array(d * d);
    const B = new Float64Array(d * d);
    for (let k = 0; k < d; k++) {
      A[k * d + k] = va[k];
      B[k * d + k] = vb[k];
    }
    const expected = va.reduce((s, v, k) => s + (Math.sqrt(v) - Math.sqrt(vb[k])) ** 2, 0) + 1;
    const got = frechetDistance({ mean: Float64Array.of(1, 0, 0, 0), cov: A }, { mean: new Float64Array(d), cov: B }, d);
    expect(got).toBeCloseTo(expected, 12);
    expect(traceSqrtProduct(A, B, d)).toBeCloseTo(
      va.reduce((s, v, k) => s + Math.sqrt(v * vb[k]), 0),
      12,
    );
  });

  it('trace of sqrtm(AB) is symmetric in A and B for random PSD matrices of low rank', () => {
    const rng = new Rng(4);
    const d = 20;
    const mk = (r: number) => {
      const F = rng.fillNormal(new Float64Array(r * d));
      const S = new Float64Array(d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let q = 0; q < r; q++) S[i * d + j] += F[q * d + i] * F[q * d + j];
      return S;
    };
    const A = mk(5);
    const B = mk(12);
    expect(traceSqrtProduct(A, B, d)).toBeCloseTo(traceSqrtProduct(B, A, d), 9);
  });

  it('rejects non-finite statistics', () => {
    const cov = Float64Array.of(1, 0, 0, 1);
    expect(() => frechetDistance({ mean: Float64Array.of(NaN, 0), cov }, { mean: new Float64Array(2), cov }, 2)).toThrow(/mean 1/);
  });
});

interface Float32Fixture {
  n: number;
  d: number;
  a: [number, number, number];
  cases: { name: string; b: [number, number, number]; fid: number; traces: number }[];
  nSmall: number;
  small: Float32Fixture['cases'];
}
const large = JSON.parse(readFileSync(new URL('../fixtures/metrics/fid_float32.json', import.meta.url), 'utf8')) as Float32Fixture;

/** The features of make_fid_float32.py, the same formula evaluated the same way, rounded to float32. */
function features(n: number, d: number, [scale, offset, phase]: [number, number, number]): Float32Array {
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const v = Math.sin(0.37 * i + 1.3 * k + phase) + 0.5 * Math.sin(0.11 * i * (1 + 0.01 * k) + phase);
      x[i * d + k] = Math.abs(scale * v + offset + 0.05 * k);
    }
  }
  return x;
}

describe('FID with float32 covariance sums', () => {
  it('stays within 1e-7·(tr Σ1 + tr Σ2) of SciPy and of the float64 FID (3,000 × 96 features)', () => {
    const { n, d } = large;
    const a = features(n, d, large.a);
    for (const c of large.cases) {
      const b = features(n, d, c.b);
      const f32 = fid(a, n, b, n, d, 'float32');
      const f64 = fid(a, n, b, n, d);
      expect(Math.abs(f64 - c.fid), c.name).toBeLessThan(1e-6 * Math.max(1, c.fid));
      expect(Math.abs(f32 - c.fid), c.name).toBeLessThan(1e-7 * c.traces);
      expect(Math.abs(f32 - f64), c.name).toBeLessThan(1e-7 * c.traces);
    }
  });

  it('stays within 3e-7·(tr Σ1 + tr Σ2) of SciPy and of the float64 FID with singular covariances (60 × 96)', () => {
    // the rounding errors of the zero eigenvalues enter tr sqrtm through their square roots: measured 1.7e-7 here
    // (SciPy's float64 sqrtm itself differs from the float64 value by 1.1e-7 on these singular products)
    const { nSmall: n, d } = large;
    const a = features(n, d, large.a);
    for (const c of large.small) {
      const b = features(n, d, c.b);
      const f32 = fid(a, n, b, n, d, 'float32');
      const f64 = fid(a, n, b, n, d);
      expect(Math.abs(f64 - c.fid), c.name).toBeLessThan(3e-7 * c.traces);
      expect(Math.abs(f32 - c.fid), c.name).toBeLessThan(3e-7 * c.traces);
      expect(Math.abs(f32 - f64), c.name).toBeLessThan(3e-7 * c.traces);
    }
  });
});
