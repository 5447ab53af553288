import { DataFileError } from './data-file-error';
import type { DeclaredTruth } from './declared-truth';

/**
 * The engine's one in-memory form of a set of samples: a row-major float32 matrix [n, dim] with optional integer
 * labels. Images are stored flattened (height × width × channels, channels last) with pixel values in [0, 1].
 */
export interface Samples {
  x: Float32Array;
  n: number;
  dim: number;
  labels?: Int32Array;
  /**
   * The sample sets whose rows x concatenates, in order, when the training set of an accumulating paradigm is made of
   * them (main/loop/training-set.ts): a model may combine per-part statistics instead of passing over every row.
   */
  parts?: readonly Samples[];
}

/** Per-sample shape: [height, width, channels] for images, [d] for vectors. */
export type SampleShape = [number, number, number] | [number];

export interface Dataset {
  /** What was loaded, e.g. "mnist" or "npy:/data/x.npy". */
  name: string;
  shape: SampleShape;
  /** Number of classes when labels exist, else 0. */
  numClasses: number;
  classNames?: string[];
  /** Kept aside for evaluation: never enters an island. */
  test: Samples;
  train: Samples;
  /** The distribution the dataset declares as its truth (toy datasets' `truth` field): the metrics score against it. */
  truth?: DeclaredTruth;
}

export function isImageShape(shape: SampleShape): shape is [number, number, number] {
  return shape.length === 3;
}

export function dimOf(shape: SampleShape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Rows `idx` of `s`, as a new Samples. */
export function takeRows(s: Samples, idx: ArrayLike<number>): Samples {
  const d = s.dim;
  const x = s.x;
  const out = new Float32Array(idx.length * d);
  // consecutive rows (a scheme that keeps every candidate, in order) are copied as one block; short rows by a loop
  // (a view per row of a few numbers cost more than its copy)
  let run = 0;
  while (run < idx.length && idx[run] === idx[0] + run) run++;
  const first = run > 0 && idx[0] >= 0 && idx[0] + run <= s.n ? run : 0;
  if (first > 0) out.set(x.subarray(idx[0] * d, (idx[0] + first) * d), 0);
  for (let i = first; i < idx.length; i++) {
    const r = idx[i];
    if (r < 0 || r >= s.n) throw new RangeError(`row ${r} out of range [0, ${s.n})`);
    if (d >= 64) out.set(x.subarray(r * d, (r + 1) * d), i * d);
    else for (let j = 0, from = r * d, to = i * d; j < d; j++) out[to + j] = x[from + j];
  }
  const res: Samples = { x: out, n: idx.length, dim: s.dim };
  if (s.labels) {
    const labels = new Int32Array(idx.length);
    for (let i = 0; i < idx.length; i++) labels[i] = s.labels[idx[i]];
    res.labels = labels;
  }
  return res;
}

/**
 * takeRows of the concatenation of `parts` (same dimension), without making it: row r of the whole is row r − offset
 * of the part it falls in. Labels are kept only if every part has them.
 */
export function takeRowsOfParts(parts: readonly Samples[], idx: ArrayLike<number>): Samples {
  if (parts.length === 0) throw new RangeError('takeRowsOfParts needs at least one part');
  const dim = parts[0].dim;
  const starts: number[] = [];
  let total = 0;
  for (const p of parts) {
    if (p.dim !== dim) throw new RangeError(`cannot concatenate samples of dimension ${p.dim} and ${dim}`);
    starts.push(total);
    total += p.n;
  }
  const withLabels = parts.every((p) => p.labels);
  const out = new Float32Array(idx.length * dim);
  const labels = withLabels ? new Int32Array(idx.length) : undefined;
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i];
    if (r < 0 || r >= total) throw new RangeError(`row ${r} out of range [0, ${total})`);
    // the last part starting at or before r (binary search over the starts)
    let lo = 0;
    let hi = parts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= r) lo = mid;
      else hi = mid - 1;
    }
    const p = parts[lo];
    const local = r - starts[lo];
    if (dim >= 64) out.set(p.x.subarray(local * dim, (local + 1) * dim), i * dim);
    else for (let j = 0, from = local * dim, to = i * dim; j < dim; j++) out[to + j] = p.x[from + j];
    if (labels) labels[i] = p.labels![local];
  }
  return labels ? { x: out, n: idx.length, dim, labels } : { x: out, n: idx.length, dim };
}

/**
 * The concatenation of `parts` (same dimension) as Samples that keep their parts (`parts`) and make the rows (`x`,
 * `labels`) only when first read: a model that combines per-part statistics (the Gaussian) never copies the pool.
 */
export function concatSamplesLazily(parts: readonly Samples[]): Samples {
  if (parts.length === 0) throw new RangeError('concatSamples needs at least one part');
  const dim = parts[0].dim;
  let n = 0;
  for (const p of parts) {
    if (p.dim !== dim) throw new RangeError(`cannot concatenate samples of dimension ${p.dim} and ${dim}`);
    n += p.n;
  }
  let whole: Samples | null = null;
  const made = () => (whole ??= concatSamples(parts as Samples[]));
  return {
    n,
    dim,
    parts,
    get x() {
      return made().x;
    },
    get labels() {
      return made().labels;
    },
  };
}

/** Concatenate sample sets of the same dimension. Labels are kept only if every part has them. */
export function concatSamples(parts: Samples[]): Samples {
  if (parts.length === 0) throw new RangeError('concatSamples needs at least one part');
  const dim = parts[0].dim;
  let n = 0;
  for (const p of parts) {
    if (p.dim !== dim) throw new RangeError(`cannot concatenate samples of dimension ${p.dim} and ${dim}`);
    n += p.n;
  }
  const x = new Float32Array(n * dim);
  const withLabels = parts.every((p) => p.labels);
  const labels = withLabels ? new Int32Array(n) : undefined;
  let off = 0;
  for (const p of parts) {
    x.set(p.x.subarray(0, p.n * dim), off * dim);
    if (labels && p.labels) labels.set(p.labels.subarray(0, p.n), off);
    off += p.n;
  }
  return labels ? { x, n, dim, labels } : { x, n, dim };
}

/**
 * The largest magnitude a sample value may have: the models and metrics compute in float32, where a squared distance
 * between two rows of values up to 1e15 stays finite for up to 10⁷ values a row ((2·10¹⁵)²·10⁷ < 3.4·10³⁸).
 */
export const MAX_SAMPLE_MAGNITUDE = 1e15;

/**
 * Refuse samples with a NaN or ±∞ (or a float64 value beyond float32's range), or a value beyond
 * ±{@link MAX_SAMPLE_MAGNITUDE}, at load, naming the file and the first bad index as [row, column]: such a value would
 * only fail later, after training, with an unrelated message.
 */
export function checkFinite(
  x: Float32Array,
  dim: number,
  file: { what: string; path: string },
  original?: ArrayLike<number | bigint>,
  offset = 0,
): void {
  const what = `${file.what} ${file.path}`;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    if (xi <= MAX_SAMPLE_MAGNITUDE && xi >= -MAX_SAMPLE_MAGNITUDE) continue;
    // `offset`: x (and original) are a chunk of a larger array starting at that element
    const g = i + offset;
    const at = `at row ${Math.floor(g / dim)}, column ${g % dim} (element ${g})`;
    const v = original ? Number(original[i]) : xi;
    if (Number.isFinite(xi)) {
      throw new DataFileError(
        'value',
        file.path,
        `${what} has the value ${v} ${at}, beyond ±${MAX_SAMPLE_MAGNITUDE.toExponential()}; rescale the data`,
      );
    }
    const value = Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? `${v} (beyond float32's range)` : v > 0 ? 'Infinity' : '-Infinity';
    throw new DataFileError('value', file.path, `${what} has a non-finite value ${value} ${at}; samples must be finite numbers`);
  }
}

/**
 * Refuse a set of two or more samples that are all the same row (a constant dataset: its covariance is zero, so the
 * metrics that compare spreads cannot be computed), naming the set.
 */
export function checkNotConstant(s: Samples, what: string): void {
  if (s.n < 2) return;
  const { x, dim } = s;
  for (let r = 1; r < s.n; r++) {
    const o = r * dim;
    for (let c = 0; c < dim; c++) if (x[o + c] !== x[c]) return;
  }
  throw new Error(
    `${what}: all ${s.n} samples are the same (every row equals row 0); a constant dataset has no spread to model or measure`,
  );
}
