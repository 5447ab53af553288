import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gaussianStats } from '../../main/metrics/covariance';
import { subspaceCovarianceGap } from '../../main/metrics/class-covariance-gap';

interface Case {
  name: string;
  d: number;
  components: number;
  classes: { set: number[][]; real: number[][]; gap: number }[];
  mean: number;
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/metrics/class_covariance_gap.json'), 'utf8')) as {
  cases: Case[];
};

const rowsOf = (rows: number[][]) => Float64Array.from(rows.flat());
const gapOf = (set: number[][], real: number[][], d: number, p: number) =>
  subspaceCovarianceGap(rowsOf(set), set.length, d, gaussianStats(rowsOf(real), real.length, d).cov, p);

describe('subspaceCovarianceGap (against numpy + scikit-learn PCA, make_class_covariance_gap.py)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const gaps = c.classes.map((k) => gapOf(k.set, k.real, c.d, c.components));
      gaps.forEach((g, i) => expect(g).toBeCloseTo(c.classes[i].gap, 9));
      expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeCloseTo(c.mean, 9);
    });
  }

  it('ignores the set’s mean, is 0 for the real rows themselves and grows as a set shrinks', () => {
    const c = fixture.cases[0];
    const { real } = c.classes[0];
    expect(gapOf(real, real, c.d, c.components)).toBeCloseTo(0, 12);
    expect(
      gapOf(
        real.map((r) => r.map((v) => v + 5)),
        real,
        c.d,
        c.components,
      ),
    ).toBeCloseTo(0, 9);
    const shrunk = (s: number) =>
      gapOf(
        real.map((r) => r.map((v) => s * v)),
        real,
        c.d,
        c.components,
      );
    expect(shrunk(0.5)).toBeGreaterThan(shrunk(0.9));
    expect(shrunk(0)).toBeCloseTo(1, 12);
  });

  it('names the bad input', () => {
    expect(() => subspaceCovarianceGap(new Float64Array(4), 2, 2, new Float64Array(3))).toThrow(/real covariance holds 3 values/);
    expect(() => subspaceCovarianceGap(new Float64Array(2), 1, 2, new Float64Array(4))).toThrow(/at least 2 rows/);
    expect(() => subspaceCovarianceGap(new Float64Array(4), 2, 2, new Float64Array(4))).toThrow(/real covariance is zero/);
  });
});
