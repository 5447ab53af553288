import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitPowerLaw } from '../../main/shared/power-law';
import { classStats, valueHistogram } from '../../main/metrics/histograms';

const cases = JSON.parse(readFileSync(new URL('../fixtures/metrics/power_law.json', import.meta.url), 'utf8')) as {
  t: number[];
  y: number[];
  psi: number;
  stderr: number;
  intercept: number;
}[];

describe('fitPowerLaw against scipy.stats.linregress on the logs', () => {
  for (const c of cases) {
    it(`${c.t.length} points, ψ ≈ ${c.psi.toFixed(3)}`, () => {
      const f = fitPowerLaw(c.t, c.y);
      expect(f.psi).toBeCloseTo(c.psi, 12);
      expect(f.stderr).toBeCloseTo(c.stderr, 12);
      expect(f.intercept).toBeCloseTo(c.intercept, 12);
    });
  }
  it('recovers an exact power law with zero error, and refuses non-positive values', () => {
    const t = [1, 2, 3, 4, 5];
    const f = fitPowerLaw(
      t,
      t.map((x) => 3 * x ** -0.7),
    );
    expect(f.psi).toBeCloseTo(0.7, 14);
    expect(f.stderr).toBeLessThan(1e-12);
    expect(Number.isNaN(fitPowerLaw([1, 2], [1, 0.5]).stderr)).toBe(true);
    expect(() => fitPowerLaw([0, 1, 2], [1, 1, 1])).toThrow(/t\[0\]/);
    expect(() => fitPowerLaw([1, 2, 3], [1, 0, 1])).toThrow(/y\[1\]/);
  });
});

describe('histograms', () => {
  it('pixel histogram: 200 bins over [0, 1] as numpy, last bin closed', () => {
    const h = valueHistogram(Float64Array.of(0, 0.004999, 0.005, 0.5, 1, 1, -0.1, 1.2), 200);
    expect(h).toHaveLength(200);
    expect(h[0]).toBeCloseTo(2 / 8, 15);
    expect(h[1]).toBeCloseTo(1 / 8, 15);
    expect(h[100]).toBeCloseTo(1 / 8, 15);
    expect(h[199]).toBeCloseTo(2 / 8, 15);
    expect(h.reduce((a, b) => a + b, 0)).toBeCloseTo(6 / 8, 15);
  });
  it('class histogram, entropy in nats and classes covered', () => {
    const s = classStats(Int32Array.of(0, 0, 1, 1, 2, 2, 3, 3), 4);
    expect(s.classHistogram).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(s.classEntropy).toBeCloseTo(Math.log(4), 14);
    expect(s.classesCovered).toBe(4);
    const collapsed = classStats(
      Int32Array.from({ length: 1000 }, (_, i) => (i < 995 ? 7 : 1)),
      10,
    );
    expect(collapsed.classesCovered).toBe(1); // 0.5% < a tenth of the uniform 10% share
    expect(() => classStats(Int32Array.of(10), 10)).toThrow(/outside/);
  });
});
