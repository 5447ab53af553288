import { describe, expect, it } from 'vitest';
import { kdeParams } from '../../main/contract/models/catalog';
import { selectedComputations } from '../../main/contract/metric-selection';
import { modelTestNll } from '../../main/metrics/model-test-nll';
import { KdeModel } from '../../main/models/kde';

/** log of (1/n) Σ N(q; x_i, h²I) in 2-D, written out (sklearn's KernelDensity with a Gaussian kernel). */
function closedForm(train: number[][], q: number[], h: number): number {
  const terms = train.map((x) => -((q[0] - x[0]) ** 2 + (q[1] - x[1]) ** 2) / (2 * h * h));
  const top = Math.max(...terms);
  return top + Math.log(terms.reduce((s, t) => s + Math.exp(t - top), 0)) - Math.log(train.length) - Math.log(2 * Math.PI * h * h);
}

describe('test NLL of a fixed-bandwidth KDE', () => {
  const train = [
    [0, 0],
    [1, 0.5],
    [-0.7, 2],
    [3, -1],
  ];
  const test = [
    [0.2, 0.1],
    [2, 2],
    [-1, -1],
  ];
  const samples = (rows: number[][]) => ({ x: Float32Array.from(rows.flat()), n: rows.length, dim: 2 });

  it.each([0.1, 0.5, 1])('h = %s: the isotropic kernel’s density and the mean NLL are the closed form’s', async (h) => {
    const model = new KdeModel({ bandwidth: h, kernel: 'isotropic' }, [2]);
    await model.fit(samples(train), { seed: 1 });
    const logp = model.logDensity(Float32Array.from(test.flat()), test.length);
    test.forEach((q, i) => expect(logp[i]).toBeCloseTo(closedForm(train, q, h), 4));
    const want = -test.reduce((s, q) => s + closedForm(train, q, h), 0) / test.length;
    expect(modelTestNll(model, samples(test), 100)).toBeCloseTo(want, 4);
    // only the first maxRows test rows
    expect(modelTestNll(model, samples(test), 1)).toBeCloseTo(-closedForm(train, test[0], h), 4);
  });

  it('the isotropic kernel needs a numeric bandwidth; the metric runs only when listed', () => {
    expect(kdeParams.safeParse({ bandwidth: 'scott', kernel: 'isotropic' }).success).toBe(false);
    expect(selectedComputations(undefined).has('testNll')).toBe(false);
    expect(selectedComputations(['modelTestNll']).has('testNll')).toBe(true);
  });
});
