import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitPca, pcaTransform } from '../../main/metrics/pca';

const cases = JSON.parse(readFileSync(new URL('../fixtures/metrics/pca.json', import.meta.url), 'utf8')) as {
  n: number;
  d: number;
  k: number;
  explainedVariance: number[];
  transformed: number[];
}[];

/** The fixture's data formula (see make_pca.py). */
function data(n: number, d: number): Float64Array {
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let c = 0; c < 12; c++) s += 0.7 ** c * Math.sin(0.37 * (i + 1) * (c + 1) + 0.11 * (j + 1) * (c + 2));
      x[i * d + j] = s + 0.01 * ((7 * i + 13 * j) % 17);
    }
  }
  return x;
}

describe('PCA against sklearn', () => {
  for (const c of cases) {
    it(`${c.n} samples in ${c.d} dimensions, ${c.k} axes`, () => {
      const x = data(c.n, c.d);
      const p = fitPca(x, c.n, c.d, c.k);
      for (let q = 0; q < c.k; q++) expect(p.explainedVariance[q]).toBeCloseTo(c.explainedVariance[q], 8);
      const t = pcaTransform(p, x.subarray(0, 5 * c.d), 5);
      for (let q = 0; q < c.k; q++) {
        const sign = Math.sign(t[q]) * Math.sign(c.transformed[q]) || 1;
        for (let i = 0; i < 5; i++) expect(sign * t[i * c.k + q]).toBeCloseTo(c.transformed[i * c.k + q], 7);
      }
    });
  }
});
