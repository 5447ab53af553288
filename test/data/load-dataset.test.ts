import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, datasetConfig, type DatasetConfig } from '../../main/contract/config';
import { writeIdx } from '../../main/data/idx';
import { describeDataset, loadDataset } from '../../main/data/load-dataset';
import { writeNpySync } from '../../main/data/npy';
import type { Samples } from '../../main/data/samples';

const tmp = mkdtempSync(join(tmpdir(), 'load-dataset-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Parse through the contract so defaults (testFraction) apply as they do at every door. */
const cfg = (c: unknown): DatasetConfig => datasetConfig.parse(c);

/** Rows as strings, to compare sets of rows. */
function rowSet(s: Samples): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < s.n; i++) out.add(Array.from(s.x.subarray(i * s.dim, (i + 1) * s.dim)).join(','));
  return out;
}

/** Byte equality of two float arrays (vitest's deep equality is slow on arrays of 10⁵+ elements). */
function same(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function counts(labels: Int32Array, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (const l of labels) c[l]++;
  return c;
}

/** n unique vector rows [i, -i] with labels i % k. */
function writeVectors(name: string, n: number, k: number): { path: string; labels: string } {
  const x = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = -i;
  }
  const path = join(tmp, `${name}.npy`);
  const labels = join(tmp, `${name}-labels.npy`);
  writeNpySync(path, x, [n, 2]);
  writeNpySync(
    labels,
    Int32Array.from({ length: n }, (_, i) => i % k),
    [n],
  );
  return { path, labels };
}

describe('mnist through loadDataset', () => {
  it('official test split; seeded, stratified subset and testSubset', async () => {
    const full = await loadDataset(cfg({ kind: 'mnist' }), 0);
    expect([full.train.n, full.test.n, full.numClasses]).toEqual([60_000, 10_000, 10]);
    const a = await loadDataset(cfg({ kind: 'mnist', subset: 1000, testSubset: 500 }), 1);
    const b = await loadDataset(cfg({ kind: 'mnist', subset: 1000, testSubset: 500 }), 1);
    const c = await loadDataset(cfg({ kind: 'mnist', subset: 1000, testSubset: 500 }), 2);
    expect([a.train.n, a.test.n]).toEqual([1000, 500]);
    expect(same(b.train.x, a.train.x)).toBe(true);
    expect(same(b.test.x, a.test.x)).toBe(true);
    expect(same(c.train.x, a.train.x)).toBe(false);
    expect(same(c.test.x, a.test.x)).toBe(false);
    // stratified: each class gets its share of the full training set, within rounding
    const share = counts(full.train.labels!, 10).map((v) => (v / 60_000) * 1000);
    counts(a.train.labels!, 10).forEach((v, i) => expect(Math.abs(v - share[i])).toBeLessThan(1));
    const summary = describeDataset(a);
    expect(summary).toMatchObject({ name: 'mnist', shape: [28, 28, 1], trainSize: 1000, testSize: 500, numClasses: 10 });
    expect(summary.classCounts!.train.reduce((s, v) => s + v, 0)).toBe(1000);
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('a subset larger than the data is an error', async () => {
    // the schema refuses it at the field, naming the dataset's real size (defect 2)
    expect(() => cfg({ kind: 'mnist', subset: 70_000 })).toThrow('70,000 is more than the 60,000 training images of mnist');
    expect(() => cfg({ kind: 'fashion-mnist', testSubset: 10_001 })).toThrow('10,001 is more than the 10,000 test images of fashion-mnist');
    // and the loader, for a config that skipped the schema, as a field error
    const err = await loadDataset({ kind: 'mnist', subset: 60_001 }, 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([
      { path: 'dataset.subset', message: '60,001 is more than the 60,000 training samples of mnist' },
    ]);
    await expect(loadDataset({ kind: 'mnist', testSubset: 10_001 }, 0)).rejects.toThrow(
      'dataset.testSubset: 10,001 is more than the 10,000 test samples of mnist',
    );
  });
});

describe('held-out test split (testFraction)', () => {
  it('is seeded, stratified, and never overlaps the training set', async () => {
    const { path, labels } = writeVectors('vec', 200, 4);
    const c = cfg({ kind: 'npy', path, labels, testFraction: 0.25 });
    const a = await loadDataset(c, 5);
    const b = await loadDataset(c, 5);
    const other = await loadDataset(c, 6);
    expect([a.train.n, a.test.n]).toEqual([150, 50]);
    expect(a.shape).toEqual([2]);
    expect(a.numClasses).toBe(4);
    expect(a.classNames).toEqual(['0', '1', '2', '3']);
    expect(counts(a.test.labels!, 4)).toEqual([13, 13, 12, 12]);
    const train = rowSet(a.train);
    const test = rowSet(a.test);
    expect([...test].filter((r) => train.has(r))).toEqual([]);
    expect(train.size + test.size).toBe(200);
    expect(b.test.x).toEqual(a.test.x);
    expect(other.test.x).not.toEqual(a.test.x);
    // labels travel with their rows: row [i, -i] has label i % 4
    for (let r = 0; r < a.train.n; r++) expect(a.train.labels![r]).toBe(a.train.x[2 * r] % 4);
  });

  it('subset applies to what is left after the hold-out, seeded', async () => {
    const { path } = writeVectors('vec-unlabelled', 100, 1);
    const c = cfg({ kind: 'npy', path, subset: 30 });
    const a = await loadDataset(c, 1);
    expect([a.train.n, a.test.n, a.numClasses]).toEqual([30, 10, 0]);
    expect(a.train.labels).toBeUndefined();
    expect((await loadDataset(c, 1)).train.x).toEqual(a.train.x);
    expect((await loadDataset(c, 2)).train.x).not.toEqual(a.train.x);
    expect([...rowSet(a.test)].filter((r) => rowSet(a.train).has(r))).toEqual([]);
    await expect(loadDataset(cfg({ kind: 'npy', path, subset: 91 }), 1)).rejects.toThrow(
      `dataset.subset: 91 is more than the 90 training samples of npy:${path}`,
    );
  });
});

describe('npy datasets', () => {
  it('3-D uint8 arrays are grey images scaled by 1/255', async () => {
    const path = join(tmp, 'images-u8.npy');
    writeNpySync(
      path,
      Uint8Array.from({ length: 10 * 2 * 3 }, (_, i) => i % 256),
      [10, 2, 3],
    );
    const d = await loadDataset(cfg({ kind: 'npy', path }), 0);
    expect(d.shape).toEqual([2, 3, 1]);
    expect(d.train.n + d.test.n).toBe(10);
    const all = [...d.train.x, ...d.test.x];
    expect(Math.max(...all)).toBeCloseTo(59 / 255, 6);
  });

  it('4-D float arrays in [0, 1] are images; outside [0, 1] they stay vectors', async () => {
    const img = join(tmp, 'images-f4.npy');
    writeNpySync(
      img,
      Float32Array.from({ length: 4 * 2 * 2 * 3 }, (_, i) => i / 48),
      [4, 2, 2, 3],
    );
    expect((await loadDataset(cfg({ kind: 'npy', path: img }), 0)).shape).toEqual([2, 2, 3]);
    const vec = join(tmp, 'not-images.npy');
    writeNpySync(
      vec,
      Float64Array.from({ length: 4 * 2 * 2 }, (_, i) => i - 3),
      [4, 2, 2],
    );
    const d = await loadDataset(cfg({ kind: 'npy', path: vec }), 0);
    expect(d.shape).toEqual([4]);
    expect(Math.min(...d.train.x, ...d.test.x)).toBe(-3);
  });

  it('imageShape reinterprets rows as images, or explains why it cannot', async () => {
    const path = join(tmp, 'flat.npy');
    writeNpySync(
      path,
      Float32Array.from({ length: 5 * 12 }, (_, i) => (i % 12) / 12),
      [5, 12],
    );
    expect((await loadDataset(cfg({ kind: 'npy', path }), 0)).shape).toEqual([12]);
    expect((await loadDataset(cfg({ kind: 'npy', path, imageShape: [2, 2, 3] }), 0)).shape).toEqual([2, 2, 3]);
    await expect(loadDataset(cfg({ kind: 'npy', path, imageShape: [3, 3, 1] }), 0)).rejects.toThrow(
      `npy file ${path} has 12 values per sample (shape (5, 12)) but dataset.imageShape [3, 3, 1] needs 9`,
    );
    const big = join(tmp, 'flat-big.npy');
    writeNpySync(
      big,
      Float32Array.from({ length: 5 * 4 }, (_, i) => i),
      [5, 4],
    );
    await expect(loadDataset(cfg({ kind: 'npy', path: big, imageShape: [2, 2, 1] }), 0)).rejects.toThrow(
      /has value 2 at element 2, but dataset.imageShape asks for images/,
    );
  });

  it('labels: length mismatch names both files and both lengths; bad label types are refused', async () => {
    const { path } = writeVectors('vec-l', 20, 2);
    const short = join(tmp, 'labels-short.npy');
    writeNpySync(short, new Int32Array(19), [19]);
    await expect(loadDataset(cfg({ kind: 'npy', path, labels: short }), 0)).rejects.toThrow(
      `labels file ${short} has 19 labels but ${path} has 20 samples`,
    );
    const float = join(tmp, 'labels-float.npy');
    writeNpySync(float, new Float32Array(20), [20]);
    await expect(loadDataset(cfg({ kind: 'npy', path, labels: float }), 0)).rejects.toThrow(
      `labels file ${float} must hold integers, but its element type is '<f4'`,
    );
    const negative = join(tmp, 'labels-negative.npy');
    writeNpySync(
      negative,
      Int32Array.from({ length: 20 }, (_, i) => (i === 7 ? -1 : 0)),
      [20],
    );
    await expect(loadDataset(cfg({ kind: 'npy', path, labels: negative }), 0)).rejects.toThrow(
      `labels file ${negative} has label -1 at index 7`,
    );
    const twoD = join(tmp, 'labels-2d.npy');
    writeNpySync(twoD, new Int32Array(20), [20, 1]);
    await expect(loadDataset(cfg({ kind: 'npy', path, labels: twoD }), 0)).rejects.toThrow(/must hold a 1-D array/);
    const i64 = join(tmp, 'labels-i64.npy');
    writeNpySync(
      i64,
      BigInt64Array.from({ length: 20 }, (_, i) => BigInt(i % 3)),
      [20],
    );
    expect((await loadDataset(cfg({ kind: 'npy', path, labels: i64 }), 0)).numClasses).toBe(3);
  });
});

describe('idx datasets', () => {
  const images = join(tmp, 'imgs-idx3-ubyte');
  const labels = join(tmp, 'labels-idx1-ubyte.gz');
  writeIdx(
    images,
    Uint8Array.from({ length: 30 * 4 }, (_, i) => i % 256),
    [30, 2, 2],
  );
  writeIdx(
    labels,
    Uint8Array.from({ length: 30 }, (_, i) => i % 3),
    [30],
    { gzip: true },
  );

  it('images and labels with a held-out test set', async () => {
    const d = await loadDataset(cfg({ kind: 'idx', images, labels }), 0);
    expect(d.shape).toEqual([2, 2, 1]);
    expect([d.train.n, d.test.n, d.numClasses]).toEqual([27, 3, 3]);
    expect(counts(d.test.labels!, 3)).toEqual([1, 1, 1]);
    expect(d.name).toBe(`idx:${images}`);
  });

  it('given test files are used as the test set', async () => {
    const testImages = join(tmp, 't-imgs');
    const testLabels = join(tmp, 't-labels');
    writeIdx(testImages, new Uint8Array(5 * 4), [5, 2, 2]);
    writeIdx(testLabels, Uint8Array.from([0, 1, 2, 3, 1]), [5]);
    const d = await loadDataset(cfg({ kind: 'idx', images, labels, testImages, testLabels }), 0);
    expect([d.train.n, d.test.n, d.numClasses]).toEqual([30, 5, 4]);
    await expect(loadDataset(cfg({ kind: 'idx', images, labels, testImages }), 0)).rejects.toThrow(/dataset.testLabels is required/);
  });

  it('a label count mismatch names both files', async () => {
    const wrong = join(tmp, 'wrong-labels');
    writeIdx(wrong, new Uint8Array(29), [29]);
    await expect(loadDataset(cfg({ kind: 'idx', images, labels: wrong }), 0)).rejects.toThrow(
      `labels file ${wrong} has 29 labels but ${images} has 30 samples`,
    );
  });
});

describe('image-folder datasets', () => {
  it('holds out a stratified test fraction, with folder names as class names', async () => {
    const root = join(tmp, 'folder');
    for (const [cls, count] of [
      ['cat', 10],
      ['dog', 20],
    ] as const) {
      mkdirSync(join(root, cls), { recursive: true });
      for (let i = 0; i < count; i++) {
        const p = new PNG({ width: 2, height: 2 });
        p.data.fill(255);
        p.data[0] = p.data[1] = p.data[2] = i * 10 + (cls === 'dog' ? 5 : 0); // unique rows
        writeFileSync(join(root, cls, `${i}.png`), PNG.sync.write(p));
      }
    }
    const d = await loadDataset(cfg({ kind: 'image-folder', path: root, testFraction: 0.2 }), 3);
    expect(d.classNames).toEqual(['cat', 'dog']);
    expect(d.shape).toEqual([2, 2, 1]);
    expect([d.train.n, d.test.n]).toEqual([24, 6]);
    expect(counts(d.test.labels!, 2)).toEqual([2, 4]);
    expect([...rowSet(d.test)].filter((r) => rowSet(d.train).has(r))).toEqual([]);
    expect(describeDataset(d).classCounts).toEqual({ train: [8, 16], test: [2, 4] });
  });
});

describe('gaussian through loadDataset', () => {
  it('uses the config defaults', async () => {
    const d = await loadDataset(cfg({ kind: 'gaussian' }), 0);
    expect(d.shape).toEqual([10]);
    expect([d.train.n, d.test.n]).toEqual([1000, 1000]);
    expect(describeDataset(d).classCounts).toBeNull();
  });
});
