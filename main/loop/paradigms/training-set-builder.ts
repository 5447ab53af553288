import type { Paradigm, ParadigmName } from '../../contract/paradigm';
import type { Samples } from '../../data/samples';
import type { Rng } from '../../util/random';

/** What a paradigm builds a generation's training set from (generation ≥ 1; generation 0 trains on the real data). */
export interface TrainingSetSource {
  generation: number;
  /** The islands' union of real training data. */
  real: Samples;
  /** The kept synthetic samples of generations 0 .. generation−1, in order. */
  kept: Samples[];
  /** loop.trainSize, or the real size when absent. */
  trainSize: number;
  /** loop.syntheticPerReal, for a paradigm that declares it takes it. */
  syntheticPerReal?: number;
  rng: Rng;
}

export interface TrainingSet {
  data: Samples;
  /** Bookkeeping, recorded with the generation: how many real and synthetic samples went in. */
  realCount: number;
  syntheticCount: number;
}

/** The code that builds the training set of paradigm K (its declaration in main/contract/paradigms/kinds/). */
export type TrainingSetBuilder<K extends ParadigmName = ParadigmName> = (
  paradigm: Extract<Paradigm, { kind: K }>,
  source: TrainingSetSource,
) => TrainingSet;
