import { splitsWithoutLabels } from '../../contract/split-spec';
import type { Rng } from '../../util/random';

/** What a split kind sees: the training labels (if any) and how many islands to make. */
export interface SplitInput {
  n: number;
  labels?: Int32Array;
  numClasses: number;
  islands: number;
  rng: Rng;
}

/** A split kind assigns every training index to exactly one island. */
export type SplitFunction = (input: SplitInput) => Int32Array[];

export class SplitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SplitError';
  }
}

/** The fewest samples an island may get: 10 as in the FL benchmarks, less only for tiny datasets. */
export function minIslandSize(n: number, islands: number): number {
  return Math.max(1, Math.min(10, Math.floor(n / islands)));
}

/** Bound on redraws, so that an unlucky or impossible request ends with an error, never an endless loop. */
export const MAX_REDRAWS = 2000;

export function requireLabels(input: SplitInput, kind: string): Int32Array {
  if (!input.labels) throw new SplitError(`the ${kind} split needs class labels, and this dataset has none; use ${splitsWithoutLabels()}`);
  return input.labels;
}

export function indicesByClass(labels: Int32Array, numClasses: number): number[][] {
  const out: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) out[labels[i]].push(i);
  return out;
}
