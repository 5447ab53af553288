import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageSplit } from './mnist';
import { OFFICIAL_IDX_FILE_NAMES, readIdxSplit } from './official-idx-files';

/**
 * Fashion-MNIST from Debian's package `dataset-fashion-mnist` (gzipped IDX files in /usr/share/datasets/fashion-mnist),
 * or from the folder named by COLLAPSE_LAB_FASHION_MNIST_DIR (plain or gzipped files). Same layout as MNIST:
 * 60,000 + 10,000 images of 28×28×1, ten classes. Decoded once per process and folder; treat as read-only.
 */

export const FASHION_MNIST_CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_MNIST_DIR_ENV = 'COLLAPSE_LAB_FASHION_MNIST_DIR';

const BASE_NAMES = OFFICIAL_IDX_FILE_NAMES;
type FileKey = keyof typeof BASE_NAMES;

export function fashionMnistFolder(): string {
  return process.env[FASHION_MNIST_DIR_ENV] || FASHION_MNIST_DEFAULT_DIR;
}

/** The four files in `dir` (gzipped name first, then plain), or the base names that are missing. */
function locate(dir: string): { files?: Record<FileKey, string>; missing: string[] } {
  const files = {} as Record<FileKey, string>;
  const missing: string[] = [];
  for (const key of Object.keys(BASE_NAMES) as FileKey[]) {
    const base = join(dir, BASE_NAMES[key]);
    const found = [`${base}.gz`, base].find((p) => existsSync(p));
    if (found) files[key] = found;
    else missing.push(`${BASE_NAMES[key]}.gz`);
  }
  return missing.length ? { missing } : { files, missing };
}

export function fashionMnistAvailable(): boolean {
  return locate(fashionMnistFolder()).missing.length === 0;
}

/** Why Fashion-MNIST cannot be loaded, or undefined when it can. */
export function fashionMnistUnavailableReason(): string | undefined {
  const dir = fashionMnistFolder();
  const { missing } = locate(dir);
  if (missing.length === 0) return undefined;
  const fromEnv = Boolean(process.env[FASHION_MNIST_DIR_ENV]);
  return (
    `Fashion-MNIST is not installed: ${dir} lacks ${missing.join(', ')}. ` +
    'Install it with `sudo apt-get install dataset-fashion-mnist`' +
    (fromEnv
      ? ` and unset ${FASHION_MNIST_DIR_ENV}, or point ${FASHION_MNIST_DIR_ENV} at a folder holding the four IDX files ` + `(plain or .gz).`
      : `, or set ${FASHION_MNIST_DIR_ENV} to a folder holding the four IDX files (plain or .gz).`)
  );
}

const cache = new Map<string, Promise<ImageSplit>>();

/** Fashion-MNIST, decoded (streamed) on first use and cached for the life of the process. */
export function loadFashionMnist(): Promise<ImageSplit> {
  const dir = fashionMnistFolder();
  const hit = cache.get(dir);
  if (hit) return hit;
  const { files } = locate(dir);
  if (!files) return Promise.reject(new Error(fashionMnistUnavailableReason()));
  const split = readIdxSplit(files).then(
    ({ train, test, shape }) => ({
      train: train as ImageSplit['train'],
      test: test as ImageSplit['test'],
      shape: shape as [number, number, number],
      classNames: FASHION_MNIST_CLASS_NAMES,
    }),
    (err: unknown) => {
      cache.delete(dir); // a failed read is not kept: the next call tries again
      throw err;
    },
  );
  cache.set(dir, split);
  return split;
}
