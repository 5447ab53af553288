import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { metricsCommand } from '../../main/cli/commands/metrics';
import { otBarycenter, otDistance } from '../../main/cli/commands/ot';
import { encodeNpy, readNpy } from '../../main/data/npy';
import { encodeIdx } from '../../main/data/idx';
import { sqeuclideanCost } from '../../main/ot/cost-matrix';
import { emd } from '../../main/ot/emd';
import { sinkhornLog } from '../../main/ot/sinkhorn-log';
import { fid } from '../../main/metrics/fid';
import { compareSampleSets, NOT_COMPARED, SLICED_W1_PROJECTIONS, twoSetName, W1_EXACT_MAX } from '../../main/metrics/compare-sample-sets';
import { computeGenerationMetrics } from '../../main/metrics/generation-metrics';
import { slicedWasserstein1 } from '../../main/metrics/wasserstein-1';
import { Rng } from '../../main/util/random';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin', 'collapse-lab.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-ot-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const rng = new Rng(12);
function npy(name: string, data: Float32Array | Float64Array | Int32Array, shape: number[]): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, encodeNpy(data, shape));
  return p;
}
const X = rng.fillNormal(new Float32Array(120 * 4)) as Float32Array;
const Y = (rng.fillNormal(new Float64Array(90 * 4)) as Float64Array).map((v) => v + 0.7);
const xFile = npy('x.npy', X, [120, 4]);
const yFile = npy('y.npy', Y, [90, 4]);

describe('collapse-lab ot', () => {
  it('distance: exact and Sinkhorn costs equal the library calls on the same data', async () => {
    const M = sqeuclideanCost(X, Y, 120, 90, 4);
    const exact = await otDistance({ x: xFile, y: yFile, cost: 'sqeuclidean', method: 'exact', maxIter: 1000, tol: 1e-9, json: true });
    expect(exact.cost).toBe(emd(null, null, M, 120, 90).cost);
    expect(exact.seconds).toBeGreaterThan(0);
    const sk = await otDistance({ x: xFile, y: yFile, cost: 'sqeuclidean', method: 'sinkhorn', reg: 1, maxIter: 50, tol: 0, json: true });
    const ref = sinkhornLog(null, null, M, 120, 90, 1, { maxIter: 50, tol: 0 });
    expect(sk.cost).toBe(ref.cost);
    expect(sk.iterations).toBe(50);
  });

  it('distance: clear errors for missing reg and mismatched dimensions; integer points read as the one reader reads them', async () => {
    const base = { x: xFile, y: yFile, cost: 'sqeuclidean', maxIter: 10, tol: 0, json: true };
    await expect(otDistance({ ...base, method: 'sinkhorn' })).rejects.toThrow(/needs --reg/);
    await expect(otDistance({ ...base, method: 'simplex' })).rejects.toThrow(/--method must be exact or sinkhorn/);
    const ints = npy(
      'ints.npy',
      Int32Array.from({ length: 20 }, (_, i) => i),
      [5, 4],
    );
    const floats = npy(
      'ints-as-floats.npy',
      Float64Array.from({ length: 20 }, (_, i) => i),
      [5, 4],
    );
    const fromInts = await otDistance({ ...base, method: 'exact', x: ints });
    expect(fromInts.cost).toBe((await otDistance({ ...base, method: 'exact', x: floats })).cost);
    const other = npy('other.npy', new Float32Array(15), [5, 3]);
    await expect(otDistance({ ...base, method: 'exact', y: other })).rejects.toThrow(/4 dimensions per point but --y has 3/);
  });

  it('barycenter: writes S support points as float64 .npy', async () => {
    const out = path.join(tmp, 'bary.npy');
    const r = await otBarycenter({ inputs: [xFile, yFile], support: 15, out, maxIter: 100, tol: 1e-7, seed: 1 });
    const arr = readNpy(out);
    expect(arr.shape).toEqual([15, 4]);
    expect(arr.dtype).toBe('<f8');
    expect(r.iterations).toBeGreaterThan(0);
    expect(r.cost).toBeGreaterThan(0);
  });

  it('the binary prints JSON for ot distance and a clear error for a wrong file', () => {
    const r = spawnSync(
      process.execPath,
      [bin, 'ot', 'distance', '--x', xFile, '--y', yFile, '--method', 'sinkhorn', '--reg', '0.5', '--json'],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['cost', 'iterations', 'seconds']));
    const bad = spawnSync(process.execPath, [bin, 'ot', 'distance', '--x', path.join(tmp, 'nope.npy'), '--y', yFile], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/nope\.npy/);
  });
});

describe('collapse-lab metrics', () => {
  it('raw features of two .npy sets: FID and PRDC as the library computes them', async () => {
    const r = await metricsCommand({ real: xFile, fake: yFile, k: 3, seed: 0, json: true });
    expect(r.features).toBe('raw');
    expect(r.fid).toBeCloseTo(fid(X, 120, Float32Array.from(Y), 90, 4), 10); // samples are float32 in the engine
    expect(r.nReal).toBe(120);
    expect(r.nFake).toBe(90);
    for (const key of ['precision', 'recall', 'density', 'coverage', 'w1']) expect(typeof r[key]).toBe('number');
    expect(r.classHistogram).toBeUndefined();
  });

  it('prints every metric the engine computes, named for two sets, the existing ones in their order', async () => {
    const r = await metricsCommand({ real: xFile, fake: yFile, k: 3, seed: 0, json: true });
    const printedBefore = [
      'fid',
      'precision',
      'recall',
      'density',
      'coverage',
      'k',
      'features',
      'featureDim',
      'nReal',
      'nFake',
      'w1',
      'w1Points',
      'traceFeaturesReal',
      'traceFeaturesFake',
      'tracePixelsReal',
      'tracePixelsFake',
      'meanDistance',
    ];
    expect(Object.keys(r).filter((key) => printedBefore.includes(key))).toEqual(printedBefore);
    expect(Object.keys(r).at(-1)).toBe('seconds');
    // the engine's own result, with the real set as the test split: every field reaches the output under its name
    const m = await computeGenerationMetrics({
      generated: { x: Float32Array.from(Y), n: 90, dim: 4 },
      test: { x: X, n: 120, dim: 4 },
      shape: [4],
      numClasses: 0,
      datasetName: '',
      features: 'raw',
      k: 3,
      seed: 0,
      maxSamples: Number.MAX_SAFE_INTEGER,
      w1MaxPoints: W1_EXACT_MAX,
    });
    for (const [key, value] of Object.entries(m)) {
      if (key === 'seconds' || NOT_COMPARED.has(key)) continue;
      expect(r[twoSetName(key, m)], key).toEqual(value);
    }
    expect(r.nReal).toBe(120);
    expect(r.traceFeaturesReal).toBe(m.traceFeaturesTest);
    expect(r.traceFeaturesFake).toBe(m.traceFeatures);
    expect(r.w1Sliced).toBeUndefined(); // 120 and 90 points: exact W1 covers them
  });

  it('adds sliced W1 over every point when a set has more points than exact W1 takes', async () => {
    const real = { x: X, n: 120, dim: 4 };
    const fake = { x: Float32Array.from(Y), n: 90, dim: 4 };
    const r = await compareSampleSets({ real, fake, shape: [4], features: 'raw', k: 3, seed: 5, datasetName: '', w1ExactMax: 60 });
    expect(r.w1Points).toBe(60);
    expect(r.w1SlicedProjections).toBe(SLICED_W1_PROJECTIONS);
    expect(r.w1Sliced).toBe(slicedWasserstein1(fake.x, 90, X, 120, 4, SLICED_W1_PROJECTIONS, 5));
    expect(Object.keys(r).indexOf('w1Sliced')).toBe(Object.keys(r).indexOf('w1Points') + 1);
  });

  it('names the two sides of a metric: test → Real, generated → Fake', () => {
    const m = { nTest: 1, nGenerated: 2, traceFeatures: 3, traceFeaturesTest: 4, fid: 5 };
    expect(Object.keys(m).map((k) => twoSetName(k, m))).toEqual(['nReal', 'nFake', 'traceFeaturesFake', 'traceFeaturesReal', 'fid']);
  });

  it('IDX images with the MNIST reference classifier give classes', async () => {
    const imgs = new Uint8Array(40 * 28 * 28);
    for (let i = 0; i < imgs.length; i++) imgs[i] = rng.int(256);
    const file = path.join(tmp, 'noise-idx3-ubyte');
    fs.writeFileSync(file, encodeIdx(imgs, [40, 28, 28]));
    const r = await metricsCommand({ real: file, fake: file, k: 3, seed: 0, json: true, reference: 'mnist' });
    expect(r.features).toBe('reference');
    expect(r.featureDim).toBe(128);
    expect(r.fid).toBeCloseTo(0, 6);
    expect(r.precision).toBe(1);
    expect((r.classHistogram as number[]).length).toBe(10);
    expect(r.pixelHistogram).toBeUndefined(); // a chart's data, not printed
    await expect(metricsCommand({ real: file, fake: xFile, k: 3, seed: 0, json: true })).rejects.toThrow(/784 values per sample/);
  });
});
