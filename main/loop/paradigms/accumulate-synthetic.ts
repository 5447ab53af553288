import { concatSamplesLazily } from '../../data/samples';
import type { TrainingSetBuilder } from './training-set-builder';

/** Every kept synthetic sample so far and no real data (the accumulate of paper 000's code), as its parts (see accumulate.ts). */
export const accumulateSyntheticTrainingSet: TrainingSetBuilder<'accumulate-synthetic'> = (_p, { generation, kept }) => {
  const synth = kept.slice(0, generation);
  const syntheticCount = synth.reduce((s, k) => s + k.n, 0);
  return { data: concatSamplesLazily(synth), realCount: 0, syntheticCount };
};
