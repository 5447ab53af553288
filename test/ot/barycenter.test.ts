import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freeSupportBarycenter } from '../../main/ot/free-support-barycenter';

interface BarycenterCase {
  name: string;
  d: number;
  k: number;
  measures: { n: number; x: number[] }[];
  weights: number[];
  init: number[];
  support: number[];
  cost: number;
}
const cases = JSON.parse(readFileSync(new URL('../fixtures/ot/barycenter.json', import.meta.url), 'utf8')) as BarycenterCase[];

describe('freeSupportBarycenter against POT ot.lp.free_support_barycenter', () => {
  for (const c of cases) {
    it(c.name, () => {
      const res = freeSupportBarycenter(
        c.measures.map((mu) => ({ x: Float64Array.from(mu.x), n: mu.n })),
        Float64Array.from(c.init),
        c.k,
        c.d,
        { measureWeights: Float64Array.from(c.weights) },
      );
      expect(res.cost).toBeCloseTo(c.cost, 9);
      for (let q = 0; q < c.support.length; q++) expect(res.x[q]).toBeCloseTo(c.support[q], 9);
    });
  }

  it('of one measure with as many points is that measure', () => {
    const y = Float64Array.of(0, 0, 1, 0, 0, 1, 1, 1);
    const res = freeSupportBarycenter([{ x: y, n: 4 }], Float64Array.of(0.1, 0.2, 0.3, 0.1, 0.5, 0.5, 0.9, 0.8), 4, 2);
    expect(res.cost).toBeCloseTo(0, 14);
    const rows = Array.from({ length: 4 }, (_, i) => `${res.x[2 * i]},${res.x[2 * i + 1]}`).sort();
    expect(rows).toEqual(['0,0', '0,1', '1,0', '1,1']);
  });
});
