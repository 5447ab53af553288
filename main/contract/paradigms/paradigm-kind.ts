import type { TextKind, TextKindField } from '../text-kind';

/**
 * Everything the lab knows of a paradigm (which data each generation after the first trains on) apart from building
 * that training set, free of engine code so that the contract, the run plan and the renderer can read it: its text
 * (name and numbers), label, what it reads of the loop, and the size and memory of its training sets. One file per
 * paradigm in ./kinds/; ./catalog.ts lists them and main/loop/paradigms/registry.ts maps each name to the code that
 * builds its training set (the compiler asks for every name).
 */
export interface ParadigmKindEntry<
  N extends string = string,
  F extends Record<string, TextKindField> = Record<string, TextKindField>,
> extends TextKind<N, F> {
  /** Trains on every earlier generation's kept samples, not the previous one's only (a resumed run reloads them all). */
  readsHistory: boolean;
  /** Reads loop.trainSize (the training-set size; the real training size when absent). */
  usesTrainSize: boolean;
  /** Takes loop.syntheticPerReal (the synthetic rows per real row); the config refuses it with any other paradigm. */
  usesSyntheticPerReal: boolean;
  /** The training set of a generation g ≥ 1 (generation 0 trains on the real data, whatever the paradigm). */
  plan(values: { [K in keyof F]: number }, at: TrainingSetContext): TrainingSetSize;
  /**
   * The memory its largest training set (that of the last generation) adds to the run's samples: rows held beside the
   * dataset, the candidates and the kept samples; undefined when it adds none (replace trains on kept samples).
   */
  memory?(
    last: TrainingSetSize,
    loop: { trainSize?: number; syntheticPerReal?: number },
  ): { what: string; field: string; rows: number } | undefined;
}

/** What a generation's training set depends on. */
export interface TrainingSetContext {
  generation: number;
  /** n, the samples each generation keeps. */
  keep: number;
  /** The real training rows, all islands together. */
  realN: number;
  /** loop.trainSize, or the real size when absent. */
  trainSize: number;
  syntheticPerReal?: number;
}

/** The size of one generation's training set. */
export interface TrainingSetSize {
  /** Rows the model trains on. */
  size: number;
  /** Its real and synthetic rows; null where they are drawn at random from a pool (accumulate-subsample). */
  real: number | null;
  synthetic: number | null;
  /** The pool it is drawn from, where it is drawn from one (the real data and every kept sample so far). */
  pool?: number;
}

/** An entry with its name and numbers' types kept (the catalog's names and the parsed paradigm's type derive from them). */
export function declareParadigm<N extends string, F extends Record<string, TextKindField>>(
  entry: ParadigmKindEntry<N, F>,
): ParadigmKindEntry<N, F> {
  return entry;
}
