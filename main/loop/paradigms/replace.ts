import type { TrainingSetBuilder } from './training-set-builder';

/** Only the previous generation's kept samples. */
export const replaceTrainingSet: TrainingSetBuilder<'replace'> = (_p, { generation, kept }) => {
  const previous = kept[generation - 1];
  return { data: previous, realCount: 0, syntheticCount: previous.n };
};
