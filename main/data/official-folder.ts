import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../contract/config';
import { rngFor } from '../util/random';
import { assembleDataset } from './dataset-assembly';
import { readInputFile } from './read-input-file';
import { dimOf, type Dataset, type SampleShape, type Samples } from './samples';
import { stratifiedChoice } from './stratified-choice';

/**
 * What the datasets read from their official files in a folder the user gives (CIFAR-10, CIFAR-100, STL-10) share:
 * finding the folder, the class names, and the seeded subsets chosen before any image is decoded (from the labels
 * alone), so a run holds only the images it keeps. The subsets are drawn as every other kind draws them
 * (main/data/dataset-assembly.ts): stratified by class, from the run's seed.
 */

/** A split's records: how many, their labels, and how to decode chosen rows (row-major [rows, dim] in [0, 1]). */
export interface RecordSet {
  n: number;
  labels?: Int32Array;
  decode(rows: Int32Array): Float32Array;
}

/**
 * The folder holding `marker`: `path` itself, or its sub-folder `folderName` (the archive's own folder). Refused,
 * naming both, when neither holds it.
 */
export function locateOfficialFolder(path: string, folderName: string, marker: string, datasetName: string): string {
  if (!existsSync(path)) throw new Error(`${datasetName} folder ${path} does not exist`);
  if (!statSync(path).isDirectory()) throw new Error(`${datasetName} folder ${path} is not a folder`);
  if (existsSync(join(path, marker))) return path;
  const inner = join(path, folderName);
  if (existsSync(join(inner, marker))) return inner;
  throw new Error(
    `${datasetName} folder ${path} holds neither ${marker} nor a ${folderName} folder with it: give the folder ` +
      `unpacked from ${datasetName}'s binary archive`,
  );
}

/**
 * The class names of a names file (one a line, blank lines ignored), which must hold `count` names; the dataset's
 * official names when the file is absent.
 */
export function readClassNames(path: string, count: number, official: readonly string[], what: string): string[] {
  if (!existsSync(path)) return [...official];
  const names = readInputFile(path, what, { maxBytes: 1 << 20 })
    .toString('utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (names.length !== count) throw new Error(`${what} ${path} holds ${names.length} class names, expected ${count}`);
  return names;
}

/** Labels checked against the class count, naming the file and the record of the first one out of range. */
export function checkLabels(labels: Int32Array, numClasses: number, path: string, what: string, firstLabel = 0): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0 || labels[i] >= numClasses) {
      throw new Error(
        `${what} ${path}: record ${i} has label ${labels[i] + firstLabel}; labels run from ${firstLabel} to ` +
          `${numClasses - 1 + firstLabel}`,
      );
    }
  }
}

/** The dataset of a training and a test record set, with the config's seeded, stratified subsets. */
export function datasetFromRecords(
  name: string,
  shape: SampleShape,
  train: RecordSet,
  test: RecordSet,
  cfg: { subset?: number; testSubset?: number },
  seed: number,
  classNames: string[] | undefined,
): Dataset {
  const trainRows = chooseRows(train, cfg.subset, seed, 'subset', 'dataset.subset', 'training', name);
  const testRows = chooseRows(test, cfg.testSubset, seed, 'test-subset', 'dataset.testSubset', 'test', name);
  return assembleDataset(
    name,
    shape,
    decodeRows(train, trainRows, dimOf(shape)),
    decodeRows(test, testRows, dimOf(shape)),
    undefined,
    seed,
    classNames,
  );
}

function chooseRows(
  set: RecordSet,
  k: number | undefined,
  seed: number,
  stream: string,
  field: string,
  words: string,
  name: string,
): Int32Array {
  if (k !== undefined && k > set.n) {
    throw new ConfigError('config', [{ path: field, message: `${count(k)} is more than the ${count(set.n)} ${words} samples of ${name}` }]);
  }
  if (k === undefined || k === set.n) return Int32Array.from({ length: set.n }, (_, i) => i);
  return stratifiedChoice(set.n, k, rngFor(seed, 'dataset', stream), set.labels);
}

function decodeRows(set: RecordSet, rows: Int32Array, dim: number): Samples {
  const x = set.decode(rows);
  const s: Samples = { x, n: rows.length, dim };
  if (set.labels) s.labels = Int32Array.from(rows, (r) => set.labels![r]);
  return s;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
