import { join } from 'node:path';
import type { DatasetConfigOf } from './dataset-kind-entry';
import { readImageRecords, recordCount, type ImageRecordLayout } from './image-records';
import { checkLabels, datasetFromRecords, locateOfficialFolder, readClassNames, type RecordSet } from './official-folder';
import { checkRegularFile, readInputFile } from './read-input-file';
import type { Dataset } from './samples';

/**
 * STL-10 in its official binary format (https://cs.stanford.edu/~acoates/stl10/, `stl10_binary`): train_X.bin (5,000
 * images), test_X.bin (8,000) and unlabeled_X.bin (100,000) hold 96×96×3 images without a header, each channel after
 * channel and every channel column-major; train_y.bin and test_y.bin one label byte per image, 1–10;
 * class_names.txt names the classes.
 */

export const STL10_CLASS_NAMES = ['airplane', 'bird', 'car', 'cat', 'deer', 'dog', 'horse', 'monkey', 'ship', 'truck'];

const SIDE = 96;
export const STL10_DIM = SIDE * SIDE * 3;
const LAYOUT: ImageRecordLayout = {
  what: 'STL-10 image file',
  recordBytes: STL10_DIM,
  pixelOffset: 0,
  side: SIDE,
  channels: 3,
  planeOrder: 'column-major',
};

function folderOf(path: string): string {
  return locateOfficialFolder(path, 'stl10_binary', 'test_X.bin', 'STL-10');
}

function imageCount(file: string): number {
  return recordCount(file, checkRegularFile(file, LAYOUT.what), LAYOUT);
}

/** The images of `X.bin`, with the labels of `y.bin` (1–10 in the file, 0–9 here) when given. */
function stlRecords(imagesFile: string, labelsFile: string | undefined): RecordSet {
  const n = imageCount(imagesFile);
  let labels: Int32Array | undefined;
  if (labelsFile) {
    const bytes = readInputFile(labelsFile, 'STL-10 labels file');
    if (bytes.length !== n) {
      throw new Error(`STL-10 labels file ${labelsFile} holds ${bytes.length} labels for the ${n} images of ${imagesFile}`);
    }
    labels = Int32Array.from(bytes, (b) => b - 1);
    checkLabels(labels, 10, labelsFile, 'STL-10 labels file', 1);
  }
  return { n, labels, decode: (rows) => readImageRecords(imagesFile, LAYOUT, rows) };
}

export function loadStl10(cfg: DatasetConfigOf<'stl10'>, seed: number): Dataset {
  const dir = folderOf(cfg.path);
  const unlabeled = cfg.images === 'unlabeled';
  const train = unlabeled
    ? stlRecords(join(dir, 'unlabeled_X.bin'), undefined)
    : stlRecords(join(dir, 'train_X.bin'), join(dir, 'train_y.bin'));
  const test = stlRecords(join(dir, 'test_X.bin'), join(dir, 'test_y.bin'));
  const classNames = unlabeled ? undefined : readClassNames(join(dir, 'class_names.txt'), 10, STL10_CLASS_NAMES, 'STL-10 names file');
  return datasetFromRecords(`stl10:${dir}`, [SIDE, SIDE, 3], train, test, cfg, seed, classNames);
}

/** Image counts of the training and test files from their sizes (each checked), without reading them. */
export function stl10Sizes(cfg: { path: string; images?: 'train' | 'unlabeled' }): { train: number; test: number } {
  const dir = folderOf(cfg.path);
  return {
    train: imageCount(join(dir, cfg.images === 'unlabeled' ? 'unlabeled_X.bin' : 'train_X.bin')),
    test: imageCount(join(dir, 'test_X.bin')),
  };
}
