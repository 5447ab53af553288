import type { SampleShape, Samples } from '../data/samples';

/** Progress of one model fit, reported at least once per batch group and once per epoch. */
export interface FitProgress {
  epoch: number; // 1-based
  epochs: number;
  batch: number; // 1-based within the epoch
  batches: number;
  loss: number; // running mean loss of the epoch so far (per sample)
}

export interface FitOptions {
  seed: number;
  /** Index of the generation being trained (0 = real data); models with per-generation schedules use it. */
  generation?: number;
  signal?: AbortSignal;
  onProgress?: (p: FitProgress) => void;
  /**
   * Real held-out samples (the dataset's test split) for diagnostics against real data, e.g. the WGAN-GP critic's
   * accuracy on real images; never trained on. Models that need none ignore it.
   */
  evalData?: Samples;
}

export interface FitResult {
  /** Mean training loss per epoch (per sample, in the model's own units). */
  epochLosses: number[];
  /** Extra per-generation diagnostics of the model (e.g. a critic's accuracy), recorded with the metrics. */
  diagnostics?: Record<string, number>;
}

/**
 * Every generative model of the zoo, behind one interface. Implementations live one per file in main/models and are
 * registered in main/models/registry.ts.
 */
export interface GenerativeModel {
  readonly kind: string;
  readonly shape: SampleShape;
  /** Train on `data` (rows in [0, 1] for images). Throws an AbortError-like error if `signal` aborts. */
  fit(data: Samples, opts: FitOptions): Promise<FitResult>;
  /** Draw n samples, deterministically for a given seed (on the cpu backend). Returns a row-major [n, dim] array. */
  sample(n: number, seed: number): Promise<Float32Array>;
  /**
   * Optional, for class-conditional models (config `model.perClass`): the class of each row that `sample(n, ·)`
   * returns. The loop gives the candidates these labels; selection then keeps each class's share from its own pool.
   */
  sampleLabels?(n: number): Int32Array;
  /** Write a checkpoint into `dir` (which exists). */
  save(dir: string): Promise<void>;
  /**
   * Optional model-specific metrics of a generation's samples (e.g. W2 to the true distribution for the exact
   * diffusion model), recorded with the generation's metrics.
   */
  describeSamples?(samples: Float32Array, n: number): Record<string, number | number[]>;
  /**
   * Optional: the fitted model's covariance, row-major [dim, dim], for models that know it exactly (the Gaussian). The
   * loop records its trace as `modelVarianceTrace` (Tr(Σ̄_t) of the selection-bias paper's Theorems 1–2); for models
   * without it, the loop uses the trace of the candidates' sample covariance (draws of the fitted model) instead.
   */
  fittedCovariance?(): Float64Array;
  /**
   * Optional, beside fittedCovariance: log det of that covariance from the factor the model already holds (the
   * Gaussian samples through its Cholesky factor), the same number a new factorisation would give, without one.
   */
  fittedCovarianceLogDet?(): number;
  /** Optional: the fitted model's mean [dim], for models that know it exactly (the Gaussian): modelMeanSqError. */
  fittedMean?(): Float64Array;
  /**
   * Optional: log of the fitted model's density at each row of x [n, dim], for models with a closed-form density (the
   * Gaussian, the GMM, the KDE). The metrics use it for the total variation to a declared truth (tvToTruth).
   */
  logDensity?(x: ArrayLike<number>, n: number): Float64Array;
  /** Release tensors. */
  dispose(): void;
}

export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}
