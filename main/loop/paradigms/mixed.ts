import { mixedParts } from '../../contract/paradigms/kinds/mixed';
import { concatSamples, takeRows } from '../../data/samples';
import type { TrainingSetBuilder } from './training-set-builder';

/**
 * mixed:λ: round(λ·trainSize) real samples and the rest from the previous generation's kept samples; with
 * syntheticPerReal = s, the same real samples plus round(s × their count) of the previous generation's kept samples
 * (mixed:1, s: all the real data plus s times as much synthetic, the mixed training of paper 004). The parts are the
 * run plan's (main/contract/paradigms/kinds/mixed.ts), which the estimate and the memory check read too.
 */
export const mixedTrainingSet: TrainingSetBuilder<'mixed'> = (paradigm, { generation, real, kept, trainSize, syntheticPerReal, rng }) => {
  const previous = kept[generation - 1];
  const { real: realCount, synthetic: synthCount } = mixedParts(paradigm.realFraction, real.n, trainSize, syntheticPerReal);
  if (realCount + synthCount === 0) {
    throw new Error(
      `mixed:${paradigm.realFraction} with syntheticPerReal ${syntheticPerReal} leaves generation ${generation} no training data`,
    );
  }
  const realPart = takeRows(real, rng.choose(real.n, realCount));
  // without replacement while the previous generation has enough, else with replacement
  const synthIdx =
    synthCount <= previous.n ? rng.choose(previous.n, synthCount) : Int32Array.from({ length: synthCount }, () => rng.int(previous.n));
  const synthPart = takeRows(previous, synthIdx);
  const parts = [realPart, synthPart].filter((p) => p.n > 0);
  return { data: concatSamples(parts), realCount, syntheticCount: synthCount };
};
