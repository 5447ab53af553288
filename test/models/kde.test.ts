import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KdeModel } from '../../main/models/kde';
import fixture from '../fixtures/models/kde.json';

function samplesOf(rows: number[][]) {
  return { x: Float32Array.from(rows.flat()), n: rows.length, dim: rows[0].length };
}

describe('kde against scipy.stats.gaussian_kde', () => {
  for (const name of ['1d', '2d'] as const) {
    const c = fixture[name];
    for (const bw of ['scott', 'silverman', '0.4'] as const) {
      it(`${name}, bandwidth ${bw}: factor, kernel covariance and log-density match`, async () => {
        const ref = c.fits[bw];
        const d = c.x[0].length;
        const m = new KdeModel({ bandwidth: bw === '0.4' ? 0.4 : bw, ridge: 0 }, [d]);
        await m.fit(samplesOf(c.x), { seed: 0 });
        expect(m.factor).toBeCloseTo(ref.factor, 12);
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) expect(m.kernelCov![a * d + b]).toBeCloseTo(ref.covariance[a][b], 6);
        const ld = m.logDensity(c.query.flat(), c.query.length);
        ref.logDensity.forEach((v, i) => expect(ld[i]).toBeCloseTo(v, 5));
      });
    }
  }

  it('1-D density integrates to 1', async () => {
    const m = new KdeModel({}, [1]);
    await m.fit(samplesOf(fixture['1d'].x), { seed: 0 });
    const lo = -12;
    const hi = 12;
    const steps = 4000;
    const h = (hi - lo) / steps;
    const q = Float64Array.from({ length: steps + 1 }, (_, i) => lo + i * h);
    const p = m.logDensity(q, steps + 1).map(Math.exp);
    let s = 0;
    for (let i = 0; i <= steps; i++) s += (i === 0 || i === steps ? 0.5 : 1) * p[i];
    expect(s * h).toBeCloseTo(1, 6);
  });

  it('2-D density integrates to 1', async () => {
    const m = new KdeModel({ bandwidth: 'silverman' }, [2]);
    await m.fit(samplesOf(fixture['2d'].x), { seed: 0 });
    const g = 240;
    const lo = -10;
    const hi = 12;
    const h = (hi - lo) / g;
    const q = new Float64Array((g + 1) * (g + 1) * 2);
    let r = 0;
    for (let i = 0; i <= g; i++)
      for (let j = 0; j <= g; j++) {
        q[r++] = lo + i * h;
        q[r++] = lo + j * h;
      }
    const p = m.logDensity(q, (g + 1) * (g + 1));
    let s = 0;
    for (let i = 0; i <= g; i++)
      for (let j = 0; j <= g; j++) {
        const w = (i === 0 || i === g ? 0.5 : 1) * (j === 0 || j === g ? 0.5 : 1);
        s += w * Math.exp(p[i * (g + 1) + j]);
      }
    expect(s * h * h).toBeCloseTo(1, 4);
  });

  it("samples have the estimate's covariance (data covariance + kernel) and survive save → load", async () => {
    const m = new KdeModel({ bandwidth: 0.5 }, [2]);
    const data = samplesOf(fixture['2d'].x);
    await m.fit(data, { seed: 0 });
    const n = 40_000;
    const s = await m.sample(n, 9);
    // Var of the KDE = biased data variance + kernel variance
    for (let a = 0; a < 2; a++) {
      let mu = 0;
      for (let i = 0; i < data.n; i++) mu += data.x[i * 2 + a];
      mu /= data.n;
      let v = 0;
      for (let i = 0; i < data.n; i++) v += (data.x[i * 2 + a] - mu) ** 2;
      const expected = v / data.n + m.kernelCov![a * 2 + a];
      let sm = 0;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        sm += s[i * 2 + a];
        ss += s[i * 2 + a] ** 2;
      }
      const sv = ss / n - (sm / n) ** 2;
      expect(Math.abs(sv / expected - 1)).toBeLessThan(0.03);
    }
    const dir = mkdtempSync(join(tmpdir(), 'kde-'));
    try {
      await m.save(dir);
      const l = await KdeModel.load(dir);
      expect(await l.sample(50, 4)).toEqual(await m.sample(50, 4));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
