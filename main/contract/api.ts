import { z } from 'zod';
import { backendRequest, type BackendRequest } from './backend-request';
import { computeReport } from './compute-report';
import { referenceKind } from './reference-kind';
import { datasetConfig, type ExperimentConfig, type ExperimentConfigInput } from './config';
import type { ConfigDraft } from './config-draft';
import { progressEvent, runEvent, runState } from './events';
import { islandsRecord, metricsLine, runEnvironment } from './run-record';
import { apiOperations, type ApiOperation } from './api-operations';
import { splitText } from './split-spec';
import { studyEvent, studyIndexEntry, studyRunValues, studySpec, studySummary, type StudySpecInput } from './study';
import type { PaperClaim, StudyFigureSpec } from './paper-claim';
import type { StudyReport } from './study-report';

/**
 * The one API contract of Collapse Lab: every operation's request and response, and the event stream. Every door
 * (Electron IPC, the local server, the renderer's client) imports this table; requests are validated once, at the
 * door's boundary, by `LabApi.call` (main/api/lab-api.ts). Responses are typed by these schemas (and checked in tests).
 */

export { apiOperations, isApiOperation, ipcChannels, type ApiOperation } from './api-operations';
export { runEvent, type RunEvent } from './events';

const empty = z.object({}).strict();

/** A run's id: its folder name in the workspace. */
export const runId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/, 'a run id is a folder name of letters, digits, ".", "_" and "-"');

/** The backend a request asks for (the one list is main/contract/backend-request.ts). */
export const backendName = backendRequest;
export type BackendName = BackendRequest;

export const fieldIssue = z.object({ path: z.string(), message: z.string() });
export type FieldIssueDto = z.infer<typeof fieldIssue>;

const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1)
  .default(0);
const jsonObject = z.record(z.string(), z.unknown());
/** A JSON Schema document (draft 2020-12) made from a zod schema, for building forms. */
const jsonSchema = jsonObject;

/** A preset's time on this machine, with what it assumes (main/api/preset-estimate.ts), for the presets lists. */
export const presetEstimate = z.object({
  seconds: z.number(),
  /** The backend it assumes: the door's (auto as this host resolves it), wasm where nothing is measured. */
  backend: z.string(),
  /** What computes it: the GPU (adapter or package), or the cores. */
  on: z.string(),
  /** Whether that backend runs on a hardware GPU. */
  gpu: z.boolean(),
  /** Whether it comes from this machine's measured speed (else the catalog's 2-core rates). */
  measured: z.boolean(),
});
export type PresetEstimate = z.infer<typeof presetEstimate>;

export const presetInfo = z.object({
  name: z.string(),
  description: z.string(),
  expectedMinutes: z.number(),
  /** Meant for a GPU (on one wasm core it takes days or more). */
  needsGpu: z.boolean().optional(),
  here: presetEstimate.optional(),
  config: z.custom<ExperimentConfigInput>((v) => typeof v === 'object' && v !== null),
});
export type PresetInfo = z.infer<typeof presetInfo>;

export const modelInfo = z.object({
  kind: z.string(),
  label: z.string(),
  description: z.string(),
  imagesOnly: z.boolean(),
  paramsSchema: jsonSchema,
  defaults: jsonObject,
});
export type ModelInfo = z.infer<typeof modelInfo>;

export const schemeInfo = z.object({
  name: z.string(),
  label: z.string(),
  description: z.string(),
  usesReference: z.boolean(),
  /** What leaves each island under this scheme (shown beside it). */
  privacy: z.string(),
  paramsSchema: jsonSchema,
  defaults: jsonObject,
});
export type SchemeInfo = z.infer<typeof schemeInfo>;

export const builtinDatasetInfo = z.object({
  kind: z.string(),
  label: z.string(),
  available: z.boolean(),
  reason: z.string().optional(),
});

export const catalogInfo = z.object({
  workspace: z.string(),
  /** The backend runs use unless a start request names one. */
  backend: backendName,
  models: z.array(modelInfo),
  schemes: z.array(schemeInfo),
  /** The references of the reference-based baselines; `oracle` marks the one that breaks privacy. */
  referenceKinds: z.array(
    z.object({ kind: referenceKind, label: z.string(), description: z.string(), oracle: z.boolean(), privacy: z.string() }),
  ),
  /** Datasets whose reference classifier is shipped: their default feature space (selection, metrics) is `reference`. */
  referenceFeatureDatasets: z.array(z.string()),
  datasets: z.array(builtinDatasetInfo),
  /** Every dataset kind of the config contract with the JSON Schema of its fields (for kinds without a custom form). */
  datasetForms: z.array(z.object({ kind: z.string(), schema: jsonSchema })),
});
export type CatalogInfo = z.infer<typeof catalogInfo>;

export const durationEstimate = z.object({
  /** Rough wall-clock seconds of the whole run on this machine. */
  seconds: z.number(),
  /** Training samples seen per generation (epochs × training-set size), generation 0 first. */
  trainingSamples: z.array(z.number()),
  /** How the estimate was made, in one line. */
  basis: z.string(),
  /** Where the seconds go, every stage a run spends time in (main/api/estimate-duration.ts). */
  stages: z
    .object({
      /** Preflight, worker, backend, dataset, islands, and the run's end. */
      start: z.number(),
      training: z.number(),
      sampling: z.number(),
      selection: z.number(),
      metrics: z.number(),
      /** Building each generation's training set and writing its files. */
      other: z.number(),
    })
    .optional(),
});
export type DurationEstimate = z.infer<typeof durationEstimate>;

export const datasetSummary = z.object({
  name: z.string(),
  shape: z.array(z.number().int()),
  trainSize: z.number().int(),
  testSize: z.number().int(),
  numClasses: z.number().int(),
  classNames: z.array(z.string()).nullable(),
  classCounts: z.object({ train: z.array(z.number()), test: z.array(z.number()) }).nullable(),
});
export type DatasetSummaryDto = z.infer<typeof datasetSummary>;

/** A PNG picture as base64 (no data: prefix): a grid of images at true pixel size, or a scatter plot of vectors. */
export const pictureDto = z.object({
  png: z.string(),
  kind: z.enum(['images', 'scatter']),
  count: z.number().int(),
});
export type PictureDto = z.infer<typeof pictureDto>;

export const islandPreview = z.object({
  size: z.number().int(),
  classCounts: z.array(z.number().int()),
  /** Sample grid of the island's own data; null beyond the first `maxIslandPictures` islands. */
  picture: pictureDto.nullable(),
});

export const runSummary = z.object({
  id: z.string(),
  name: z.string(),
  state: runState,
  lastGeneration: z.number().int(),
  generations: z.number().int(),
  backend: z.string().optional(),
  /** The GPU adapter of a webgpu run, in one line. */
  adapter: z.string().optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
  error: z.string().optional(),
  dataset: z.string(),
  model: z.string(),
  scheme: z.string(),
  /** True while this door's process trains the run. */
  active: z.boolean(),
  /** The last progress event seen for the run by this process, if any. */
  progress: progressEvent.optional(),
  /**
   * The engine's estimate of the whole run's seconds on this machine (main/api/estimate-duration.ts, from its measured
   * speed), for a run starting or running: the early ETA, until the run's progress gives a measured one.
   */
  estimatedSeconds: z.number().optional(),
});
export type RunSummaryDto = z.infer<typeof runSummary>;

export const runFiles = z.object({
  /**
   * Per completed generation, its sample grid and its rejected grid (a sample of the candidates the selection did
   * not keep; null when it rejected none), as paths relative to the run folder.
   */
  generations: z.array(z.object({ generation: z.number().int(), samples: z.string().nullable(), rejected: z.string().nullable() })),
  /** Each island's reference grid (its own real samples), island 0 first. */
  islands: z.array(z.string()),
});

export const runDetail = runSummary.extend({
  dir: z.string(),
  config: z.custom<ExperimentConfig>((v) => typeof v === 'object' && v !== null),
  /** environment.json (null before the run's first start). */
  environment: runEnvironment.nullable(),
  /** islands.json (null before the split is written). */
  islands: islandsRecord.nullable(),
  /** metrics.jsonl: one line per completed generation, in order. */
  metrics: z.array(metricsLine),
  files: runFiles,
});
export type RunDetailDto = z.infer<typeof runDetail>;

const runRef = z.object({ runId }).strict();
const nothing = z.object({});

/** A study's id: its folder name under the workspace's studies/. */
export const studyId = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a study id is lower-case letters, digits and "-"');
const studyRef = z.object({ studyId }).strict();
/** The study file, validated by the engine (StudyManager.start), whose per-field issues come back as the error's. */
const studyInput = z.custom<StudySpecInput>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'study must be a JSON object');
/** Where a study's runs go: `parallel` runs at once here (embedded queue), or BullMQ at a redis:// URL. */
const queueChoice = {
  parallel: z.number().int().min(1).max(256).optional(),
  /** Allow `parallel` above the machine's cores (main/studies/study-limits.ts). */
  oversubscribe: z.boolean().optional(),
  /** Accept a study above the run-count and disk limits. */
  allowLarge: z.boolean().optional(),
  queue: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'queue must be a redis:// URL')
    .optional(),
};

export const studyPresetInfo = z.object({
  name: z.string(),
  description: z.string(),
  expectedMinutes: z.number(),
  /** Meant for a GPU (on one wasm core it takes days or more). */
  needsGpu: z.boolean().optional(),
  /** Its time on this machine at the default parallelism (the doors that know the workspace fill it in). */
  here: presetEstimate.optional(),
  /** The preset's study file, with `preset` set to its name (a study started from it records where it came from). */
  study: studyInput,
  /** The paper it reproduces and the figures its report draws (built-in reproductions only). */
  claim: z.custom<PaperClaim>((v) => typeof v === 'object' && v !== null).optional(),
  figures: z.array(z.custom<StudyFigureSpec>((v) => typeof v === 'object' && v !== null)).optional(),
});
/** A study preset as the doors send it (main/studies/preset-study.ts presetInfoOf builds it). */
export type StudyPresetInfo = z.infer<typeof studyPresetInfo>;

export const studyStatusDto = studySummary.extend({ spec: studySpec, runs: z.array(studyIndexEntry) });
export type StudyStatusDto = z.infer<typeof studyStatusDto>;

/** What a study would run: its runs and cells, and the estimated time at the chosen parallelism. */
export const studyPlanDto = z.object({
  studyId: z.string(),
  runs: z.number().int(),
  cells: z.number().int(),
  seeds: z.array(z.number().int()),
  fieldPaths: z.array(z.string()),
  /** Runs the study folder already holds completed (never run again). */
  completed: z.number().int(),
  parallel: z.number().int(),
  /** Wall-clock seconds of the runs still to do, at `parallel` runs at once. */
  estimatedSeconds: z.number(),
  /** The same with what it assumes (backend, cores or GPU, measured here or not). */
  here: presetEstimate.optional(),
  /** The files each run holds when it ends, under its storage mode (the largest over the runs), and their bytes in all. */
  filesPerRun: z.number().int(),
  estimatedBytes: z.number(),
});

/** Every operation: its request (validated at the door) and its response. */
export const api = {
  'presets.list': { request: empty, response: z.object({ presets: z.array(presetInfo) }) },
  'catalog.get': { request: empty, response: catalogInfo },
  'config.validate': {
    /** The config is checked by the contract's experimentConfig inside the operation, which reports per-field issues. */
    request: z.object({ config: z.unknown() }).strict(),
    response: z.discriminatedUnion('valid', [
      z.object({ valid: z.literal(true), config: z.custom<ExperimentConfig>(), estimate: durationEstimate }),
      z.object({ valid: z.literal(false), issues: z.array(fieldIssue) }),
    ]),
  },
  'dataset.preview': {
    request: z.object({ dataset: datasetConfig, seed, samples: z.number().int().min(1).max(400).default(64) }).strict(),
    response: z.object({ summary: datasetSummary, picture: pictureDto }),
  },
  'split.preview': {
    request: z
      .object({
        dataset: datasetConfig,
        islands: z.object({ count: z.number().int().min(1).max(1000), split: splitText }).strict(),
        seed,
        samplesPerIsland: z.number().int().min(1).max(100).default(16),
        maxIslandPictures: z.number().int().min(0).max(100).default(32),
      })
      .strict(),
    response: z.object({
      dataset: z.string(),
      numClasses: z.number().int(),
      classNames: z.array(z.string()).nullable(),
      trainSize: z.number().int(),
      testSize: z.number().int(),
      islands: z.array(islandPreview),
    }),
  },
  'runs.list': { request: empty, response: z.object({ workspace: z.string(), runs: z.array(runSummary) }) },
  'runs.get': { request: runRef, response: runDetail },
  'runs.start': {
    /** The config is validated by the engine (RunManager.start), whose per-field issues come back as the error's. */
    request: z
      .object({
        config: z.custom<ExperimentConfigInput | ConfigDraft>(
          (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
          'config must be a JSON object',
        ),
        backend: backendName.optional(),
      })
      .strict(),
    response: z.object({ runId: z.string() }),
  },
  'runs.cancel': { request: runRef, response: nothing },
  'runs.resume': { request: z.object({ runId, backend: backendName.optional() }).strict(), response: nothing },
  'runs.delete': { request: runRef, response: nothing },
  'runs.openFolder': {
    request: runRef,
    response: z.object({ path: z.string(), opened: z.boolean(), reason: z.string().optional() }),
  },
  'studies.presets': { request: empty, response: z.object({ presets: z.array(studyPresetInfo) }) },
  'studies.plan': {
    request: z.object({ study: studyInput, parallel: queueChoice.parallel, allowLarge: queueChoice.allowLarge }).strict(),
    response: studyPlanDto,
  },
  'studies.list': { request: empty, response: z.object({ workspace: z.string(), studies: z.array(studySummary) }) },
  'studies.get': { request: studyRef, response: studyStatusDto },
  'studies.start': {
    /** `preset`: the built-in preset the study file comes from, recorded in its study.json (its report shows the paper). */
    request: z.object({ study: studyInput, preset: z.string().min(1).max(80).optional(), ...queueChoice }).strict(),
    response: z.object({ studyId: z.string() }),
  },
  'studies.cancel': { request: studyRef, response: nothing },
  'studies.resume': { request: z.object({ studyId, ...queueChoice }).strict(), response: nothing },
  /** The aggregate of the study's completed runs (aggregate.json): per cell, per generation and at the last. */
  'studies.aggregate': { request: studyRef, response: jsonObject },
  'studies.table': {
    request: z
      .object({
        studyId,
        metrics: z.array(z.string().min(1).max(80)).max(50).optional(),
        generation: z.union([z.literal('last'), z.number().int().min(0)]).default('last'),
        format: z.enum(['md', 'csv', 'latex', 'json']).default('md'),
      })
      .strict(),
    response: z.object({ text: z.string() }),
  },
  /** Each completed run as a point: its cell's fields, seed and the chosen metrics at one generation (the last by default). */
  'studies.runValues': {
    request: z
      .object({
        studyId,
        metrics: z.array(z.string().min(1).max(80)).max(50),
        generation: z.union([z.literal('last'), z.number().int().min(0)]).default('last'),
      })
      .strict(),
    response: studyRunValues,
  },
  /** Pearson's and Spearman's correlation of metrics over the study's completed runs (every cell and seed). */
  'studies.correlate': {
    request: z
      .object({
        studyId,
        x: z.array(z.string().min(1).max(80)).min(1).max(20),
        y: z.array(z.string().min(1).max(80)).min(1).max(20),
        generation: z.union([z.literal('last'), z.number().int().min(0)]).default('last'),
      })
      .strict(),
    response: z.object({
      correlations: z.array(
        z.object({ x: z.string(), y: z.string(), n: z.number().int(), pearson: z.number().nullable(), spearman: z.number().nullable() }),
      ),
    }),
  },
  /**
   * The study's report: the claim of the paper its preset reproduces, the verdict on its aggregate ('pending' while
   * runs are unfinished), the paper's numbers beside ours, its figures (ECharts options and CSV data), wall time, sizes.
   */
  'studies.report': { request: studyRef, response: z.custom<StudyReport>((v) => typeof v === 'object' && v !== null) },
  /** Every backend, available or exactly why not, timed on the smoke model here, and what `auto` picks (`collapse-lab doctor`). */
  'compute.doctor': {
    request: z.object({ measure: z.boolean().default(true), seconds: z.number().positive().max(60).default(2) }).strict(),
    response: computeReport,
  },
} as const satisfies Record<ApiOperation, { request: z.ZodType; response: z.ZodType }>;

// the operation list of ./api-operations.ts must be exactly this table's keys (checked at load and in tests)
if (Object.keys(api).join(',') !== apiOperations.join(',')) {
  throw new Error('main/contract/api-operations.ts and the api table in main/contract/api.ts list different operations');
}

export type ApiRequestInput<Op extends ApiOperation> = z.input<(typeof api)[Op]['request']>;
export type ApiRequest<Op extends ApiOperation> = z.output<(typeof api)[Op]['request']>;
export type ApiResponse<Op extends ApiOperation> = z.output<(typeof api)[Op]['response']>;

/** invalid-input: a file or folder the request names cannot be used; not-found: no such run or study. */
export const apiErrorCode = z.enum(['unknown-operation', 'invalid-request', 'invalid-config', 'invalid-input', 'not-found', 'failed']);
export const apiError = z.object({
  code: apiErrorCode,
  message: z.string(),
  /** Per-field problems (paths relative to the request, or to the config for invalid-config). */
  issues: z.array(fieldIssue).optional(),
});
export type ApiError = z.infer<typeof apiError>;

/** What every door returns for a call: a result or an error, never a thrown exception across the boundary. */
export type ApiEnvelope<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiError };

/** The event stream: the engine's RunEvents, as they are, and the studies' progress. */
export const apiEvent = z.union([runEvent, studyEvent]);
export type ApiEvent = z.infer<typeof apiEvent>;

/**
 * What the Electron preload exposes as `window.lab`: one function per operation (answering an envelope) and an event
 * subscription. The renderer's client (renderer/src/api/client.ts) uses it when present, else the local server.
 */
export type LabBridge = {
  [Op in ApiOperation]: (request: ApiRequestInput<Op>) => Promise<ApiEnvelope<ApiResponse<Op>>>;
} & {
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** Base URL of run files: `${fileUrlBase}${runId}/${path}`. */
  fileUrlBase: string;
};
