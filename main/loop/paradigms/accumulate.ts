import { concatSamples } from '../../data/samples';
import type { TrainingSetBuilder } from './training-set-builder';

/** The real data plus every kept synthetic sample so far. */
export const accumulateTrainingSet: TrainingSetBuilder<'accumulate'> = (_p, { generation, real, kept }) => {
  const synth = kept.slice(0, generation);
  const syntheticCount = synth.reduce((s, k) => s + k.n, 0);
  return { data: concatSamples([real, ...synth]), realCount: real.n, syntheticCount };
};
