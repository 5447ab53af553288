import { concatSamples, takeRows } from '../../data/samples';
import type { TrainingSetBuilder } from './training-set-builder';

/** A training set of trainSize drawn without replacement from the real data and every kept sample so far. */
export const accumulateSubsampleTrainingSet: TrainingSetBuilder<'accumulate-subsample'> = (
  _p,
  { generation, real, kept, trainSize, rng },
) => {
  const pool = concatSamples([real, ...kept.slice(0, generation)]);
  const m = Math.min(trainSize, pool.n);
  const idx = rng.choose(pool.n, m);
  let realCount = 0;
  for (const i of idx) if (i < real.n) realCount++;
  return { data: takeRows(pool, idx), realCount, syntheticCount: m - realCount };
};
