import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FASHION_MNIST_CLASS_NAMES, FASHION_MNIST_DIR_ENV, fashionMnistAvailable, loadFashionMnist } from '../../main/data/fashion-mnist';
import { writeIdx } from '../../main/data/idx';
import { listBuiltinDatasets } from '../../main/data/load-dataset';
import { loadMnist } from '../../main/data/mnist';
import type { Samples } from '../../main/data/samples';

const tmp = mkdtempSync(join(tmpdir(), 'mnist-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const savedEnv = process.env[FASHION_MNIST_DIR_ENV];
afterEach(() => {
  if (savedEnv === undefined) delete process.env[FASHION_MNIST_DIR_ENV];
  else process.env[FASHION_MNIST_DIR_ENV] = savedEnv;
});

function checkImages(s: Samples, n: number): void {
  expect(s.n).toBe(n);
  expect(s.dim).toBe(784);
  expect(s.x.length).toBe(n * 784);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < s.x.length; i++) {
    const v = s.x[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  expect(min).toBe(0);
  expect(max).toBe(1);
  const seen = new Set(s.labels);
  expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
}

function sum(x: Float32Array, from: number, to: number): number {
  let t = 0;
  for (let i = from; i < to; i++) t += x[i];
  return t;
}

describe('MNIST', () => {
  it('loads 60,000 training and 10,000 test images of 28×28×1 with labels 0-9 and pixels in [0, 1]', async () => {
    const m = await loadMnist();
    expect(m.shape).toEqual([28, 28, 1]);
    expect(m.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    checkImages(m.train, 60_000);
    checkImages(m.test, 10_000);
    // first labels and the first image's pixel sum, as NumPy reads the same files
    expect(Array.from(m.train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(m.test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    expect(sum(m.train.x, 0, 784) * 255).toBeCloseTo(27525, 1);
  });

  it('is decoded once per process', async () => {
    expect(await loadMnist()).toBe(await loadMnist());
  });
});

describe('Fashion-MNIST', () => {
  const installed = fashionMnistAvailable();
  it.skipIf(!installed)('loads from the Debian package (dataset-fashion-mnist)', async () => {
    const f = await loadFashionMnist();
    expect(f.shape).toEqual([28, 28, 1]);
    expect(f.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    checkImages(f.train, 60_000);
    checkImages(f.test, 10_000);
    expect(Array.from(f.train.labels.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect(Array.from(f.test.labels.subarray(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    expect(sum(f.train.x, 0, 784) * 255).toBeCloseTo(76247, 1);
  });
  if (!installed) {
    it('is installed here (otherwise: sudo apt-get install dataset-fashion-mnist)', () => {
      expect.fail('dataset-fashion-mnist is not installed; the loading test above was skipped');
    });
  }

  it('a missing folder gives an error with the apt command; the env var overrides the folder', async () => {
    const empty = join(tmp, 'empty');
    process.env[FASHION_MNIST_DIR_ENV] = empty;
    expect(fashionMnistAvailable()).toBe(false);
    await expect(loadFashionMnist()).rejects.toThrow(/sudo apt-get install dataset-fashion-mnist/);
    const entry = listBuiltinDatasets().find((d) => d.kind === 'fashion-mnist')!;
    expect(entry.available).toBe(false);
    expect(entry.reason).toMatch(/sudo apt-get install dataset-fashion-mnist/);

    const dir = join(tmp, 'tiny');
    mkdirSync(dir);
    writeIdx(
      join(dir, 'train-images-idx3-ubyte'),
      Uint8Array.from({ length: 3 * 4 }, (_, i) => i * 20),
      [3, 2, 2],
    );
    writeIdx(join(dir, 'train-labels-idx1-ubyte'), Uint8Array.from([0, 9, 4]), [3]);
    writeIdx(join(dir, 't10k-images-idx3-ubyte.gz'), new Uint8Array(4), [1, 2, 2], { gzip: true });
    writeIdx(join(dir, 't10k-labels-idx1-ubyte.gz'), Uint8Array.from([2]), [1], { gzip: true });
    process.env[FASHION_MNIST_DIR_ENV] = dir;
    expect(fashionMnistAvailable()).toBe(true);
    const f = await loadFashionMnist();
    expect(f.shape).toEqual([2, 2, 1]);
    expect(f.train.n).toBe(3);
    expect(Array.from(f.train.labels)).toEqual([0, 9, 4]);
    expect(f.train.x[11]).toBeCloseTo(220 / 255, 6);
    expect(f.test.n).toBe(1);
  });
});

describe('listBuiltinDatasets', () => {
  it('lists MNIST as available', () => {
    const list = listBuiltinDatasets();
    expect(list.find((d) => d.kind === 'mnist')).toEqual({ kind: 'mnist', label: 'MNIST', available: true });
    expect(list.map((d) => d.kind)).toContain('fashion-mnist');
  });
});
