import { z } from 'zod';
import { featureFingerprint } from './feature-fingerprint';
import { metricCatalog, type MetricKey } from './metric-catalog';
import { interruptionEvidence, runState } from './run-state';

/**
 * What a run writes, as one schema per file: the engine writes through these (RunFolder validates every line and
 * record before it lands on disk) and every reader parses with them (RunFolder, the API contract, the renderer's
 * types). A metric is named once, in metric-catalog.ts: the numeric part of a metrics line is made from the catalog.
 *
 * Every schema checks the JSON as it is on disk: a value the engine computed as NaN or ±∞ is written by JSON as null,
 * so a numeric metric is a finite number or null.
 */

// the run's state machine (names, transitions) is its own file; the run record and the events use it
export { runState, runStates, finalRunStates, activeRunStates, isFinalRunState, isActiveRunState, type RunState } from './run-state';

/** A numeric metric as a line holds it: a finite number, or null where the engine computed NaN or ±∞. */
export const metricValue = z.number().nullable();
export type MetricValue = z.infer<typeof metricValue>;

/** Every catalog key as an optional numeric field: the catalog is the one list of the numeric metrics. */
const catalogShape = Object.fromEntries(metricCatalog.map((m) => [m.key, metricValue.optional()])) as {
  [K in MetricKey]: z.ZodOptional<typeof metricValue>;
};

/** The selection of a generation: the feature space the scheme saw, then the scheme's own diagnostics (per scheme). */
export const selectionRecord = z
  .object({
    /** `raw`, `reference` or `pca:K` (the selection's feature space); absent in lines of the first runs, before it was recorded. */
    features: z.string().optional(),
  })
  // a scheme's diagnostics (main/selection/scheme.ts SelectionResult.diagnostics): open-ended by scheme
  .catchall(z.union([metricValue, z.array(metricValue), z.string()]));
export type SelectionRecord = z.infer<typeof selectionRecord>;

function isModelExtra(v: unknown): boolean {
  const num = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x));
  return num(v) || (Array.isArray(v) && v.every(num));
}

/**
 * A model-specific extra the catalog does not name (FitResult.diagnostics, GenerativeModel.describeSamples: open-ended
 * by model, e.g. a new model's diagnostic): a number (or null) or an array of them. Typed `unknown` for the reader,
 * who knows which model wrote it.
 */
const modelExtra = z.custom<unknown>(isModelExtra, {
  message: 'an extra (model-specific) metric must be a number, null or an array of numbers',
});

/**
 * One line of metrics.jsonl: one completed generation (main/loop/run-experiment.ts writes it). `generation` is the
 * only required field: lines of older runs lack newer fields, and many fields exist only for some datasets (class
 * histogram, pixel histogram), models (diagnostics) or schemes (selection diagnostics).
 */
export const metricsLine = z
  .object({
    generation: z.number().int().min(0),
    // every numeric metric of the catalog: trainLoss, the bookkeeping counts, varianceTrace, the metrics of
    // computeGenerationMetrics (fid … meanDistance, classEntropy, classesCovered, downstreamAccuracy), ψ, the models'
    // diagnostics (truncationDelta, w2, w2Gaussian, emIterations, criticAccuracy …) and the times
    ...catalogShape,
    /** Mean training loss of each epoch (trainLoss is the last). */
    epochLosses: z.array(metricValue).optional(),
    /**
     * The kept samples per predicted class: shares (summing to 1) from the reference classifier, counts when
     * `classifier` is `nearest-centroid`. classesCovered counts the classes with at least a tenth of their uniform
     * share, on both paths (main/metrics/histograms.ts classStatsFromCounts).
     */
    classHistogram: z.array(z.number().min(0)).optional(),
    /** Set when the class histogram comes from the nearest-centroid fallback (no reference classifier). */
    classifier: z.literal('nearest-centroid').optional(),
    /**
     * What the feature metrics (Fréchet distance, precision/recall/density/coverage, Tr(Σ) of features, covariance
     * gap) were computed with: network, weights sha256, layer, input size, resize and normalisation, feature
     * dimension, sample counts. Absent in lines written before it was recorded.
     */
    featureFingerprint: featureFingerprint.optional(),
    /** What the quality metrics were scored against: the dataset's declared truth or the held-out test split. */
    scoredAgainst: z.enum(['truth', 'test']).optional(),
    /** 200-bin histogram of the generated pixel values over [0, 1], as fractions (images only). */
    pixelHistogram: z.array(z.number()).optional(),
    /** diffusion-exact in one dimension: the energy of each Hermite mode 0..K of the kept samples. */
    hermiteEnergy: z.array(metricValue).optional(),
    selection: selectionRecord.optional(),
    /** Bytes each island sent to the selector in this generation, island 0 first (islandBytesSentTotal: their sum). */
    islandBytesSent: z.array(z.number().int().min(0)).optional(),
  })
  .catchall(modelExtra);
export type MetricsLine = z.infer<typeof metricsLine>;

/**
 * stageSeconds: where a generation's time goes, one metrics-line field per stage of the loop (train, sample, select,
 * metrics, write), in loop order; their sum is close to `seconds` (the rest: building the training set, bookkeeping).
 */
export const stageSecondsKeys = [
  'trainSeconds',
  'sampleSeconds',
  'selectionSeconds',
  'metricsSeconds',
  'writeSeconds',
] as const satisfies readonly MetricKey[];

/** status.json: the run's state and its last completed generation. */
export const runStatus = z.object({
  state: runState,
  /** Index of the last generation whose files and metrics line are written; -1 before the first. */
  lastGeneration: z.number().int().min(-1),
  generations: z.number().int().min(0),
  updatedAt: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  backend: z.string().optional(),
  /** The GPU adapter of a webgpu run, in one line (vendor, architecture, driver; ", software" for a software one). */
  adapter: z.string().optional(),
  error: z.string().optional(),
  /** The process that owns the run's worker while it runs; a dead pid with state running means interrupted. */
  pid: z.number().int().optional(),
  /** The host of `pid` (a process of another host is never judged dead from here). */
  host: z.string().optional(),
  /** Why the run is interrupted: the pid found gone and the run's last heartbeat (main/runs/derive-run-state.ts). */
  interruption: interruptionEvidence.optional(),
});
export type RunStatus = z.infer<typeof runStatus>;

/** A WebGPU adapter as Dawn describes it, with the limits that bound one tensor (bytes). */
export const gpuAdapter = z.object({
  vendor: z.string(),
  architecture: z.string(),
  device: z.string(),
  description: z.string(),
  /** A software adapter (llvmpipe, SwiftShader, WARP): `auto` never picks one. */
  fallback: z.boolean(),
  maxBufferSize: z.number(),
  maxStorageBufferBindingSize: z.number(),
});
export type GpuAdapter = z.infer<typeof gpuAdapter>;

/** Where and how one start (or resume) of a run trained. */
export const runEnvironmentEntry = z.object({
  backend: z.string(),
  /** The WebGPU adapter (webgpu runs only). */
  adapter: gpuAdapter.optional(),
  backendPackage: z.string(),
  backendVersion: z.string(),
  tfjsVersion: z.string(),
  node: z.string(),
  platform: z.string(),
  arch: z.string(),
  cpus: z.number().int().min(0),
  /** Threads the backend trained with (wasm: every core for a run alone on the host, else 1); absent in older runs. */
  threads: z.number().int().min(1).optional(),
  /** Whether each generation's metrics were computed in a thread of their own while the next trained; absent in older runs. */
  metricsOverlap: z.boolean().optional(),
  seed: z.number().int().min(0),
  collapseLab: z.string(),
  startedAt: z.string(),
});
export type RunEnvironmentEntry = z.infer<typeof runEnvironmentEntry>;

/** environment.json: the first start's environment, and each resume's after it. */
export const runEnvironment = runEnvironmentEntry.extend({
  resumes: z.array(runEnvironmentEntry).optional(),
});
export type RunEnvironment = z.infer<typeof runEnvironment>;

/** islands.json: how the training data was split into islands. */
export const islandsRecord = z.object({
  /** The config's split text (`iid`, `dirichlet:ALPHA` …). */
  split: z.string(),
  numClasses: z.number().int().min(0),
  classNames: z.array(z.string()).nullable(),
  /** Each island's size and its count of each class, island 0 first. */
  islands: z.array(z.object({ size: z.number().int().min(0), classCounts: z.array(z.number().int().min(0)) })),
});
export type IslandsRecord = z.infer<typeof islandsRecord>;

/** A schema's complaints as one line, each naming its field: `fid: Invalid input: expected number, received string`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(whole record)'}: ${i.message}`).join('; ');
}
