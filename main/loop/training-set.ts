import type { Paradigm } from '../contract/paradigm';
import { mixedParts } from '../contract/run-plan';
import { concatSamples, takeRows, type Samples } from '../data/samples';
import type { Rng } from '../util/random';

export interface TrainingSetInput {
  paradigm: Paradigm;
  generation: number;
  /** The islands' union of real training data. */
  real: Samples;
  /** The kept synthetic samples of generations 0 .. generation−1, in order. */
  kept: Samples[];
  /** Size of the training set for accumulate-subsample and mixed (defaults to the real size). */
  trainSize?: number;
  /**
   * mixed only (the config refuses it with another paradigm): synthetic rows per real row (paper 004's m/n). The
   * synthetic part is then round(syntheticPerReal × the real part) instead of filling the training set up to trainSize.
   */
  syntheticPerReal?: number;
  rng: Rng;
}

export interface TrainingSet {
  data: Samples;
  /** Bookkeeping, recorded with the generation: how many real and synthetic samples went in. */
  realCount: number;
  syntheticCount: number;
}

/**
 * The data each generation trains on. Generation 0 always trains on the real data. Later generations:
 * - replace: only the previous generation's kept samples;
 * - accumulate: the real data plus every kept synthetic sample so far;
 * - accumulate-synthetic: every kept synthetic sample so far and no real data (the accumulate of paper 000's code);
 * - accumulate-subsample: a training set of trainSize drawn without replacement from that same pool;
 * - mixed:λ: round(λ·trainSize) real samples and the rest from the previous generation's kept samples; with
 *   syntheticPerReal = s, the same real samples plus round(s × their count) of the previous generation's kept samples
 *   (mixed:1, s: all the real data plus s times as much synthetic, the mixed training of paper 004).
 */
export function buildTrainingSet(input: TrainingSetInput): TrainingSet {
  const { paradigm, generation, real, kept, rng } = input;
  if (generation === 0) return { data: real, realCount: real.n, syntheticCount: 0 };
  if (kept.length < generation) {
    throw new Error(`generation ${generation} needs the kept samples of ${generation} earlier generations, got ${kept.length}`);
  }
  const size = input.trainSize ?? real.n;
  const previous = kept[generation - 1];
  const s = input.syntheticPerReal;
  switch (paradigm.kind) {
    case 'replace':
      return { data: previous, realCount: 0, syntheticCount: previous.n };
    case 'accumulate': {
      const synth = kept.slice(0, generation);
      const syntheticCount = synth.reduce((s, k) => s + k.n, 0);
      return { data: concatSamples([real, ...synth]), realCount: real.n, syntheticCount };
    }
    case 'accumulate-synthetic': {
      const synth = kept.slice(0, generation);
      const syntheticCount = synth.reduce((s, k) => s + k.n, 0);
      return { data: concatSamples(synth), realCount: 0, syntheticCount };
    }
    case 'accumulate-subsample': {
      const pool = concatSamples([real, ...kept.slice(0, generation)]);
      const m = Math.min(size, pool.n);
      const idx = rng.choose(pool.n, m);
      let realCount = 0;
      for (const i of idx) if (i < real.n) realCount++;
      return { data: takeRows(pool, idx), realCount, syntheticCount: m - realCount };
    }
    case 'mixed': {
      // the run plan's parts (main/contract/run-plan.ts), which the estimate and the memory check read too
      const { real: realCount, synthetic: synthCount } = mixedParts(paradigm.realFraction, real.n, size, s);
      if (realCount + synthCount === 0) {
        throw new Error(`mixed:${paradigm.realFraction} with syntheticPerReal ${s} leaves generation ${generation} no training data`);
      }
      const realPart = takeRows(real, rng.choose(real.n, realCount));
      // without replacement while the previous generation has enough, else with replacement
      const synthIdx =
        synthCount <= previous.n ? rng.choose(previous.n, synthCount) : Int32Array.from({ length: synthCount }, () => rng.int(previous.n));
      const synthPart = takeRows(previous, synthIdx);
      const parts = [realPart, synthPart].filter((p) => p.n > 0);
      return { data: concatSamples(parts), realCount, syntheticCount: synthCount };
    }
  }
}
