import { join } from 'node:path';
import type { DatasetConfigOf } from './dataset-kind-entry';
import { readImageRecords, readRecordFields, recordCount, type ImageRecordLayout } from './image-records';
import { checkLabels, datasetFromRecords, locateOfficialFolder, readClassNames, type RecordSet } from './official-folder';
import { checkRegularFile } from './read-input-file';
import type { Dataset } from './samples';

/**
 * CIFAR-10 and CIFAR-100 in their official binary format (https://www.cs.toronto.edu/~kriz/cifar.html):
 * - CIFAR-10 (`cifar-10-batches-bin`): data_batch_1.bin … data_batch_5.bin (10,000 records each) and test_batch.bin;
 *   a record is one label byte (0–9) and 3,072 pixel bytes, the red, green and blue 32×32 planes row-major;
 *   batches.meta.txt names the classes.
 * - CIFAR-100 (`cifar-100-binary`): train.bin (50,000) and test.bin (10,000); a record is the coarse label (0–19), the
 *   fine label (0–99) and the same 3,072 pixel bytes; coarse_label_names.txt and fine_label_names.txt.
 */

export const CIFAR10_CLASS_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

export const CIFAR100_FINE_NAMES = (
  'apple aquarium_fish baby bear beaver bed bee beetle bicycle bottle bowl boy bridge bus butterfly camel can castle ' +
  'caterpillar cattle chair chimpanzee clock cloud cockroach couch crab crocodile cup dinosaur dolphin elephant ' +
  'flatfish forest fox girl hamster house kangaroo keyboard lamp lawn_mower leopard lion lizard lobster man ' +
  'maple_tree motorcycle mountain mouse mushroom oak_tree orange orchid otter palm_tree pear pickup_truck pine_tree ' +
  'plain plate poppy porcupine possum rabbit raccoon ray road rocket rose sea seal shark shrew skunk skyscraper snail ' +
  'snake spider squirrel streetcar sunflower sweet_pepper table tank telephone television tiger tractor train trout ' +
  'tulip turtle wardrobe whale willow_tree wolf woman worm'
).split(' ');

export const CIFAR100_COARSE_NAMES = (
  'aquatic_mammals fish flowers food_containers fruit_and_vegetables household_electrical_devices ' +
  'household_furniture insects large_carnivores large_man-made_outdoor_things large_natural_outdoor_scenes ' +
  'large_omnivores_and_herbivores medium_mammals non-insect_invertebrates people reptiles small_mammals trees ' +
  'vehicles_1 vehicles_2'
).split(' ');

const SHAPE: [number, number, number] = [32, 32, 3];
const PIXELS = 32 * 32 * 3;

interface CifarFormat {
  name: string;
  folderName: string;
  layout: ImageRecordLayout;
  train: string[];
  test: string[];
  /** Offset of the label byte the samples carry. */
  labelOffset(cfg: { labels?: 'fine' | 'coarse' }): number;
  numClasses(cfg: { labels?: 'fine' | 'coarse' }): number;
  classNames(dir: string, cfg: { labels?: 'fine' | 'coarse' }): string[];
}

const CIFAR10: CifarFormat = {
  name: 'CIFAR-10',
  folderName: 'cifar-10-batches-bin',
  layout: { what: 'CIFAR-10 file', recordBytes: 1 + PIXELS, pixelOffset: 1, side: 32, channels: 3, planeOrder: 'row-major' },
  train: [1, 2, 3, 4, 5].map((b) => `data_batch_${b}.bin`),
  test: ['test_batch.bin'],
  labelOffset: () => 0,
  numClasses: () => 10,
  classNames: (dir) => readClassNames(join(dir, 'batches.meta.txt'), 10, CIFAR10_CLASS_NAMES, 'CIFAR-10 names file'),
};

const CIFAR100: CifarFormat = {
  name: 'CIFAR-100',
  folderName: 'cifar-100-binary',
  layout: { what: 'CIFAR-100 file', recordBytes: 2 + PIXELS, pixelOffset: 2, side: 32, channels: 3, planeOrder: 'row-major' },
  train: ['train.bin'],
  test: ['test.bin'],
  labelOffset: (cfg) => (cfg.labels === 'coarse' ? 0 : 1),
  numClasses: (cfg) => (cfg.labels === 'coarse' ? 20 : 100),
  classNames: (dir, cfg) =>
    cfg.labels === 'coarse'
      ? readClassNames(join(dir, 'coarse_label_names.txt'), 20, CIFAR100_COARSE_NAMES, 'CIFAR-100 names file')
      : readClassNames(join(dir, 'fine_label_names.txt'), 100, CIFAR100_FINE_NAMES, 'CIFAR-100 names file'),
};

function folderOf(format: CifarFormat, path: string): string {
  return locateOfficialFolder(path, format.folderName, format.train[0], format.name);
}

/** The records of several files of one format as one set (their order: the files', then each file's). */
function cifarRecords(format: CifarFormat, paths: string[], labelOffset: number, numClasses: number): RecordSet {
  const parts = paths.map((path) => {
    const { n, fields } = readRecordFields(path, format.layout, [labelOffset]);
    const labels = Int32Array.from(fields[0]);
    checkLabels(labels, numClasses, path, format.layout.what);
    return { path, n, labels };
  });
  const n = parts.reduce((s, p) => s + p.n, 0);
  const labels = new Int32Array(n);
  let at = 0;
  for (const p of parts) {
    labels.set(p.labels, at);
    at += p.n;
  }
  return {
    n,
    labels,
    decode(rows) {
      const out = new Float32Array(rows.length * PIXELS);
      let first = 0;
      for (const p of parts) {
        // the rows in this file, and where each goes in the output
        const local: number[] = [];
        const dest: number[] = [];
        rows.forEach((r, i) => {
          if (r >= first && r < first + p.n) {
            local.push(r - first);
            dest.push(i);
          }
        });
        if (local.length > 0) {
          const x = readImageRecords(p.path, format.layout, local);
          dest.forEach((d, j) => out.set(x.subarray(j * PIXELS, (j + 1) * PIXELS), d * PIXELS));
        }
        first += p.n;
      }
      return out;
    },
  };
}

function loadCifar(
  format: CifarFormat,
  kind: string,
  cfg: { path: string; subset?: number; testSubset?: number; labels?: 'fine' | 'coarse' },
  seed: number,
): Dataset {
  const dir = folderOf(format, cfg.path);
  const offset = format.labelOffset(cfg);
  const classes = format.numClasses(cfg);
  const train = cifarRecords(
    format,
    format.train.map((f) => join(dir, f)),
    offset,
    classes,
  );
  const test = cifarRecords(
    format,
    format.test.map((f) => join(dir, f)),
    offset,
    classes,
  );
  return datasetFromRecords(`${kind}:${dir}`, SHAPE, train, test, cfg, seed, format.classNames(dir, cfg));
}

/** Record counts of the training and test files from their sizes (each checked), without reading them. */
function cifarSizes(format: CifarFormat, path: string): { train: number; test: number; bytes: number } {
  const dir = folderOf(format, path);
  const count = (f: string) => {
    const p = join(dir, f);
    return recordCount(p, checkRegularFile(p, format.layout.what), format.layout);
  };
  const train = format.train.reduce((s, f) => s + count(f), 0);
  const test = format.test.reduce((s, f) => s + count(f), 0);
  return { train, test, bytes: train + test };
}

export function loadCifar10(cfg: DatasetConfigOf<'cifar10'>, seed: number): Dataset {
  return loadCifar(CIFAR10, 'cifar10', cfg, seed);
}

export function loadCifar100(cfg: DatasetConfigOf<'cifar100'>, seed: number): Dataset {
  return loadCifar(CIFAR100, 'cifar100', cfg, seed);
}

export function cifar10Sizes(path: string) {
  return cifarSizes(CIFAR10, path);
}

export function cifar100Sizes(path: string) {
  return cifarSizes(CIFAR100, path);
}

export const CIFAR_DIM = PIXELS;
