import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gaussianStats } from '../../main/metrics/covariance';
import { covarianceGap } from '../../main/metrics/covariance-gap';

interface Case {
  name: string;
  d: number;
  set: number[][];
  real: number[][];
  gap: number;
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/metrics/covariance_gap.json'), 'utf8')) as { cases: Case[] };

const statsOf = (rows: number[][], d: number) => gaussianStats(Float64Array.from(rows.flat()), rows.length, d);

describe('covarianceGap (against numpy, make_covariance_gap.py)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const gap = covarianceGap(statsOf(c.set, c.d).cov, statsOf(c.real, c.d).cov, c.d);
      expect(gap).toBeCloseTo(c.gap, 9);
    });
  }

  it('is 0 for the real covariance itself and grows as a set shrinks', () => {
    const c = fixture.cases[0];
    const real = statsOf(c.real, c.d).cov;
    expect(covarianceGap(real, real, c.d)).toBe(0);
    const shrunk = (s: number) =>
      statsOf(
        c.real.map((r) => r.map((v) => s * v)),
        c.d,
      ).cov;
    expect(covarianceGap(shrunk(0.5), real, c.d)).toBeGreaterThan(covarianceGap(shrunk(0.9), real, c.d));
  });

  it('names the bad input', () => {
    expect(() => covarianceGap([1, 0, 0, 1], [1, 0, 0], 2)).toThrow(/real covariance holds 3 values/);
    expect(() => covarianceGap([1, 0, 0, 1], [0, 0, 0, 0], 2)).toThrow(/real covariance is zero/);
  });
});
