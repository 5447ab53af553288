import type { DatasetConfig } from '../contract/config';
import { loadDataset } from '../data/load-dataset';
import { deriveSeed } from '../util/random';
import { splitIslands, type IslandSummary } from './split-islands';

/** The seed the loop loads a run's dataset with (its subset and test split), derived from the run's seed. */
export function datasetSeed(seed: number): number {
  return deriveSeed(seed, 'dataset');
}

export interface SplitPreview {
  dataset: string;
  numClasses: number;
  classNames: string[] | null;
  trainSize: number;
  testSize: number;
  islands: IslandSummary[];
}

/** Exactly the islands a run with this dataset, islands and seed will have, without running anything else. */
export async function previewSplit(input: {
  dataset: DatasetConfig;
  islands: { count: number; split: string };
  seed: number;
}): Promise<SplitPreview> {
  const ds = await loadDataset(input.dataset, datasetSeed(input.seed));
  const split = splitIslands(ds.train, ds.numClasses, input.islands.count, input.islands.split, input.seed);
  return {
    dataset: ds.name,
    numClasses: ds.numClasses,
    classNames: ds.classNames ?? null,
    trainSize: ds.train.n,
    testSize: ds.test.n,
    islands: split.summary,
  };
}
