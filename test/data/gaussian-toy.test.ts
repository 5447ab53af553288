import { describe, expect, it } from 'vitest';
import { gaussianParams, makeGaussianToy } from '../../main/data/gaussian-toy';

function meanAndCov(x: Float32Array, n: number, d: number): { mean: number[]; cov: number[][] } {
  const mean = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j] / n;
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) cov[a][b] += ((x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b])) / (n - 1);
    }
  }
  return { mean, cov };
}

describe('gaussian toy', () => {
  it('Cholesky factor of a known matrix', () => {
    const p = gaussianParams({
      dim: 2,
      cov: [
        [4, 2],
        [2, 3],
      ],
    });
    [2, 0, 1, Math.SQRT2].forEach((v, i) => expect(p.cholesky[i]).toBeCloseTo(v, 12));
  });

  it('sample mean and covariance approach the given ones (full covariance)', () => {
    const mean = [1, -2, 0.5];
    const cov = [
      [2, 0.6, -0.3],
      [0.6, 1, 0.2],
      [-0.3, 0.2, 0.5],
    ];
    const n = 40_000;
    const d = makeGaussianToy({ dim: 3, mean, cov, trainSize: n, testSize: 10 }, 7);
    expect(d.shape).toEqual([3]);
    expect(d.numClasses).toBe(0);
    expect(d.train.n).toBe(n);
    expect(d.test.n).toBe(10);
    const s = meanAndCov(d.train.x, n, 3);
    // standard error of a mean is sqrt(var/n) <= 0.0071 here; of a covariance about sqrt(2·2·2/n) ≈ 0.014
    for (let j = 0; j < 3; j++) expect(Math.abs(s.mean[j] - mean[j])).toBeLessThan(0.03);
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(Math.abs(s.cov[a][b] - cov[a][b])).toBeLessThan(0.06);
  });

  it('a diagonal of variances and the defaults', () => {
    const n = 40_000;
    const s = meanAndCov(makeGaussianToy({ dim: 2, cov: [4, 0.25], trainSize: n, testSize: 2 }, 1).train.x, n, 2);
    expect(s.mean[0]).toBeCloseTo(0, 1);
    expect(s.cov[0][0]).toBeCloseTo(4, 0);
    expect(Math.abs(s.cov[1][1] - 0.25)).toBeLessThan(0.01);
    expect(Math.abs(s.cov[0][1])).toBeLessThan(0.05);
    const id = meanAndCov(makeGaussianToy({ dim: 2, trainSize: n, testSize: 2 }, 2).train.x, n, 2);
    expect(Math.abs(id.cov[0][0] - 1)).toBeLessThan(0.03);
  });

  it('is seeded; train and test are independent draws', () => {
    const spec = { dim: 4, trainSize: 50, testSize: 50 };
    const a = makeGaussianToy(spec, 3);
    const b = makeGaussianToy(spec, 3);
    const c = makeGaussianToy(spec, 4);
    expect(b.train.x).toEqual(a.train.x);
    expect(b.test.x).toEqual(a.test.x);
    expect(c.train.x).not.toEqual(a.train.x);
    expect(a.test.x).not.toEqual(a.train.x);
  });

  it('refuses bad parameters, naming the field', () => {
    expect(() =>
      gaussianParams({
        dim: 2,
        cov: [
          [1, 0.5],
          [0.4, 1],
        ],
      }),
    ).toThrow(/dataset.cov is not symmetric: cov\[0\]\[1\] = 0.5/);
    expect(() =>
      gaussianParams({
        dim: 2,
        cov: [
          [1, 2],
          [2, 1],
        ],
      }),
    ).toThrow('dataset.cov is not positive definite');
    expect(() => gaussianParams({ dim: 2, cov: [1, 0] })).toThrow('dataset.cov[1] = 0: variances must be positive');
    expect(() =>
      gaussianParams({
        dim: 3,
        cov: [
          [1, 0],
          [0, 1],
        ],
      }),
    ).toThrow('dataset.cov must be a 3×3 matrix');
    expect(() => gaussianParams({ dim: 3, mean: [0, 0] })).toThrow('dataset.mean has 2 entries but dataset.dim is 3');
  });
});
