import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../util/spawn-worker';
import type { Samples } from '../data/samples';
import { selectedComputations, type MetricComputation } from '../contract/metric-selection';
import type { ExperimentConfig } from '../contract/config';
import { builtinReferenceDir } from './reference-dir';
import type { GeneratedFeatures, GenerationMetrics, GenerationMetricsInput } from './generation-metrics';

/**
 * A run's metrics thread: computeGenerationMetrics in a worker thread of its own, so that generation g's metrics are
 * computed while the run's thread trains generation g + 1 (main/loop/run-experiment.ts). The run-wide inputs (the test
 * split, the truth, the real rows) are sent once; each generation sends its samples and its seed. The thread computes
 * what the run's thread would (the same function, its reference classifier on the same backend with one thread: the
 * wasm kernels give the same values on any thread count), one generation at a time, in order.
 */
export type RunMetricsInput = Omit<GenerationMetricsInput, 'generated' | 'seed' | 'model' | 'compute'> & {
  compute: MetricComputation[];
};

export interface MetricsThreadData {
  /** The run's backend: the thread starts the same one (`js`: none until a classifier needs one). */
  backend: string;
  input: RunMetricsInput;
  /** The seed of the first generation it will measure: the reference side is prepared for it at once. */
  firstSeed: number;
}

export type MetricsThreadRequest = {
  type: 'measure';
  id: number;
  generated: Samples;
  seed: number;
  /** The selection's reference-classifier outputs of the generated rows, when it computed them (see GenerationMetricsInput). */
  generatedFeatures?: GeneratedFeatures;
};
export type MetricsThreadReply =
  { type: 'measured'; id: number; metrics: GenerationMetrics } | { type: 'failed'; id: number; name: string; message: string };

/** Backends whose metrics a thread of their own computes exactly as the run's thread: GPU backends keep theirs in the run's thread. */
const THREADABLE_BACKENDS = new Set(['wasm', 'cpu', 'js']);

/**
 * Whether a run's metrics are computed in a metrics thread while its next generation trains: the run may use every
 * core (main/runs/host-runs.ts: with one core for it, the thread would only take turns with the training), it has more
 * than one generation, and its metrics run a feature network (metricsRunNetwork: without one they take milliseconds,
 * less than the thread's start, which a study of many small runs would pay per run); never where the backend is a GPU
 * one or a metric reads the fitted model (TV to a declared truth reads its density, which stays in the run's thread).
 * COLLAPSE_LAB_METRICS_OVERLAP=1 or 0 overrides the first three conditions.
 */
export function metricsOverlapWanted(
  config: ExperimentConfig,
  opts: { alone: boolean; backend: string },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (metricsReadModel(config) || !THREADABLE_BACKENDS.has(opts.backend)) return false;
  const raw = env.COLLAPSE_LAB_METRICS_OVERLAP?.trim();
  if (raw === '1') return true;
  if (raw === '0') return false;
  if (raw) throw new RangeError(`COLLAPSE_LAB_METRICS_OVERLAP must be 1 or 0, got "${raw}"`);
  return opts.alone && config.loop.generations > 1 && metricsRunNetwork(config);
}

/**
 * Whether a run's metrics run a feature network each generation: the dataset's reference classifier (its features for
 * FID and PRDC, its labels for the class metrics and the downstream classifier) or an ONNX network.
 */
export function metricsRunNetwork(config: ExperimentConfig): boolean {
  const compute = selectedComputations(config.metrics.compute);
  const classifier = builtinReferenceDir(config.dataset.kind) !== undefined;
  const features = config.metrics.features;
  const network = features === undefined ? classifier : features === 'reference' || features.startsWith('onnx:');
  return ((compute.has('fid') || compute.has('prdc')) && network) || (classifier && (compute.has('classes') || compute.has('downstream')));
}

/** Whether a run's metrics read its fitted model (they then stay in the run's thread): TV to a declared truth. */
export function metricsReadModel(config: ExperimentConfig): boolean {
  const hasTruth = (config.dataset as { truth?: unknown }).truth !== undefined;
  return hasTruth && selectedComputations(config.metrics.compute).has('tv');
}

export class MetricsThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (m: GenerationMetrics) => void; reject: (e: Error) => void }>();
  #next = 0;
  #failure: Error | null = null;
  #closed = false;

  /** Start the thread; it loads the backend and prepares the reference side of `firstSeed` while the run trains. */
  constructor(backend: string, input: Omit<GenerationMetricsInput, 'generated' | 'seed' | 'model'>, firstSeed: number) {
    const { compute, ...rest } = input;
    const workerData: MetricsThreadData = { backend, input: { ...rest, compute: compute ? [...compute] : [] }, firstSeed };
    if (!compute) delete (workerData.input as Partial<RunMetricsInput>).compute;
    this.#worker = spawnWorker(new URL('./metrics-thread-worker.ts', import.meta.url), { workerData });
    this.#worker.on('message', (m: MetricsThreadReply) => {
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (m.type === 'measured') p.resolve(m.metrics);
      else p.reject(rebuildError(m.name, m.message));
    });
    this.#worker.on('error', (e) => this.#fail(e));
    this.#worker.on('exit', (code) => {
      if (!this.#closed) this.#fail(new Error(`the run's metrics thread stopped (exit code ${code})`));
    });
  }

  /** One generation's metrics (its samples are copied to the thread: the run keeps them for the next training set). */
  measure(generated: Samples, seed: number, generatedFeatures?: GeneratedFeatures): Promise<GenerationMetrics> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      const request: MetricsThreadRequest = {
        type: 'measure',
        id,
        generated: sampleRows(generated),
        seed,
        ...(generatedFeatures ? { generatedFeatures } : {}),
      };
      this.#worker.postMessage(request);
    });
  }

  /** End the thread (pending generations are rejected). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#fail(new Error("the run's metrics thread was closed"));
    await this.#worker.terminate();
  }

  #fail(e: Error): void {
    this.#failure ??= e;
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }
}

/** A sample set's rows and their labels (a class-conditional model's classes), without its parts. */
function sampleRows(s: Samples): Samples {
  return { x: s.x, n: s.n, dim: s.dim, ...(s.labels ? { labels: s.labels } : {}) };
}

/** The thread's error as the run's thread would have thrown it (its class where it is a built-in one, and its message). */
function rebuildError(name: string, message: string): Error {
  const Kind = ({ RangeError, TypeError } as Record<string, ErrorConstructor>)[name] ?? Error;
  return new Kind(message);
}
