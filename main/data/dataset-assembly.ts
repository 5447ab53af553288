import { ConfigError } from '../contract/config';
import { rngFor } from '../util/random';
import { numClassesOf } from './labels';
import { takeRows, type Dataset, type Samples, type SampleShape } from './samples';
import { complementRows, stratifiedChoice } from './stratified-choice';

/**
 * The steps every dataset kind shares once its samples are read: hold out a test set (or take the official one), keep
 * the seeded training `subset`, and name the classes. Subsets and held-out rows are stratified by class when labelled.
 */

/** Sizes of a held-out split of n rows: round(n·fraction) test rows, at least one, never all. */
export function holdOutSizes(n: number, fraction: number): { train: number; test: number } {
  const test = Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
  return { train: n - test, test };
}

/** Hold out round(n·fraction) rows (at least one, never all) as the test set. */
export function holdOut(all: Samples, fraction: number, seed: number, source: string): { train: Samples; test: Samples } {
  if (all.n < 2) throw new Error(`${source} holds ${all.n} sample(s); at least 2 are needed to hold out a test set`);
  const k = holdOutSizes(all.n, fraction).test;
  const testRows = stratifiedChoice(all.n, k, rngFor(seed, 'dataset', 'test-split'), all.labels);
  return { train: takeRows(all, complementRows(all.n, testRows)), test: takeRows(all, testRows) };
}

/** A dataset of the given train and test sets, its training set cut to `subset` (seeded, stratified). */
export function assembleDataset(
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
      throw new ConfigError('config', [
        { path: 'dataset.subset', message: `${count(subset)} is more than the ${count(train.n)} training samples of ${name}` },
      ]);
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

/** A packaged dataset's official split, with seeded, stratified `subset` and `testSubset`. */
export function fromOfficialSplit(
  name: string,
  split: { train: Samples; test: Samples; shape: SampleShape; classNames: string[] },
  subset: number | undefined,
  testSubset: number | undefined,
  seed: number,
): Dataset {
  let test: Samples = split.test;
  if (testSubset !== undefined) {
    if (testSubset > test.n) {
      throw new ConfigError('config', [
        { path: 'dataset.testSubset', message: `${count(testSubset)} is more than the ${count(test.n)} test samples of ${name}` },
      ]);
    }
    test = takeRows(test, stratifiedChoice(test.n, testSubset, rngFor(seed, 'dataset', 'test-subset'), test.labels));
  }
  return assembleDataset(name, split.shape, split.train, test, subset, seed, split.classNames);
}

/** A count as people write it: 70,000. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}
