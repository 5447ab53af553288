import { takeRowsOfParts } from '../../data/samples';
import type { TrainingSetBuilder } from './training-set-builder';

/**
 * A training set of trainSize drawn without replacement from the real data and every kept sample so far (the pool's
 * rows read where they lie, not copied into one array first).
 */
export const accumulateSubsampleTrainingSet: TrainingSetBuilder<'accumulate-subsample'> = (
  _p,
  { generation, real, kept, trainSize, rng },
) => {
  const parts = [real, ...kept.slice(0, generation)];
  const poolSize = parts.reduce((s, p) => s + p.n, 0);
  const m = Math.min(trainSize, poolSize);
  const idx = rng.choose(poolSize, m);
  let realCount = 0;
  for (const i of idx) if (i < real.n) realCount++;
  return { data: takeRowsOfParts(parts, idx), realCount, syntheticCount: m - realCount };
};
