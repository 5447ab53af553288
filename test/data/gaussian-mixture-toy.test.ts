import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/contract/config';
import { makeGaussianMixtureToy } from '../../main/data/gaussian-mixture-toy';
import { loadDataset } from '../../main/data/load-dataset';

const spec = {
  dim: 2,
  weights: [1, 3],
  means: [
    [-3, 0],
    [2, 1],
  ],
  covs: [
    0.5,
    [
      [1, 0.4],
      [0.4, 0.8],
    ],
  ] as (number | number[][])[],
  trainSize: 20_000,
  testSize: 500,
};

describe('gaussian-mixture dataset', () => {
  it('draws each component with its weight, mean and covariance, labelled', () => {
    const ds = makeGaussianMixtureToy(spec, 1);
    expect(ds.shape).toEqual([2]);
    expect(ds.numClasses).toBe(2);
    expect(ds.test.n).toBe(500);
    const { x, labels, n } = ds.train;
    const count = [0, 0];
    const sum = [
      [0, 0],
      [0, 0],
    ];
    for (let i = 0; i < n; i++) {
      const j = labels![i];
      count[j]++;
      sum[j][0] += x[i * 2];
      sum[j][1] += x[i * 2 + 1];
    }
    expect(count[0] / n).toBeCloseTo(0.25, 1);
    expect(sum[0][0] / count[0]).toBeCloseTo(-3, 1);
    expect(sum[1][1] / count[1]).toBeCloseTo(1, 1);
    // covariance of component 1
    let cxy = 0;
    const mx = sum[1][0] / count[1];
    const my = sum[1][1] / count[1];
    for (let i = 0; i < n; i++) if (labels![i] === 1) cxy += (x[i * 2] - mx) * (x[i * 2 + 1] - my);
    expect(cxy / count[1]).toBeCloseTo(0.4, 1);
    expect(makeGaussianMixtureToy(spec, 1).train.x).toEqual(x);
  });

  it('is a dataset kind of the config and of loadDataset; errors name the field', async () => {
    const cfg = validateConfig({
      dataset: { kind: 'gaussian-mixture', weights: [0.5, 0.5], means: [[-1], [1]], covs: [0.1, 0.1], trainSize: 100 },
      model: { kind: 'diffusion-exact', params: { components: 2 } },
      loop: { generations: 2, keep: 100 },
    });
    const ds = await loadDataset(cfg.dataset, 0);
    expect(ds.train.n).toBe(100);
    expect(ds.shape).toEqual([1]);
    await expect(
      loadDataset({ kind: 'gaussian-mixture', dim: 1, weights: [1, 1], means: [[0]], covs: [1, 1], trainSize: 10, testSize: 10 }, 0),
    ).rejects.toThrow('dataset.means has 1 entries but dataset.weights has 2');
  });
});
