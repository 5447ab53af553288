import type { Paradigm, ParadigmName } from '../../contract/paradigm';
import { accumulateTrainingSet } from './accumulate';
import { accumulateSubsampleTrainingSet } from './accumulate-subsample';
import { accumulateSyntheticTrainingSet } from './accumulate-synthetic';
import { mixedTrainingSet } from './mixed';
import { replaceTrainingSet } from './replace';
import type { TrainingSet, TrainingSetBuilder, TrainingSetSource } from './training-set-builder';

/**
 * Paradigm name → the code that builds its training set. A new paradigm: its declaration in
 * main/contract/paradigms/kinds/<name>.ts with its line in that folder's catalog.ts, its builder in ./<name>.ts, and its
 * line here (the compiler asks for it).
 */
const builders: { [K in ParadigmName]: TrainingSetBuilder<K> } = {
  replace: replaceTrainingSet,
  accumulate: accumulateTrainingSet,
  'accumulate-synthetic': accumulateSyntheticTrainingSet,
  'accumulate-subsample': accumulateSubsampleTrainingSet,
  mixed: mixedTrainingSet,
};

/** The training set of a generation ≥ 1 under `paradigm`. */
export function paradigmTrainingSet(paradigm: Paradigm, source: TrainingSetSource): TrainingSet {
  return (builders[paradigm.kind] as TrainingSetBuilder)(paradigm, source);
}
