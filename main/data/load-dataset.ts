import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type DatasetConfig } from '../contract/config';
import { rngFor } from '../util/random';
import { fashionMnistUnavailableReason, loadFashionMnist } from './fashion-mnist';
import { makeGaussianMixtureToy } from './gaussian-mixture-toy';
import { makeGaussianToy } from './gaussian-toy';
import { readIdxSamples } from './idx-samples';
import { readImageFolder } from './image-folder';
import { checkLabels, classCounts, numClassesOf } from './labels';
import { loadMnist, mnistFolder, type ImageSplit } from './mnist';
import { isIntegerDtype, readNpy, toFloat32 } from './npy';
import { checkFinite, dimOf, takeRows, type Dataset, type Samples, type SampleShape } from './samples';
import { complementRows, stratifiedChoice } from './stratified-choice';

/**
 * The one entry from a dataset config to a Dataset: read the files, split off the test set (the official test split,
 * given test files, or a seeded held-out fraction, stratified by class when labelled), then keep the seeded training
 * `subset`. Built-in datasets are cached per process and shared: treat every array of a Dataset as read-only.
 */
export async function loadDataset(cfg: DatasetConfig, seed: number): Promise<Dataset> {
  switch (cfg.kind) {
    case 'mnist':
      return fromOfficialSplit('mnist', loadMnist(), cfg.subset, cfg.testSubset, seed);
    case 'fashion-mnist':
      return fromOfficialSplit('fashion-mnist', loadFashionMnist(), cfg.subset, cfg.testSubset, seed);
    case 'image-folder': {
      const f = readImageFolder(cfg.path);
      const { train, test } = holdOut(f.samples, cfg.testFraction ?? 0.1, seed, cfg.path);
      return finish(`image-folder:${cfg.path}`, f.shape, train, test, cfg.subset, seed, f.classNames);
    }
    case 'idx':
      return loadIdxDataset(cfg, seed);
    case 'npy':
      return loadNpyDataset(cfg, seed);
    case 'gaussian':
      return makeGaussianToy(
        {
          dim: cfg.dim ?? 10,
          mean: cfg.mean,
          cov: cfg.cov,
          trainSize: cfg.trainSize ?? 1000,
          testSize: cfg.testSize ?? 1000,
        },
        seed,
      );
    case 'gaussian-mixture':
      return makeGaussianMixtureToy(
        {
          dim: cfg.dim ?? 1,
          weights: cfg.weights,
          means: cfg.means,
          covs: cfg.covs,
          trainSize: cfg.trainSize ?? 1000,
          testSize: cfg.testSize ?? 1000,
        },
        seed,
      );
  }
}

function fromOfficialSplit(
  name: string,
  split: ImageSplit,
  subset: number | undefined,
  testSubset: number | undefined,
  seed: number,
): Dataset {
  let test: Samples = split.test;
  if (testSubset !== undefined) {
    if (testSubset > test.n) {
      throw new ConfigError('config', [{ path: 'dataset.testSubset', message: `${count(testSubset)} is more than the ${count(test.n)} test samples of ${name}` }]);
    }
    test = takeRows(test, stratifiedChoice(test.n, testSubset, rngFor(seed, 'dataset', 'test-subset'), test.labels));
  }
  return finish(name, split.shape, split.train, test, subset, seed, split.classNames);
}

/** Hold out round(n·fraction) rows (at least one, never all) as the test set. */
function holdOut(all: Samples, fraction: number, seed: number, source: string): { train: Samples; test: Samples } {
  if (all.n < 2) throw new Error(`${source} holds ${all.n} sample(s); at least 2 are needed to hold out a test set`);
  const k = Math.min(all.n - 1, Math.max(1, Math.round(all.n * fraction)));
  const testRows = stratifiedChoice(all.n, k, rngFor(seed, 'dataset', 'test-split'), all.labels);
  return { train: takeRows(all, complementRows(all.n, testRows)), test: takeRows(all, testRows) };
}

function finish(
  name: string,
  shape: SampleShape,
  train: Samples,
  test: Samples,
  subset: number | undefined,
  seed: number,
  classNames?: string[],
): Dataset {
  if (subset !== undefined) {
    if (subset > train.n) {
      throw new ConfigError('config', [{ path: 'dataset.subset', message: `${count(subset)} is more than the ${count(train.n)} training samples of ${name}` }]);
    }
    if (subset < train.n) {
      train = takeRows(train, stratifiedChoice(train.n, subset, rngFor(seed, 'dataset', 'subset'), train.labels));
    }
  }
  const labelled = Boolean(train.labels && test.labels);
  const numClasses = labelled ? Math.max(classNames?.length ?? 0, numClassesOf(train.labels, test.labels)) : 0;
  const ds: Dataset = { name, shape, numClasses, train, test };
  if (labelled) ds.classNames = classNames ?? Array.from({ length: numClasses }, (_, i) => String(i));
  return ds;
}

type IdxConfig = Extract<DatasetConfig, { kind: 'idx' }>;

function loadIdxDataset(cfg: IdxConfig, seed: number): Dataset {
  if (cfg.testLabels && !cfg.testImages) throw new Error('dataset.testLabels is given without dataset.testImages');
  if (cfg.testLabels && !cfg.labels) throw new Error('dataset.testLabels is given without dataset.labels');
  if (cfg.labels && cfg.testImages && !cfg.testLabels) {
    throw new Error('dataset.testLabels is required when dataset.labels and dataset.testImages are given');
  }
  const name = `idx:${cfg.images}`;
  const main = readIdxSamples(cfg.images, cfg.labels);
  if (cfg.testImages) {
    const t = readIdxSamples(cfg.testImages, cfg.testLabels);
    if (t.shape.join('x') !== main.shape.join('x')) {
      throw new Error(
        `test file ${cfg.testImages} has sample shape [${t.shape.join(', ')}] but ${cfg.images} has ` +
          `[${main.shape.join(', ')}]`,
      );
    }
    return finish(name, main.shape, main.samples, t.samples, cfg.subset, seed);
  }
  const { train, test } = holdOut(main.samples, cfg.testFraction ?? 0.1, seed, cfg.images);
  return finish(name, main.shape, train, test, cfg.subset, seed);
}

type NpyConfig = Extract<DatasetConfig, { kind: 'npy' }>;

function loadNpyDataset(cfg: NpyConfig, seed: number): Dataset {
  const { samples, shape } = readNpySamples(cfg.path, cfg.imageShape);
  if (cfg.labels) {
    const l = readNpy(cfg.labels);
    samples.labels = checkLabels(
      { shape: l.shape, data: l.data, integer: isIntegerDtype(l.dtype), typeName: `'${l.dtype}'` },
      samples.n,
      cfg.labels,
      cfg.path,
    );
  }
  const { train, test } = holdOut(samples, cfg.testFraction ?? 0.1, seed, cfg.path);
  return finish(`npy:${cfg.path}`, shape, train, test, cfg.subset, seed);
}

/**
 * An npy array as samples: [n, d] vectors; [n, h, w] grey images; [n, h, w, c] images; `imageShape` reinterprets the
 * rows as images of that shape. uint8 images are scaled by 1/255; other images must already lie in [0, 1] (a 3-D or
 * 4-D array outside [0, 1] without `imageShape` is kept as vectors). Vectors keep their values.
 */
export function readNpySamples(
  path: string,
  imageShape?: [number, number, number],
): { samples: Samples; shape: SampleShape } {
  const arr = readNpy(path);
  const s = arr.shape;
  if (s.length < 1 || s.length > 4) {
    throw new Error(
      `npy file ${path} has shape (${s.join(', ')}); expected (n, d) vectors, (n, h, w) or (n, h, w, c) images`,
    );
  }
  const n = s[0];
  const dim = s.slice(1).reduce((a, b) => a * b, 1);
  if (n === 0 || dim === 0) throw new Error(`npy file ${path} holds no samples (shape (${s.join(', ')}))`);
  const x = toFloat32(arr.data);
  checkFinite(x, dim, `npy file ${path}`, arr.data);
  const bytes = arr.dtype === '|u1';
  let image: [number, number, number] | undefined;
  if (imageShape) {
    if (dimOf(imageShape) !== dim) {
      throw new Error(
        `npy file ${path} has ${dim} values per sample (shape (${s.join(', ')})) but dataset.imageShape ` +
          `[${imageShape.join(', ')}] needs ${dimOf(imageShape)}`,
      );
    }
    image = imageShape;
  } else if (s.length >= 3) {
    image = [s[1], s[2], s.length === 4 ? s[3] : 1];
  }
  if (image && bytes) {
    const k = 1 / 255;
    for (let i = 0; i < x.length; i++) x[i] *= k;
  } else if (image) {
    const bad = firstOutsideUnit(x);
    if (bad >= 0) {
      if (imageShape) {
        throw new Error(
          `npy file ${path} (dtype '${arr.dtype}') has value ${x[bad]} at element ${bad}, but dataset.imageShape asks ` +
            `for images, whose values must lie in [0, 1] (or be uint8 in 0..255)`,
        );
      }
      image = undefined; // not pixel values: keep the rows as vectors
    }
  }
  const shape: SampleShape = image ?? [dim];
  return { samples: { x, n, dim }, shape };
}

function firstOutsideUnit(x: Float32Array): number {
  for (let i = 0; i < x.length; i++) if (!(x[i] >= 0 && x[i] <= 1)) return i;
  return -1;
}

export interface DatasetSummary {
  name: string;
  shape: SampleShape;
  trainSize: number;
  testSize: number;
  numClasses: number;
  classNames: string[] | null;
  /** Samples per class in each split; null without labels. */
  classCounts: { train: number[]; test: number[] } | null;
}

export function describeDataset(d: Dataset): DatasetSummary {
  const labelled = d.numClasses > 0 && d.train.labels && d.test.labels;
  return {
    name: d.name,
    shape: [...d.shape] as SampleShape,
    trainSize: d.train.n,
    testSize: d.test.n,
    numClasses: d.numClasses,
    classNames: d.classNames ? [...d.classNames] : null,
    classCounts: labelled
      ? { train: classCounts(d.train.labels!, d.numClasses), test: classCounts(d.test.labels!, d.numClasses) }
      : null,
  };
}

export interface BuiltinDatasetInfo {
  kind: 'mnist' | 'fashion-mnist' | 'gaussian';
  label: string;
  available: boolean;
  /** Why it is unavailable (with the fix), when it is. */
  reason?: string;
}

/** The datasets that need no files from the user, and whether each can be loaded here. */
export function listBuiltinDatasets(): BuiltinDatasetInfo[] {
  const out: BuiltinDatasetInfo[] = [];
  try {
    const dir = mnistFolder();
    const missing = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].filter(
      (f) => !existsSync(join(dir, f)),
    );
    out.push(
      missing.length
        ? { kind: 'mnist', label: 'MNIST', available: false, reason: `MNIST files missing in ${dir}: ${missing.join(', ')}` }
        : { kind: 'mnist', label: 'MNIST', available: true },
    );
  } catch (err) {
    out.push({ kind: 'mnist', label: 'MNIST', available: false, reason: (err as Error).message });
  }
  const reason = fashionMnistUnavailableReason();
  out.push(
    reason
      ? { kind: 'fashion-mnist', label: 'Fashion-MNIST', available: false, reason }
      : { kind: 'fashion-mnist', label: 'Fashion-MNIST', available: true },
  );
  out.push({ kind: 'gaussian', label: 'Gaussian toy (generated)', available: true });
  return out;
}

/** A count as people write it: 70,000. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}
