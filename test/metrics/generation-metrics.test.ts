import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../main/data/mnist';
import { takeRows, takeRowsOfParts, type Samples } from '../../main/data/samples';
import { computeGenerationMetrics, referenceClassifierFor } from '../../main/metrics/generation-metrics';
import { downstreamAccuracy } from '../../main/metrics/downstream-accuracy';
import { Rng } from '../../main/util/random';
import { selectedComputations } from '../../main/contract/metric-selection';

const { train, test } = await loadMnist();

describe('computeGenerationMetrics', () => {
  const testSet = takeRows(
    test,
    Array.from({ length: 600 }, (_, i) => i),
  );
  const fresh = takeRows(
    train,
    Array.from({ length: 600 }, (_, i) => i),
  );
  // a collapsed generation: 600 copies of 6 images of one digit
  const ones: number[] = [];
  for (let i = 0; ones.length < 6; i++) if (train.labels[i] === 1) ones.push(i);
  const collapsed = takeRows(
    train,
    Array.from({ length: 600 }, (_, i) => ones[i % 6]),
  );

  const base = { test: testSet, shape: [28, 28, 1] as [number, number, number], numClasses: 10, datasetName: 'mnist' };

  it('a metric selection computes only what its keys need, with the values of the full computation', async () => {
    const input = { ...base, test: takeRows(testSet, [...Array(200).keys()]), generated: takeRows(fresh, [...Array(200).keys()]) };
    const all = await computeGenerationMetrics({ ...input, features: 'raw', w1MaxPoints: 100 });
    const some = await computeGenerationMetrics({
      ...input,
      features: 'raw',
      w1MaxPoints: 100,
      compute: selectedComputations(['recall', 'meanDistance']),
    });
    expect(some.recall).toBe(all.recall);
    expect(some.coverage).toBe(all.coverage);
    expect(some.meanDistance).toBe(all.meanDistance);
    expect(some.tracePixels).toBe(all.tracePixels);
    for (const skipped of ['fid', 'w1', 'covarianceGap', 'classHistogram', 'downstreamAccuracy'] as const) {
      expect(all[skipped]).toBeDefined();
      expect(some[skipped]).toBeUndefined();
    }
    const none = await computeGenerationMetrics({ ...input, features: 'raw', compute: selectedComputations(['varianceTrace']) });
    expect(Object.keys(none).sort()).toEqual([
      'meanDistance',
      'nGenerated',
      'nTest',
      'pixelHistogram',
      'scoredAgainst',
      'seconds',
      'tracePixels',
      'tracePixelsTest',
    ]);
  });

  it('MNIST in the reference feature space: real data score well, a collapsed set badly', async () => {
    const good = await computeGenerationMetrics({ ...base, generated: fresh, features: 'reference', w1MaxPoints: 300 });
    const bad = await computeGenerationMetrics({ ...base, generated: collapsed, features: 'reference', w1MaxPoints: 300 });
    expect(good.nGenerated).toBe(600);
    expect(good.nTest).toBe(600);
    expect(good.featureDim).toBe(128);
    expect(good.k).toBe(3);
    expect(good.w1Points).toBe(300);
    expect(good.fid).toBeLessThan(bad.fid! / 10);
    expect(good.precision).toBeGreaterThan(0.6);
    expect(good.recall).toBeGreaterThan(0.6);
    expect(bad.recall).toBeLessThan(0.1);
    expect(bad.coverage).toBeLessThan(0.1);
    expect(good.coverage).toBeGreaterThan(0.65);
    expect(good.w1).toBeLessThan(bad.w1!);
    expect(good.classesCovered).toBe(10);
    expect(bad.classesCovered).toBe(1);
    expect(bad.classHistogram![1]).toBe(1);
    expect(good.classEntropy!).toBeGreaterThan(2.2);
    expect(bad.classEntropy).toBe(0);
    expect(good.downstreamAccuracy!).toBeGreaterThan(0.7);
    expect(bad.downstreamAccuracy!).toBeLessThan(0.2);
    expect(bad.tracePixels).toBeLessThan(good.tracePixels);
    expect(good.tracePixelsTest).toBeCloseTo(bad.tracePixelsTest, 12);
    expect(good.pixelHistogram).toHaveLength(200);
    expect(good.pixelHistogram!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(good.meanDistance).toBeLessThan(bad.meanDistance);
    // JSON round trip keeps everything
    expect(JSON.parse(JSON.stringify(good))).toEqual(good);
  });

  it('downstream on real + generated (seed 002): the real rows with their labels before the samples', async () => {
    const only = selectedComputations(['downstreamAccuracy']);
    const input = { ...base, generated: collapsed, features: 'reference' as const, compute: only, seed: 3 };
    const alone = await computeGenerationMetrics(input);
    const withReal = await computeGenerationMetrics({ ...input, downstreamReal: fresh });
    expect(alone.downstreamAccuracy!).toBeLessThan(0.2);
    expect(withReal.downstreamAccuracy!).toBeGreaterThan(0.7);
    // the same classifier trained directly on the real rows then the collapsed ones, labelled by the reference classifier
    const classifier = (await referenceClassifierFor('mnist'))!;
    const labels = (await classifier.run(collapsed.x, collapsed.n)).labels;
    const both = takeRowsOfParts([fresh, { ...collapsed, labels }], [...Array(fresh.n + collapsed.n).keys()]);
    const direct = downstreamAccuracy(
      { x: both.x, n: both.n, labels: both.labels! },
      { x: testSet.x, n: testSet.n, labels: testSet.labels! },
      784,
      10,
      {
        seed: 3,
      },
    );
    expect(withReal.downstreamAccuracy).toBe(direct);
    const unlabelled: Samples = { x: fresh.x, n: fresh.n, dim: fresh.dim };
    await expect(computeGenerationMetrics({ ...input, downstreamReal: unlabelled })).rejects.toThrow(/real training data have no labels/);
  });

  it('reads the classifier’s outputs of the generated rows when given (the selection’s pass): the same bytes', async () => {
    const only = selectedComputations(['fid', 'classesCovered', 'downstreamAccuracy']);
    const input = { ...base, generated: fresh, features: 'reference' as const, compute: only, seed: 2 };
    const classifier = (await referenceClassifierFor('mnist'))!;
    // the rows computed inside a larger batch, in another order, as the selection's pass over all candidates computes them
    const order = Array.from({ length: fresh.n }, (_, i) => (i * 7 + 3) % fresh.n);
    const pool = takeRowsOfParts([fresh, collapsed], [...order, ...Array.from({ length: 300 }, (_, i) => fresh.n + i)]);
    const out = await classifier.run(pool.x, pool.n);
    const at = new Int32Array(fresh.n);
    order.forEach((r, k) => (at[r] = k));
    const given = {
      x: Float32Array.from(
        { length: fresh.n * classifier.featureDim },
        (_, q) => out.features[at[Math.floor(q / classifier.featureDim)] * classifier.featureDim + (q % classifier.featureDim)],
      ),
      n: fresh.n,
      dim: classifier.featureDim,
      labels: Int32Array.from(at, (k) => out.labels[k]),
      weightsSha256: classifier.weightsSha256,
    };
    const strip = (m: { seconds: number }) => ({ ...m, seconds: 0 });
    const direct = await computeGenerationMetrics(input);
    expect(strip(await computeGenerationMetrics({ ...input, generatedFeatures: given }))).toEqual(strip(direct));
    // they are read (features of other rows change the FID) only for the same weights
    const wrong = { ...given, x: given.x.map((v, q) => (q % 3 === 0 ? v + 1 : v)) };
    expect((await computeGenerationMetrics({ ...input, generatedFeatures: wrong })).fid).not.toBe(direct.fid);
    expect(strip(await computeGenerationMetrics({ ...input, generatedFeatures: { ...wrong, weightsSha256: 'other' } }))).toEqual(
      strip(direct),
    );
  });

  it('raw and PCA feature spaces; subsampling is seeded and recorded', async () => {
    const a = await computeGenerationMetrics({
      ...base,
      generated: fresh,
      features: 'pca:20',
      maxSamples: 400,
      w1MaxPoints: 200,
      downstream: false,
    });
    const b = await computeGenerationMetrics({
      ...base,
      generated: fresh,
      features: 'pca:20',
      maxSamples: 400,
      w1MaxPoints: 200,
      downstream: false,
    });
    expect(a.nGenerated).toBe(400);
    expect(a.featureDim).toBe(20);
    expect({ ...a, seconds: 0 }).toEqual({ ...b, seconds: 0 });
    expect(a.downstreamAccuracy).toBeUndefined();
    const raw = await computeGenerationMetrics({ ...base, generated: fresh, features: 'raw', maxSamples: 300, w1MaxPoints: 100 });
    expect(raw.featureDim).toBe(784);
    expect(raw.fid).toBeGreaterThan(0);
  });

  it('vector data without a classifier: class metrics are omitted, not faked', async () => {
    const rng = new Rng(1);
    const mk = (n: number, shift: number): Samples => {
      const x = new Float32Array(n * 5);
      for (let i = 0; i < x.length; i++) x[i] = rng.normal() + shift;
      return { x, n, dim: 5 };
    };
    const target = new Float64Array(5).fill(1);
    const m = await computeGenerationMetrics({
      generated: mk(300, 1),
      test: mk(300, 0),
      shape: [5],
      numClasses: 0,
      datasetName: 'gaussian',
      features: 'raw',
      target,
    });
    expect(m.classHistogram).toBeUndefined();
    expect(m.downstreamAccuracy).toBeUndefined();
    expect(m.pixelHistogram).toBeUndefined();
    expect(m.meanDistance).toBeLessThan(0.3);
    expect(m.fid).toBeGreaterThan(3);
    expect(m.fid).toBeLessThan(7);
    await expect(
      computeGenerationMetrics({
        generated: mk(50, 0),
        test: mk(50, 0),
        shape: [5],
        numClasses: 0,
        datasetName: 'gaussian',
        features: 'reference',
      }),
    ).rejects.toThrow(/need a reference classifier for dataset "gaussian"/);
  });
});
