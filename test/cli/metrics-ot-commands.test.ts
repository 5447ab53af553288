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
  it('distance: exact and Sinkhorn costs equal the library calls on the same data', () => {
    const M = sqeuclideanCost(X, Y, 120, 90, 4);
    const exact = otDistance({ x: xFile, y: yFile, cost: 'sqeuclidean', method: 'exact', maxIter: 1000, tol: 1e-9, json: true });
    expect(exact.cost).toBe(emd(null, null, M, 120, 90).cost);
    expect(exact.seconds).toBeGreaterThan(0);
    const sk = otDistance({ x: xFile, y: yFile, cost: 'sqeuclidean', method: 'sinkhorn', reg: 1, maxIter: 50, tol: 0, json: true });
    const ref = sinkhornLog(null, null, M, 120, 90, 1, { maxIter: 50, tol: 0 });
    expect(sk.cost).toBe(ref.cost);
    expect(sk.iterations).toBe(50);
  });

  it('distance: clear errors for missing reg, other dtypes and mismatched dimensions', () => {
    const base = { x: xFile, y: yFile, cost: 'sqeuclidean', maxIter: 10, tol: 0, json: true };
    expect(() => otDistance({ ...base, method: 'sinkhorn' })).toThrow(/needs --reg/);
    expect(() => otDistance({ ...base, method: 'simplex' })).toThrow(/--method must be exact or sinkhorn/);
    const ints = npy('ints.npy', Int32Array.from({ length: 20 }, (_, i) => i), [5, 4]);
    expect(() => otDistance({ ...base, method: 'exact', x: ints })).toThrow(/dtype '<i4'; only float32 and float64/);
    const other = npy('other.npy', new Float32Array(15), [5, 3]);
    expect(() => otDistance({ ...base, method: 'exact', y: other })).toThrow(/4 dimensions per point but --y has 3/);
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
    const r = spawnSync(process.execPath, [bin, 'ot', 'distance', '--x', xFile, '--y', yFile, '--method', 'sinkhorn', '--reg', '0.5', '--json'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['cost', 'iterations', 'seconds']));
    const bad = spawnSync(process.execPath, [bin, 'ot', 'distance', '--x', path.join(tmp, 'nope.npy'), '--y', yFile], { encoding: 'utf8', timeout: 120_000 });
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
    await expect(metricsCommand({ real: file, fake: xFile, k: 3, seed: 0, json: true })).rejects.toThrow(/784 values per sample/);
  });
});
