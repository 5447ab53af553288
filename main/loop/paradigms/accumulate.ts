import { concatSamplesLazily } from '../../data/samples';
import type { TrainingSetBuilder } from './training-set-builder';

/**
 * The real data plus every kept synthetic sample so far, as its parts (the rows are made only when a model reads
 * them: the Gaussian merges the parts' moments instead, main/models/pooled-moments.ts).
 */
export const accumulateTrainingSet: TrainingSetBuilder<'accumulate'> = (_p, { generation, real, kept }) => {
  const synth = kept.slice(0, generation);
  const syntheticCount = synth.reduce((s, k) => s + k.n, 0);
  return { data: concatSamplesLazily([real, ...synth]), realCount: real.n, syntheticCount };
};
