import { paradigmEntry, paradigms, parseParadigm } from './paradigm';
import type { TrainingSetSize } from './paradigms/paradigm-kind';

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

/** Why loop.syntheticPerReal cannot go with the paradigm (only a paradigm that declares it takes it); null when it can. */
export function syntheticPerRealIssue(loop: Pick<PlanLoop, 'paradigm' | 'syntheticPerReal'>): string | null {
  if (loop.syntheticPerReal === undefined) return null;
  let takesIt: boolean;
  try {
    takesIt = paradigmEntry(parseParadigm(loop.paradigm)).usesSyntheticPerReal;
  } catch {
    takesIt = true; // the paradigm's own check names it
  }
  if (takesIt) return null;
  const takers = paradigms.kinds.filter((k) => k.usesSyntheticPerReal);
  return (
    `syntheticPerReal sets the synthetic part of training on real data plus synthetic: use paradigm ` +
    `${takers.map((k) => paradigms.usage(k)).join(' or ')}, not ${loop.paradigm}`
  );
}

/** The training set of one generation. */
export interface TrainingSetPlan extends TrainingSetSize {
  generation: number;
}

/** The training set of generation g (generation 0: the real data; later ones: the paradigm's declaration). */
export function trainingSetPlan(loop: PlanLoop, realN: number, generation: number): TrainingSetPlan {
  if (generation === 0) return { generation, size: realN, real: realN, synthetic: 0 };
  const paradigm = parseParadigm(loop.paradigm);
  const at = { generation, keep: loop.keep, realN, trainSize: loop.trainSize ?? realN, syntheticPerReal: loop.syntheticPerReal };
  return { generation, ...paradigmEntry(paradigm).plan(paradigm as unknown as Record<string, number>, at) };
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
  // every paradigm's training set grows with the generation or stays the same: the last is the largest
  const last = trainingSetPlan(loop, trainN, G - 1);
  const training = paradigmEntry(parseParadigm(loop.paradigm)).memory?.(last, loop);
  if (training) part(training.what, training.field, training.rows * dim);
  return parts;
}
