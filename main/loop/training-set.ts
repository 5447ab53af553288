import type { Paradigm } from '../contract/paradigm';
import type { Samples } from '../data/samples';
import type { Rng } from '../util/random';
import { paradigmTrainingSet } from './paradigms/registry';
import type { TrainingSet } from './paradigms/training-set-builder';

export type { TrainingSet };

export interface TrainingSetInput {
  paradigm: Paradigm;
  generation: number;
  /** The islands' union of real training data. */
  real: Samples;
  /** The kept synthetic samples of generations 0 .. generation−1, in order. */
  kept: Samples[];
  /** Size of the training set for the paradigms that read loop.trainSize (defaults to the real size). */
  trainSize?: number;
  /**
   * Only for a paradigm that takes it (the config refuses it with another): synthetic rows per real row (paper
   * 004's m/n).
   */
  syntheticPerReal?: number;
  rng: Rng;
}

/**
 * The data each generation trains on. Generation 0 always trains on the real data; later generations on what their
 * paradigm builds (main/loop/paradigms/, one file each, sized as main/contract/run-plan.ts plans it).
 */
export function buildTrainingSet(input: TrainingSetInput): TrainingSet {
  const { paradigm, generation, real, kept, rng } = input;
  if (generation === 0) return { data: real, realCount: real.n, syntheticCount: 0 };
  if (kept.length < generation) {
    throw new Error(`generation ${generation} needs the kept samples of ${generation} earlier generations, got ${kept.length}`);
  }
  return paradigmTrainingSet(paradigm, {
    generation,
    real,
    kept,
    trainSize: input.trainSize ?? real.n,
    syntheticPerReal: input.syntheticPerReal,
    rng,
  });
}
