import type { DatasetConfig } from '../contract/config';
import { datasetEntryFor } from './dataset-registry';
import { classCounts } from './labels';
import type { Dataset, SampleShape } from './samples';

export { listBuiltinDatasets, type BuiltinDatasetInfo } from './dataset-registry';

/**
 * The one entry from a dataset config to a Dataset, through the kind's registry entry (main/data/kinds/): read the
 * files, split off the test set (the official test split, given test files, or a seeded held-out fraction, stratified
 * by class when labelled), then keep the seeded training `subset`. An unknown kind is refused by name, a kind that
 * cannot be loaded here says how to install it. Built-in datasets are cached per process and shared: treat every
 * array of a Dataset as read-only.
 */
export async function loadDataset(cfg: DatasetConfig, seed: number): Promise<Dataset> {
  const entry = datasetEntryFor(cfg);
  const reason = entry.unavailableReason();
  if (reason !== undefined) throw new Error(reason);
  return entry.load(cfg, seed);
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
    classCounts: labelled ? { train: classCounts(d.train.labels!, d.numClasses), test: classCounts(d.test.labels!, d.numClasses) } : null,
  };
}
