import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { estimateDuration } from '../../main/api/estimate-duration';
import { ConfigError, datasetConfig, validateConfig, type DatasetConfig } from '../../main/contract/config';
import { datasetDeclarations } from '../../main/contract/datasets/dataset-kinds';
import { datasetEntries, datasetEntry, listBuiltinDatasets } from '../../main/data/dataset-registry';
import { FASHION_MNIST_DIR_ENV } from '../../main/data/fashion-mnist';
import { writeIdx } from '../../main/data/idx';
import { loadDataset } from '../../main/data/load-dataset';
import { writeNpySync } from '../../main/data/npy';
import { dimOf } from '../../main/data/samples';
import { findPreset } from '../../main/presets';
import { datasetFacts } from '../../main/runs/preflight';

/**
 * The dataset registry (issue 13): one entry per kind of the config contract, each entry's schema, loader and declared
 * size agreeing with what it loads; an unknown kind refused by name at every door.
 */
const tmp = mkdtempSync(join(tmpdir(), 'dataset-registry-test-'));
const OFFICIAL = join(import.meta.dirname, '../fixtures/data/official-binary');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const savedEnv = process.env[FASHION_MNIST_DIR_ENV];
afterEach(() => {
  if (savedEnv === undefined) delete process.env[FASHION_MNIST_DIR_ENV];
  else process.env[FASHION_MNIST_DIR_ENV] = savedEnv;
});

/** A small valid config of every kind: built-ins at a small subset, file kinds on files written here. */
function smallConfigs(): Record<string, unknown> {
  const npyPath = join(tmp, 'x.npy');
  const npyLabels = join(tmp, 'y.npy');
  writeNpySync(
    npyPath,
    Float32Array.from({ length: 40 * 3 }, (_, i) => Math.sin(i)),
    [40, 3],
  );
  writeNpySync(
    npyLabels,
    Int32Array.from({ length: 40 }, (_, i) => i % 4),
    [40],
  );
  const npyImages = join(tmp, 'img.npy');
  writeNpySync(
    npyImages,
    Uint8Array.from({ length: 24 * 12 }, (_, i) => (i * 7) % 256),
    [24, 12],
  );
  const idxImages = join(tmp, 'imgs-idx3-ubyte');
  const idxLabels = join(tmp, 'labels-idx1-ubyte');
  writeIdx(
    idxImages,
    Uint8Array.from({ length: 30 * 6 }, (_, i) => (i * 3) % 256),
    [30, 3, 2],
  );
  writeIdx(
    idxLabels,
    Uint8Array.from({ length: 30 }, (_, i) => i % 3),
    [30],
  );
  const folder = join(tmp, 'folder');
  for (const [cls, count] of [
    ['a', 6],
    ['b', 9],
  ] as const) {
    mkdirSync(join(folder, cls), { recursive: true });
    for (let i = 0; i < count; i++) {
      const p = new PNG({ width: 3, height: 2 });
      for (let k = 0; k < p.data.length; k += 4) {
        p.data[k] = (i * 20 + k) % 256; // colour pixels: R, G and B differ
        p.data[k + 1] = cls === 'a' ? 10 : 200;
        p.data[k + 2] = 90;
        p.data[k + 3] = 255;
      }
      writeFileSync(join(folder, cls, `${i}.png`), PNG.sync.write(p));
    }
  }
  return {
    mnist: { kind: 'mnist', subset: 200, testSubset: 100 },
    'fashion-mnist': { kind: 'fashion-mnist', subset: 150, testSubset: 50 },
    gaussian: { kind: 'gaussian', dim: 3, trainSize: 50, testSize: 20 },
    'gaussian-mixture': {
      kind: 'gaussian-mixture',
      dim: 2,
      weights: [1, 3],
      means: [
        [0, 0],
        [4, 1],
      ],
      covs: [1, [0.5, 2]],
      trainSize: 60,
      testSize: 25,
    },
    'toy-2d': { kind: 'toy-2d', shape: 'circles', trainSize: 30, testSize: 12 },
    'image-folder': { kind: 'image-folder', path: folder, testFraction: 0.2, subset: 10 },
    idx: { kind: 'idx', images: idxImages, labels: idxLabels, testFraction: 0.1 },
    npy: { kind: 'npy', path: npyPath, labels: npyLabels, testFraction: 0.25 },
    'npy-images': { kind: 'npy', path: npyImages, imageShape: [2, 2, 3], subset: 12 },
    // the official binary formats, on the small files of test/fixtures/data/official-binary
    cifar10: { kind: 'cifar10', path: join(OFFICIAL, 'cifar-10-batches-bin'), subset: 10, testSubset: 3 },
    cifar100: { kind: 'cifar100', path: OFFICIAL, labels: 'coarse', subset: 5 },
    stl10: { kind: 'stl10', path: OFFICIAL, images: 'unlabeled', subset: 2, testSubset: 1 },
  };
}

describe('the dataset registry', () => {
  it('holds one entry per kind of the contract, in its order, carrying the contract’s schema', () => {
    const entries = datasetEntries();
    expect(entries.map((e) => e.kind)).toEqual(datasetConfig.options.map((o) => o.shape.kind.value));
    expect(entries.map((e) => e.kind)).toEqual([
      'mnist',
      'fashion-mnist',
      'gaussian',
      'gaussian-mixture',
      'toy-2d',
      'image-folder',
      'idx',
      'npy',
      'cifar10',
      'cifar100',
      'stl10',
    ]);
    entries.forEach((e, i) => {
      expect(e.schema).toBe(datasetConfig.options[i]);
      expect(e.schema).toBe(datasetDeclarations[i].schema);
      expect(e.label.length).toBeGreaterThan(0);
      expect(e.detail.length).toBeGreaterThan(0);
    });
  });

  it('every schema is strict: an unknown field is refused by name', () => {
    for (const e of datasetEntries()) {
      const r = datasetConfig.safeParse({ ...e.wizardDefaults, colour: 'blue' });
      expect(r.success, e.kind).toBe(false);
      expect(
        r.error!.issues.some((i) => i.code === 'unrecognized_keys' && i.keys.includes('colour')),
        e.kind,
      ).toBe(true);
    }
  });

  it('wizard defaults are valid configs, except the paths the user must fill in', () => {
    const mustFill: Record<string, string[]> = {
      'image-folder': ['path'],
      idx: ['images'],
      npy: ['path'],
      cifar10: ['path'],
      cifar100: ['path'],
      stl10: ['path'],
    };
    for (const e of datasetEntries()) {
      const r = datasetConfig.safeParse(e.wizardDefaults);
      const fields = r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
      expect(fields, e.kind).toEqual(mustFill[e.kind] ?? []);
    }
  });

  it('lists the built-in datasets with their availability, as before the registry', () => {
    const list = listBuiltinDatasets();
    expect(list.map((d) => [d.kind, d.label])).toEqual([
      ['mnist', 'MNIST'],
      ['fashion-mnist', 'Fashion-MNIST'],
      ['gaussian', 'Gaussian toy (generated)'],
      ['toy-2d', '2-D toy shapes (generated)'],
    ]);
    for (const d of list) expect(d.available || (d.reason ?? '').length > 0, d.kind).toBe(true);
    expect(list.find((d) => d.kind === 'mnist')).toEqual({ kind: 'mnist', label: 'MNIST', available: true });
  });

  it('a built-in that is not installed is listed unavailable, and loading it says how to install it', async () => {
    process.env[FASHION_MNIST_DIR_ENV] = join(tmp, 'no-such-folder');
    const entry = listBuiltinDatasets().find((d) => d.kind === 'fashion-mnist')!;
    expect(entry.available).toBe(false);
    expect(entry.reason).toMatch(/sudo apt-get install dataset-fashion-mnist/);
    await expect(loadDataset({ kind: 'fashion-mnist' }, 0)).rejects.toThrow(/sudo apt-get install dataset-fashion-mnist/);
  });

  it('keeps the official-subset messages at the field', () => {
    expect(() => datasetConfig.parse({ kind: 'mnist', subset: 70_000 })).toThrow('70,000 is more than the 60,000 training images of mnist');
    expect(() => datasetFacts({ kind: 'fashion-mnist', testSubset: 10_001 })).toThrow(ConfigError);
    expect(() => datasetFacts({ kind: 'fashion-mnist', testSubset: 10_001 })).toThrow(
      '10,001 is more than the 10,000 test images of fashion-mnist',
    );
  });
});

describe('an unknown dataset kind', () => {
  const cifar = { kind: 'cifar', subset: 10 } as unknown as DatasetConfig;
  const byName =
    /unknown dataset kind "cifar"; known kinds: mnist, fashion-mnist, gaussian, gaussian-mixture, toy-2d, image-folder, idx, npy, cifar10, cifar100, stl10/;

  it('is refused by name at dataset.kind: the loader, the preflight, the registry', async () => {
    const err = await loadDataset(cifar, 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toHaveLength(1);
    expect((err as ConfigError).issues[0].path).toBe('dataset.kind');
    expect((err as ConfigError).issues[0].message).toMatch(byName);
    expect(() => datasetFacts(cifar)).toThrow(byName);
    expect(() => datasetEntry('toString')).toThrow(/unknown dataset kind "toString"/);
    expect(() => datasetEntry(undefined)).toThrow(/unknown dataset kind undefined/);
  });

  it('is refused by the contract at dataset.kind', () => {
    const base = findPreset('smoke').config as Record<string, unknown>;
    expect(() => validateConfig({ ...base, dataset: { kind: 'cifar' } })).toThrow(/dataset\.kind/);
  });
});

describe('every entry’s schema, loader and declared size agree', () => {
  const configs = smallConfigs();
  for (const [name, raw] of Object.entries(configs)) {
    const kind = (raw as { kind: string }).kind;
    const entry = datasetEntry(kind);
    const available = entry.unavailableReason() === undefined;
    it.skipIf(!available)(
      `${name}: the loaded dataset has the size and shape declared before loading`,
      async () => {
        const cfg = datasetConfig.parse(raw);
        const facts = datasetFacts(cfg)!;
        const planned = entry.plannedSize(cfg);
        const ds = await loadDataset(cfg, 3);
        expect(entry.samplesAreImages(cfg), name).toBe(ds.shape.length === 3);
        expect([facts.trainN, facts.testN, facts.dim], name).toEqual([ds.train.n, ds.test.n, dimOf(ds.shape)]);
        expect([ds.train.dim, ds.test.dim]).toEqual([facts.dim, facts.dim]);
        if (planned.trainN !== null) expect(planned.trainN, name).toBe(ds.train.n);
        if (planned.dim !== null) expect(planned.dim, name).toBe(dimOf(ds.shape));
        // the duration estimate reads the same declared size (and MNIST's 784 values where the files decide)
        const est = estimateDuration(
          validateConfig({
            ...(findPreset('smoke').config as Record<string, unknown>),
            dataset: raw,
            model: { kind: 'gaussian', params: {} },
          }),
        );
        expect(est.trainingSamples[0]).toBe(planned.trainN ?? 10_000);
        if (entry.officialSplit) {
          expect(ds.shape).toEqual(entry.officialSplit.shape);
          const full = await loadDataset(datasetConfig.parse({ kind }), 3);
          expect([full.train.n, full.test.n]).toEqual([entry.officialSplit.train, entry.officialSplit.test]);
          const fullFacts = datasetFacts(datasetConfig.parse({ kind }))!;
          expect([fullFacts.trainN, fullFacts.testN]).toEqual([full.train.n, full.test.n]);
        }
      },
      180_000,
    );
  }
  it('covers every kind', () => {
    const kinds = new Set(Object.values(configs).map((c) => (c as { kind: string }).kind));
    expect([...kinds].sort()).toEqual(
      datasetEntries()
        .map((e) => e.kind)
        .sort(),
    );
  });
});
