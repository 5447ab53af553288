import { DataFileError } from './data-file-error';

/** Class labels read from a file: checked to be a 1-D array of non-negative integers, one per sample. */

/** Largest class count accepted from a label file (a guard against ids such as 1e9 being read as class indices). */
export const MAX_CLASSES = 100_000;

export interface LabelSource {
  /** Shape of the label array as stored. */
  shape: number[];
  /** The values, any integer typed array. */
  data: ArrayLike<number> | BigInt64Array | BigUint64Array;
  /** Whether the stored element type is an integer type. */
  integer: boolean;
  /** Element type as the file names it, for messages. */
  typeName: string;
}

/**
 * Convert stored labels to Int32Array, checking: 1-D, integer type, one label per sample, values in [0, MAX_CLASSES).
 * `labelsFile` and `samplesFile` name the two files in errors.
 */
export function checkLabels(src: LabelSource, n: number, labelsFile: string, samplesFile: string): Int32Array {
  if (src.shape.length !== 1) {
    throw new DataFileError(
      'shape',
      labelsFile,
      `labels file ${labelsFile} must hold a 1-D array, but its shape is [${src.shape.join(', ')}]`,
    );
  }
  if (!src.integer) {
    throw new DataFileError('dtype', labelsFile, `labels file ${labelsFile} must hold integers, but its element type is ${src.typeName}`);
  }
  const m = src.shape[0];
  if (m !== n) {
    throw new DataFileError(
      'shape',
      labelsFile,
      `labels file ${labelsFile} has ${m} labels but ${samplesFile} has ${n} samples; they must have the same length`,
    );
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = Number(src.data[i]);
    if (!(v >= 0 && v < MAX_CLASSES)) {
      throw new DataFileError(
        'value',
        labelsFile,
        `labels file ${labelsFile} has label ${v} at index ${i}; labels must be integers in [0, ${MAX_CLASSES})`,
      );
    }
    out[i] = v;
  }
  return out;
}

/** Number of classes implied by labels: max label + 1 (0 for no labels). */
export function numClassesOf(...labelSets: (Int32Array | undefined)[]): number {
  let max = -1;
  for (const labels of labelSets) {
    if (!labels) continue;
    for (let i = 0; i < labels.length; i++) if (labels[i] > max) max = labels[i];
  }
  return max + 1;
}

/** Count of each class 0..numClasses-1. */
export function classCounts(labels: Int32Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}
