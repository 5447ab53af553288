import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/contract/config';
import { CIFAR100_COARSE_NAMES, CIFAR100_FINE_NAMES } from '../../main/data/cifar';
import { datasetEntry } from '../../main/data/dataset-registry';
import type { Dataset, Samples } from '../../main/data/samples';

// Small files in the official binary formats, written by make_official_binary.py beside them, with the decoding
// torchvision applies (expected.json).
const FIXTURES = join(import.meta.dirname, '../fixtures/data/official-binary');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));
const tmp = mkdtempSync(join(tmpdir(), 'official-binary-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Image {
  sha256: string;
  probes: [number, number, number, number][];
}

function load(dataset: Record<string, unknown>, seed = 0): Dataset {
  const cfg = validateConfig({ dataset, model: { kind: 'gaussian' }, loop: { generations: 1, keep: 1 } }).dataset;
  return datasetEntry(cfg.kind).load(cfg as never, seed) as Dataset;
}

function facts(dataset: Record<string, unknown>) {
  const cfg = validateConfig({ dataset, model: { kind: 'gaussian' }, loop: { generations: 1, keep: 1 } }).dataset;
  return datasetEntry(cfg.kind).facts(cfg as never);
}

/** Row i as the HWC bytes the Python side hashed. */
function rowBytes(s: Samples, i: number): Uint8Array {
  return Uint8Array.from(s.x.subarray(i * s.dim, (i + 1) * s.dim), (v) => Math.round(v * 255));
}

function expectImages(s: Samples, images: Image[], side: number) {
  expect(s.n).toBe(images.length);
  images.forEach((im, i) => {
    const bytes = rowBytes(s, i);
    expect(createHash('sha256').update(bytes).digest('hex'), `image ${i}`).toBe(im.sha256);
    for (const [y, x, c, v] of im.probes) expect(bytes[(y * side + x) * 3 + c]).toBe(v);
  });
}

function copyOf(folder: string, name: string): string {
  const dir = join(tmp, name);
  cpSync(join(FIXTURES, folder), dir, { recursive: true });
  return dir;
}

describe('CIFAR-10 binary', () => {
  const dir = join(FIXTURES, 'cifar-10-batches-bin');

  it('decodes the five training batches in order and the test batch, with labels and class names', () => {
    const ds = load({ kind: 'cifar10', path: dir });
    expect(ds.shape).toEqual([32, 32, 3]);
    expect(ds.classNames).toEqual(expected.cifar10.classNames);
    expectImages(ds.train, expected.cifar10.train, 32);
    expectImages(ds.test, expected.cifar10.test, 32);
    expect(Array.from(ds.train.labels!)).toEqual(expected.cifar10.train.map((e: { label: number }) => e.label));
    expect(Array.from(ds.test.labels!)).toEqual(expected.cifar10.test.map((e: { label: number }) => e.label));
    expect(facts({ kind: 'cifar10', path: dir })).toMatchObject({ dim: 3072, trainN: 15, testN: 4, field: 'dataset.path' });
  });

  it('finds the batches inside the folder that holds cifar-10-batches-bin', () => {
    const ds = load({ kind: 'cifar10', path: FIXTURES });
    expect(ds.train.n).toBe(15);
  });

  it('keeps seeded subsets of both splits, the same rows as decoding all and choosing after', () => {
    const all = load({ kind: 'cifar10', path: dir });
    const a = load({ kind: 'cifar10', path: dir, subset: 6, testSubset: 2 }, 3);
    const b = load({ kind: 'cifar10', path: dir, subset: 6, testSubset: 2 }, 3);
    expect(a.train.n).toBe(6);
    expect(a.test.n).toBe(2);
    expect(Buffer.from(a.train.x.buffer).equals(Buffer.from(b.train.x.buffer))).toBe(true);
    // every kept row is one of the full set's rows, with its label
    for (let i = 0; i < a.train.n; i++) {
      const row = a.train.x.subarray(i * 3072, (i + 1) * 3072);
      const j = [...Array(all.train.n).keys()].find((r) => all.train.x.subarray(r * 3072, (r + 1) * 3072).every((v, t) => v === row[t]));
      expect(j).toBeDefined();
      expect(a.train.labels![i]).toBe(all.train.labels![j!]);
    }
    expect(() => load({ kind: 'cifar10', path: dir, subset: 16 })).toThrow(/dataset\.subset: 16 is more than the 15 training samples/);
    expect(() => facts({ kind: 'cifar10', path: dir, testSubset: 5 })).toThrow(
      /dataset\.testSubset: 5 is more than the 4 test samples of CIFAR-10/,
    );
  });

  it('names a truncated batch, a missing one, a label out of range and a missing folder', () => {
    const cut = copyOf('cifar-10-batches-bin', 'cifar10-cut');
    truncateSync(join(cut, 'data_batch_3.bin'), 3073 * 2 + 100);
    const msg =
      /CIFAR-10 file .*data_batch_3\.bin is truncated or not in the official format: 6,246 bytes is 2 records of 3,073 bytes and 100 bytes more/;
    expect(() => load({ kind: 'cifar10', path: cut })).toThrow(msg);
    expect(() => facts({ kind: 'cifar10', path: cut })).toThrow(msg);

    const missing = copyOf('cifar-10-batches-bin', 'cifar10-missing');
    rmSync(join(missing, 'data_batch_5.bin'));
    expect(() => facts({ kind: 'cifar10', path: missing })).toThrow(/cannot read CIFAR-10 file .*data_batch_5\.bin: ENOENT/);

    const bad = copyOf('cifar-10-batches-bin', 'cifar10-label');
    const bytes = readFileSync(join(bad, 'test_batch.bin'));
    bytes[3073] = 12;
    writeFileSync(join(bad, 'test_batch.bin'), bytes);
    expect(() => load({ kind: 'cifar10', path: bad })).toThrow(
      /CIFAR-10 file .*test_batch\.bin: record 1 has label 12; labels run from 0 to 9/,
    );

    expect(() => load({ kind: 'cifar10', path: join(tmp, 'nowhere') })).toThrow(/CIFAR-10 folder .*nowhere does not exist/);
    expect(() => load({ kind: 'cifar10', path: tmp })).toThrow(/holds neither data_batch_1\.bin nor a cifar-10-batches-bin folder/);
  });

  it('uses the official names without batches.meta.txt, and refuses a names file of the wrong length', () => {
    const d = copyOf('cifar-10-batches-bin', 'cifar10-names');
    rmSync(join(d, 'batches.meta.txt'));
    expect(load({ kind: 'cifar10', path: d }).classNames).toEqual(expected.cifar10.classNames);
    writeFileSync(join(d, 'batches.meta.txt'), 'cat\ndog\n');
    expect(() => load({ kind: 'cifar10', path: d })).toThrow(/CIFAR-10 names file .*batches\.meta\.txt holds 2 class names, expected 10/);
  });
});

describe('CIFAR-100 binary', () => {
  const dir = join(FIXTURES, 'cifar-100-binary');

  it('decodes fine labels by default and coarse labels on request', () => {
    const fine = load({ kind: 'cifar100', path: dir });
    expectImages(fine.train, expected.cifar100.train, 32);
    expectImages(fine.test, expected.cifar100.test, 32);
    expect(Array.from(fine.train.labels!)).toEqual(expected.cifar100.train.map((e: { fine: number }) => e.fine));
    expect(fine.classNames).toEqual(expected.cifar100.classNames.fine);
    expect(fine.numClasses).toBe(100);
    const coarse = load({ kind: 'cifar100', path: dir, labels: 'coarse' });
    expect(Array.from(coarse.test.labels!)).toEqual(expected.cifar100.test.map((e: { coarse: number }) => e.coarse));
    expect(coarse.classNames).toEqual(expected.cifar100.classNames.coarse);
    expect(coarse.numClasses).toBe(20);
  });

  it('has the official names built in (100 fine, 20 coarse)', () => {
    expect(new Set(CIFAR100_FINE_NAMES).size).toBe(100);
    expect(new Set(CIFAR100_COARSE_NAMES).size).toBe(20);
    const d = copyOf('cifar-100-binary', 'cifar100-names');
    rmSync(join(d, 'fine_label_names.txt'));
    expect(load({ kind: 'cifar100', path: d }).classNames?.slice(0, 2)).toEqual(['apple', 'aquarium_fish']);
  });

  it('names a file with trailing bytes', () => {
    const d = copyOf('cifar-100-binary', 'cifar100-long');
    writeFileSync(join(d, 'test.bin'), Buffer.concat([readFileSync(join(d, 'test.bin')), Buffer.alloc(7)]));
    expect(() => facts({ kind: 'cifar100', path: d })).toThrow(
      /CIFAR-100 file .*test\.bin is truncated or not in the official format: .* 3 records of 3,074 bytes and 7 bytes more/,
    );
  });
});

describe('STL-10 binary', () => {
  const dir = join(FIXTURES, 'stl10_binary');

  it('decodes the column-major planes and the 1-based labels', () => {
    const ds = load({ kind: 'stl10', path: dir });
    expect(ds.shape).toEqual([96, 96, 3]);
    expectImages(ds.train, expected.stl10.train, 96);
    expectImages(ds.test, expected.stl10.test, 96);
    expect(Array.from(ds.train.labels!)).toEqual(expected.stl10.train.map((e: { label: number }) => e.label));
    expect(ds.classNames).toEqual(expected.stl10.classNames);
    expect(facts({ kind: 'stl10', path: dir })).toMatchObject({ dim: 27648, trainN: 2, testN: 2 });
  });

  it('trains on the unlabelled images without classes', () => {
    const ds = load({ kind: 'stl10', path: FIXTURES, images: 'unlabeled' });
    expectImages(ds.train, expected.stl10.unlabeled, 96);
    expect(ds.train.labels).toBeUndefined();
    expect(ds.numClasses).toBe(0);
  });

  it('names a labels file that does not match its images, and a truncated image file', () => {
    const d = copyOf('stl10_binary', 'stl-labels');
    writeFileSync(join(d, 'train_y.bin'), Buffer.from([1]));
    expect(() => load({ kind: 'stl10', path: d })).toThrow(
      /STL-10 labels file .*train_y\.bin holds 1 labels for the 2 images of .*train_X\.bin/,
    );
    writeFileSync(join(d, 'train_y.bin'), Buffer.from([1, 11]));
    expect(() => load({ kind: 'stl10', path: d })).toThrow(/train_y\.bin: record 1 has label 11; labels run from 1 to 10/);
    truncateSync(join(d, 'test_X.bin'), 27648 + 5);
    expect(() => facts({ kind: 'stl10', path: d })).toThrow(/STL-10 image file .*test_X\.bin is truncated/);
  });
});
