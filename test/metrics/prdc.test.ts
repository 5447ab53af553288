import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kthNeighbourRadii, prdc } from '../../main/metrics/prdc';

interface PrdcCase {
  name: string;
  nReal: number;
  nFake: number;
  d: number;
  real: number[];
  fake: number[];
  results: { k: number; precision: number; recall: number; density: number; coverage: number; realRadii: number[] }[];
}
const cases = JSON.parse(readFileSync(new URL('../fixtures/metrics/prdc.json', import.meta.url), 'utf8')) as PrdcCase[];

describe('precision, recall, density, coverage against the prdc package', () => {
  for (const c of cases) {
    for (const r of c.results) {
      it(`${c.name}, k = ${r.k}`, () => {
        const real = Float64Array.from(c.real);
        const fake = Float64Array.from(c.fake);
        const got = prdc(real, c.nReal, fake, c.nFake, c.d, r.k);
        expect(got.precision).toBeCloseTo(r.precision, 14);
        expect(got.recall).toBeCloseTo(r.recall, 14);
        expect(got.density).toBeCloseTo(r.density, 14);
        expect(got.coverage).toBeCloseTo(r.coverage, 14);
        const radii = kthNeighbourRadii(real, c.nReal, c.d, r.k);
        for (let i = 0; i < c.nReal; i++) expect(radii[i]).toBeCloseTo(r.realRadii[i], 12);
      });
    }
  }

  it('uses strict inequality: a fake exactly on a ball boundary is outside', () => {
    // reals at 0, 1, 3, 4 on a line (k = 1: all radii 1); a fake at 2 lies on the boundary of the balls of 1 and 3
    const real = Float64Array.of(0, 1, 3, 4);
    const fake = Float64Array.of(2, 10, 11);
    const got = prdc(real, 4, fake, 3, 1, 1);
    expect(got.precision).toBe(0);
    expect(got.density).toBe(0);
  });

  it('identical sets have precision, recall and coverage 1', () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => Math.sin(i * 1.7) * 3 + i * 0.01);
    const got = prdc(x, 20, x, 20, 2, 3);
    expect(got.precision).toBe(1);
    expect(got.recall).toBe(1);
    expect(got.coverage).toBe(1);
  });

  it('refuses sets no larger than k', () => {
    expect(() => prdc(new Float64Array(6), 3, new Float64Array(10), 5, 2, 3)).toThrow(/more than k = 3/);
  });
});
