import { parseParadigm, type Paradigm } from './paradigm';

/**
 * The run plan: from a validated config's loop and its real training-set size, every generation's training set (its
 * size and its real and synthetic parts, as main/loop/training-set.ts builds it), the candidate count N and the memory
 * of the samples a run holds. The one place these are computed: the loop, the duration estimate, the preflight's
 * memory check, the config's cross-field checks and the wizard's review step all read it. Pure, Node-free.
 */

/** The loop fields a plan reads (a validated config's `loop`). */
export interface PlanLoop {
  generations: number;
  keep: number;
  ratio: number;
  paradigm: string;
  trainSize?: number;
  syntheticPerReal?: number;
}

/** N: the candidates each generation samples, round(loop.ratio × loop.keep). */
export function candidateCount(loop: Pick<PlanLoop, 'keep' | 'ratio'>): number {
  return Math.round(loop.ratio * loop.keep);
}

/** Why loop.syntheticPerReal cannot go with the paradigm (it sets mixed training's synthetic part); null when it can. */
export function syntheticPerRealIssue(loop: Pick<PlanLoop, 'paradigm' | 'syntheticPerReal'>): string | null {
  if (loop.syntheticPerReal === undefined) return null;
  let kind: Paradigm['kind'] | null;
  try {
    kind = parseParadigm(loop.paradigm).kind;
  } catch {
    kind = null; // the paradigm's own check names it
  }
  if (kind === 'mixed') return null;
  return (
    `syntheticPerReal sets the synthetic part of mixed training, real data plus synthetic: use paradigm mixed:λ ` +
    `(mixed:1 keeps all the real data), not ${loop.paradigm}`
  );
}

/** The training set of one generation. */
export interface TrainingSetPlan {
  generation: number;
  /** Rows the model trains on. */
  size: number;
  /** Its real and synthetic rows; null where they are drawn at random from a pool (accumulate-subsample). */
  real: number | null;
  synthetic: number | null;
  /** accumulate-subsample: the pool it is drawn from (the real data and every kept sample so far). */
  pool?: number;
}

/**
 * mixed:λ's parts: round(λ × trainSize) real rows (at most the real data), then the rest of trainSize from the previous
 * generation's kept samples, or with syntheticPerReal = s, round(s × the real rows).
 */
export function mixedParts(
  realFraction: number,
  realN: number,
  trainSize: number,
  syntheticPerReal: number | undefined,
): { real: number; synthetic: number } {
  const real = Math.min(realN, Math.round(realFraction * trainSize));
  const synthetic = syntheticPerReal === undefined ? trainSize - real : Math.round(syntheticPerReal * real);
  return { real, synthetic };
}

/** The training set of generation g (generation 0: the real data). */
export function trainingSetPlan(loop: PlanLoop, realN: number, generation: number): TrainingSetPlan {
  const kept = generation * loop.keep;
  if (generation === 0) return { generation, size: realN, real: realN, synthetic: 0 };
  const paradigm = parseParadigm(loop.paradigm);
  const trainSize = loop.trainSize ?? realN;
  switch (paradigm.kind) {
    case 'replace':
      return { generation, size: loop.keep, real: 0, synthetic: loop.keep };
    case 'accumulate':
      return { generation, size: realN + kept, real: realN, synthetic: kept };
    case 'accumulate-synthetic':
      return { generation, size: kept, real: 0, synthetic: kept };
    case 'accumulate-subsample': {
      const pool = realN + kept;
      return { generation, size: Math.min(trainSize, pool), real: null, synthetic: null, pool };
    }
    case 'mixed': {
      const { real, synthetic } = mixedParts(paradigm.realFraction, realN, trainSize, loop.syntheticPerReal);
      return { generation, size: real + synthetic, real, synthetic };
    }
  }
}

export interface RunPlan {
  /** N, the candidates of each generation. */
  candidates: number;
  /** n, the samples each generation keeps. */
  keep: number;
  /** Every generation's training set, generation 0 first. */
  trainingSets: TrainingSetPlan[];
}

/** The plan of a run whose real training data has realN rows. */
export function planRun(loop: PlanLoop, realN: number): RunPlan {
  return {
    candidates: candidateCount(loop),
    keep: loop.keep,
    trainingSets: Array.from({ length: loop.generations }, (_, g) => trainingSetPlan(loop, realN, g)),
  };
}

/** One part of a run's memory, with the config field that drives it. */
export interface MemoryPart {
  what: string;
  /** The config field that drives this part. */
  field: string;
  bytes: number;
  /** Values in the part's largest single array. */
  values: number;
}

/** The dataset's size as the run will hold it (from its config and its files' headers). */
export interface PlanDataset {
  dim: number;
  trainN: number;
  testN: number;
  /** Bytes of the files read whole beside the samples (0 for generated data). */
  fileBytes: number;
  /** The config field that sets the dataset's size. */
  field: string;
}

/**
 * The memory of the samples a run holds at its peak (float32: 4 bytes a value): the dataset, the N candidates, every
 * generation's kept samples (the loop keeps them all), and the largest training set its paradigm builds after
 * generation 0 (generation 0 trains on the dataset itself; replace trains on kept samples already counted).
 */
export function planSampleMemory(loop: PlanLoop, dataset: PlanDataset): MemoryPart[] {
  const { dim, trainN, testN } = dataset;
  const G = loop.generations;
  const N = candidateCount(loop);
  const parts: MemoryPart[] = [];
  const part = (what: string, field: string, values: number, extraBytes = 0) =>
    parts.push({ what, field, bytes: values * 4 + extraBytes, values });
  part(`the dataset (${trainN} + ${testN} samples of ${dim} values)`, dataset.field, (trainN + testN) * dim, dataset.fileBytes);
  part(`N = loop.keep × loop.ratio = ${N} candidates of ${dim} values`, loop.ratio > 1 ? 'loop.ratio' : 'loop.keep', N * dim);
  parts.push({
    what: `the kept samples of ${G} generations (${loop.keep} each)`,
    field: 'loop.generations',
    bytes: G * loop.keep * dim * 4,
    values: loop.keep * dim,
  });
  if (G < 2) return parts;
  const paradigm = parseParadigm(loop.paradigm).kind;
  if (paradigm === 'replace') return parts;
  // every paradigm's training set grows with the generation or stays the same: the last is the largest
  const last = trainingSetPlan(loop, trainN, G - 1);
  if (paradigm === 'accumulate')
    part(`the training set (real and every kept sample: ${last.size} samples)`, 'loop.paradigm', last.size * dim);
  if (paradigm === 'accumulate-synthetic') {
    part(`the training set (every kept sample, no real data: ${last.size} samples)`, 'loop.paradigm', last.size * dim);
  }
  if (paradigm === 'accumulate-subsample') {
    part(
      `the training pool and set (${last.pool} + ${last.size} samples)`,
      loop.trainSize ? 'loop.trainSize' : 'loop.paradigm',
      (last.pool! + last.size) * dim,
    );
  }
  if (paradigm === 'mixed') {
    part(
      loop.syntheticPerReal === undefined
        ? `the training set (${last.size} samples)`
        : `the training set (${last.real} real + ${last.synthetic} synthetic samples, loop.syntheticPerReal = ${loop.syntheticPerReal})`,
      loop.syntheticPerReal === undefined ? 'loop.trainSize' : 'loop.syntheticPerReal',
      last.size * dim,
    );
  }
  return parts;
}
