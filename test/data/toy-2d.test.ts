import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetConfig } from '../../main/contract/config';
import { TOY_2D_SHAPES } from '../../main/contract/datasets/toy-2d';
import { loadDataset } from '../../main/data/load-dataset';
import { makeToy2d } from '../../main/data/toy-2d';

/** scikit-learn's moments of the four shapes, 200,000 rows each (test/fixtures/data/make_toy_2d_moments.py). */
const sk = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/data/toy_2d_moments.json'), 'utf8')) as {
  shapes: Record<string, { mean: number[]; cov: number[][] }>;
};

function moments(x: Float32Array, n: number) {
  const m = [0, 0];
  for (let i = 0; i < n; i++) for (let a = 0; a < 2; a++) m[a] += x[i * 2 + a] / n;
  const c = [
    [0, 0],
    [0, 0],
  ];
  for (let i = 0; i < n; i++)
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) c[a][b] += ((x[i * 2 + a] - m[a]) * (x[i * 2 + b] - m[b])) / (n - 1);
  return { m, c };
}

describe('toy-2d dataset kind', () => {
  it.each(TOY_2D_SHAPES)('%s: mean and covariance match scikit-learn’s generator', (shape) => {
    const n = 60_000;
    const { train } = makeToy2d({ shape, trainSize: n, testSize: 2 }, 3);
    const { m, c } = moments(train.x, n);
    const ref = sk.shapes[shape];
    const scale = Math.max(ref.cov[0][0], ref.cov[1][1]);
    // s.e. of a mean: sqrt(var / n) ≤ 0.03 here; of a covariance entry: about var·sqrt(2/n) ≤ 0.6 % of the scale
    for (let a = 0; a < 2; a++) {
      expect(Math.abs(m[a] - ref.mean[a])).toBeLessThan(5 * Math.sqrt(scale / n) + 1e-3);
      for (let b = 0; b < 2; b++) expect(Math.abs(c[a][b] - ref.cov[a][b])).toBeLessThan(0.03 * scale);
    }
  });

  it('is seeded: the same seed gives the same rows, train and test differ, another seed differs', async () => {
    const cfg = datasetConfig.parse({ kind: 'toy-2d', shape: 'swiss-roll', trainSize: 50, testSize: 40 });
    const a = await loadDataset(cfg, 7);
    const b = await loadDataset(cfg, 7);
    const c = await loadDataset(cfg, 8);
    expect(a.shape).toEqual([2]);
    expect([a.train.n, a.test.n]).toEqual([50, 40]);
    expect(Buffer.from(a.train.x.buffer)).toEqual(Buffer.from(b.train.x.buffer));
    expect(Buffer.from(a.train.x.buffer)).not.toEqual(Buffer.from(c.train.x.buffer));
    expect(Buffer.from(a.train.x.buffer.slice(0, 160))).not.toEqual(Buffer.from(a.test.x.buffer));
  });

  it('refuses an unknown shape, naming the allowed ones', () => {
    const r = datasetConfig.safeParse({ kind: 'toy-2d', shape: 'spiral' });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/moons/);
  });
});
