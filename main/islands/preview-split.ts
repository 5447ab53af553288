import type { DatasetConfig } from '../contract/config';
import { loadDataset } from '../data/load-dataset';
import type { Dataset } from '../data/samples';
import { deriveSeed, rngFor } from '../util/random';
import { splitIslands, type IslandSplit, type IslandSummary } from './split-islands';

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

export interface RunIslandsInput {
  dataset: DatasetConfig;
  islands: { count: number; split: string };
  seed: number;
}

/**
 * The dataset and islands a run with this dataset, islands and seed will have: the same calls, with the same seeds, as
 * the generation loop's (main/loop/run-experiment.ts).
 */
export async function loadRunIslands(input: RunIslandsInput): Promise<{ ds: Dataset; split: IslandSplit }> {
  const ds = await loadDataset(input.dataset, datasetSeed(input.seed));
  const split = splitIslands(ds.train, ds.numClasses, input.islands.count, input.islands.split, input.seed);
  return { ds, split };
}

/** What a split preview says of a dataset and its islands. */
export function describeSplit(ds: Dataset, split: IslandSplit): SplitPreview {
  return {
    dataset: ds.name,
    numClasses: ds.numClasses,
    classNames: ds.classNames ?? null,
    trainSize: ds.train.n,
    testSize: ds.test.n,
    islands: split.summary,
  };
}

/** Exactly the islands a run with this dataset, islands and seed will have, without running anything else. */
export async function previewSplit(input: RunIslandsInput): Promise<SplitPreview> {
  const { ds, split } = await loadRunIslands(input);
  return describeSplit(ds, split);
}

/**
 * The rows of island `island`'s picture (of `size` rows): a seeded random sample of `count` of them, in their drawn
 * order, so the picture shows the island as it is (a skewed island looks skewed, its classes in their proportions),
 * not one class after another. The same rows in the wizard's split preview and in the run's islands/island-KK.png.
 */
export function islandPictureRows(size: number, count: number, seed: number, island: number): Int32Array {
  const k = Math.max(0, Math.min(Math.floor(count), size));
  const rng = rngFor(seed, 'island-picture', island);
  const idx = Int32Array.from({ length: size }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(size - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, k);
}
