import { parseSplit, type SplitSpec } from '../contract/split-spec';
import { rngFor } from '../util/random';
import { splitFunction } from './splits/registry';
import { SplitError } from './splits/types';

export interface IslandSummary {
  size: number;
  classCounts: number[];
}

export interface IslandSplit {
  spec: SplitSpec;
  /** Training-set row indices of each island. Every index appears exactly once overall. */
  indices: Int32Array[];
  summary: IslandSummary[];
}

/** Divide the training set into islands, seeded: the same (labels, count, split, seed) gives the same islands. */
export function splitIslands(
  train: { n: number; labels?: Int32Array },
  numClasses: number,
  count: number,
  split: string | SplitSpec,
  seed: number,
): IslandSplit {
  const spec = typeof split === 'string' ? parseSplit(split) : split;
  if (count < 1) throw new SplitError(`need at least one island, got ${count}`);
  if (count > train.n) throw new SplitError(`cannot make ${count} islands from ${train.n} training samples`);
  const indices = splitFunction(spec)({
    n: train.n,
    labels: train.labels,
    numClasses,
    islands: count,
    rng: rngFor(seed, 'islands'),
  });
  for (const idx of indices) idx.sort();
  const summary = indices.map((idx) => {
    const classCounts = new Array(numClasses).fill(0);
    if (train.labels) for (const i of idx) classCounts[train.labels[i]]++;
    return { size: idx.length, classCounts };
  });
  return { spec, indices, summary };
}
