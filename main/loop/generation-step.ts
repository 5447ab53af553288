import { makeFolderIn } from '../util/make-folder-in';
import type { ExperimentConfig } from '../contract/config';
import type { RunPhase } from '../contract/events';
import type { Paradigm } from '../contract/paradigm';
import { keepsGeneration, type StorageMode } from '../contract/storage-mode';
import type { FeatureSpaceSpec } from '../contract/feature-space-spec';
import type { MetricComputation } from '../contract/metric-selection';
import type { MetricsLine } from '../contract/run-record';
import { isImageShape, takeRows, type Dataset, type Samples } from '../data/samples';
import { computeGenerationMetrics, type GenerationMetrics, type GenerationMetricsInput } from '../metrics/generation-metrics';
import type { NearestCentroid } from '../metrics/nearest-centroid';
import { modelMoments } from '../metrics/model-moments';
import { modelTestNll } from '../metrics/model-test-nll';
import { modelVarianceTrace } from '../metrics/model-variance-trace';
import { fitPowerLawWindow } from '../shared/power-law';
import { psiFromGeneration } from '../shared/psi';
import { sampleMoments } from '../metrics/sample-moments';
import type { FitProgress, GenerativeModel } from '../models/generative-model';
import { throwIfAborted } from '../models/generative-model';
import { createModel } from '../models/registry';
import type { CandidateSelector } from '../selection/select-candidates';
import { deriveSeed, rngFor } from '../util/random';
import { genName, rejectedRows, SCATTER_POINTS, writeGrid, writeKept } from './generation-files';
import type { RunSink } from './run-sink';
import { schemeEntry } from '../contract/selection/catalog';
import { buildTrainingSet } from './training-set';

/** What every generation of a run shares: the data, the islands, the scheme, and the history so far. */
export interface RunContext {
  sink: RunSink;
  config: ExperimentConfig;
  dataset: Dataset;
  /** The islands' union: the real training data (every sample is on exactly one island). */
  real: Samples;
  /** The run's selection: its feature space and its scheme, made once (main/selection/select-candidates.ts). */
  selector: CandidateSelector;
  paradigm: Paradigm;
  keep: number;
  candidates: number;
  metricFeatures: FeatureSpaceSpec;
  /** The costly metrics each generation computes (config metrics.compute; main/contract/metric-selection.ts). */
  metricComputations: ReadonlySet<MetricComputation>;
  realMean: Float64Array;
  /** The kept samples of every completed generation, in order. */
  kept: Samples[];
  /** Tr(Σ) of the kept samples of every completed generation. */
  varianceTraces: number[];
  /** Tr(Σ̄) of the fitted model by generation (undefined where an older run's line lacks it): ψ is fitted on it. */
  modelVarianceTraces: (number | undefined)[];
  /** The fallback class histogram for labelled data without a reference classifier; fitted on first use. */
  nearestCentroid: () => NearestCentroid;
  /** The model each generation continues from when the model warm-starts; null for a fresh one. */
  previousModel: GenerativeModel | null;
  warmStart: boolean;
  /** What each generation keeps on disk (config storage; main/contract/storage-mode.ts). */
  storage: StorageMode;
  /** When (performance.now()) the status last noted a finished generation; −Infinity before the first note. */
  statusNotedAt: number;
}

/**
 * The status notes a finished generation at most this often (ms), and always the last: the metrics lines are the
 * commit points and the truth of which generations are done; the status's `lastGeneration` and `updatedAt` are a
 * heartbeat for other processes, and a rewrite (read, check, write, rename) per generation was most of a small
 * run's time.
 */
export const STATUS_NOTE_MS = 1000;

export interface GenerationProgress {
  generation: number;
  phase: RunPhase;
  epoch?: number;
  epochs?: number;
  batch?: number;
  batches?: number;
  loss?: number;
  /** Fraction of this generation done, in [0, 1]. */
  within: number;
}

/** Share of a generation's time spent training, for the progress fraction (the rest: sampling, selection, metrics). */
const TRAIN_SHARE = 0.85;

/** A generation's science: its training set, the model trained on it, the candidates and the selection's kept samples. */
async function produceGeneration(ctx: RunContext, g: number, progress: (p: GenerationProgress) => void, signal?: AbortSignal) {
  const { config, dataset, real } = ctx;

  const training = buildTrainingSet({
    paradigm: ctx.paradigm,
    generation: g,
    real,
    kept: ctx.kept,
    trainSize: config.loop.trainSize,
    syntheticPerReal: config.loop.syntheticPerReal,
    rng: rngFor(config.seed, 'training-set', g),
  });
  const model: GenerativeModel = ctx.previousModel ?? createModel(config.model, dataset.shape);
  progress({ generation: g, phase: 'train', within: 0 });
  const trainStart = performance.now();
  let lastReport = 0;
  const fit = await model.fit(training.data, {
    seed: deriveSeed(config.seed, 'fit', g),
    generation: g,
    signal,
    evalData: dataset.test,
    onProgress: (p: FitProgress) => {
      const now = Date.now();
      if (now - lastReport < 200 && !(p.batch === p.batches)) return;
      lastReport = now;
      const within = (p.epoch - 1 + p.batch / p.batches) / p.epochs;
      progress({
        generation: g,
        phase: 'train',
        epoch: p.epoch,
        epochs: p.epochs,
        batch: p.batch,
        batches: p.batches,
        loss: p.loss,
        within: TRAIN_SHARE * within,
      });
    },
  });
  const trainSeconds = secondsSince(trainStart);
  throwIfAborted(signal);

  progress({ generation: g, phase: 'sample', within: TRAIN_SHARE });
  const sampleStart = performance.now();
  const candidates: Samples = {
    x: await model.sample(ctx.candidates, deriveSeed(config.seed, 'sample', g)),
    n: ctx.candidates,
    dim: real.dim,
  };
  // a class-conditional model's candidates carry their class (config model.perClass)
  const candidateLabels = model.sampleLabels?.(ctx.candidates);
  if (candidateLabels) candidates.labels = candidateLabels;
  const sampleSeconds = secondsSince(sampleStart);
  throwIfAborted(signal);
  const testNll = ctx.metricComputations.has('testNll') ? modelTestNll(model, ctx.dataset.test, config.metrics.maxSamples) : undefined;
  const modelTrace = {
    ...modelVarianceTrace(model, candidates),
    ...modelMoments(model, ctx.dataset.truth),
    ...(testNll !== undefined ? { modelTestNll: testNll } : {}),
  };

  progress({ generation: g, phase: 'select', within: 0.9 });
  const selection = await ctx.selector.select(candidates, {
    keep: ctx.keep,
    seed: deriveSeed(config.seed, 'select', g),
    classes: candidateLabels,
    signal,
  });
  const keptG = takeRows(candidates, selection.selected);
  throwIfAborted(signal);
  return { model, fit, training, candidates, selection, keptG, modelTrace, trainSeconds, sampleSeconds };
}

/**
 * A generation that is already committed (its metrics line written) but whose files the run's storage mode did not
 * keep: trained, sampled and selected again in memory, without metrics or writes, to rebuild what the next
 * generation needs (the kept samples, the warm-started model). Its random streams are the generation's own, so the
 * rebuilt state is the one the uninterrupted run had.
 */
export async function replayGeneration(
  ctx: RunContext,
  g: number,
  progress: (p: GenerationProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  const { model, keptG } = await produceGeneration(ctx, g, progress, signal);
  ctx.kept[g] = keptG;
  advanceModel(ctx, model);
}

/**
 * A generation trained, sampled, selected and written, waiting for its metrics (its commit point): what its metrics
 * line records besides them, the input of its metrics, and its model (the next generation's start when the model
 * warm-starts; released by advanceModel once nothing reads it).
 */
export interface PreparedGeneration {
  generation: number;
  /** When the generation started (performance.now()): its line's `seconds` run from here to the line. */
  startedAt: number;
  keptG: Samples;
  model: GenerativeModel;
  /** What computeGenerationMetrics is given for this generation (its `model` is this generation's model). */
  metricsInput: GenerationMetricsInput;
  /** The line's parts known before the metrics, kept apart so that commitGeneration writes them in the line's order. */
  trained: { trainLoss: number; epochLosses: number[]; trainSize: number; realInTraining: number; syntheticInTraining: number };
  varianceTrace: number;
  modelTrace: Partial<MetricsLine>;
  diagnostics: Partial<MetricsLine>;
  described: Partial<MetricsLine>;
  selection: MetricsLine['selection'];
  islandBytesSent: number[];
  seconds: { trainSeconds: number; sampleSeconds: number; selectionSeconds: number; writeSeconds: number };
}

/**
 * One generation: train on the paradigm's training set, draw the candidates, select, write, measure; the metrics
 * line (the commit point) last. Each stage's wall time is recorded (stageSecondsKeys in main/contract/run-record.ts).
 * Every random stream derives from (seed, stage, generation), so a resumed run reproduces an uninterrupted one.
 * The metrics are computed in this thread; a run whose metrics overlap the next generation's training takes the
 * three steps itself (main/loop/run-experiment.ts).
 */
export async function runGeneration(
  ctx: RunContext,
  g: number,
  progress: (p: GenerationProgress) => void,
  signal?: AbortSignal,
): Promise<MetricsLine> {
  const prepared = await prepareGeneration(ctx, g, progress, signal);
  progress({ generation: g, phase: 'metrics', within: 0.97 });
  const measured = await computeGenerationMetrics(prepared.metricsInput);
  advanceModel(ctx, prepared.model);
  return commitGeneration(ctx, prepared, measured);
}

/** What every generation's metrics are given besides its samples, its model and its seed. */
export function runMetricsInput(ctx: RunContext): Omit<GenerationMetricsInput, 'generated' | 'model' | 'seed'> {
  const { config, dataset } = ctx;
  return {
    test: dataset.test,
    shape: dataset.shape,
    numClasses: dataset.numClasses,
    datasetName: config.dataset.kind,
    features: ctx.metricFeatures,
    k: config.metrics.k,
    maxSamples: config.metrics.maxSamples,
    downstream: config.metrics.downstream,
    downstreamReal: config.metrics.downstreamWithReal ? ctx.real : undefined,
    // a declared truth replaces the test split and the real mean as what the metrics score against
    target: dataset.truth ? undefined : ctx.realMean,
    truth: dataset.truth,
    compute: ctx.metricComputations,
  };
}

/**
 * A generation up to its metrics: trained, sampled, selected, its model's own measures and its kept samples' moments
 * taken, its files written, its kept samples in the run's history (what the next generation's training set reads).
 * Its model stays with the caller, who hands it to advanceModel once the metrics no longer read it.
 */
export async function prepareGeneration(
  ctx: RunContext,
  g: number,
  progress: (p: GenerationProgress) => void,
  signal?: AbortSignal,
): Promise<PreparedGeneration> {
  const { config } = ctx;
  const startedAt = performance.now();
  const { model, fit, training, candidates, selection, keptG, modelTrace, trainSeconds, sampleSeconds } = await produceGeneration(
    ctx,
    g,
    progress,
    signal,
  );

  ctx.modelVarianceTraces[g] = modelTrace.modelVarianceTrace;
  const moments = sampleMoments(keptG.x, keptG.n, keptG.dim);
  ctx.varianceTraces[g] = moments.varianceTrace;
  const metricsInput: GenerationMetricsInput = {
    ...runMetricsInput(ctx),
    generated: keptG,
    ...(selection.keptFeatures ? { generatedFeatures: selection.keptFeatures } : {}),
    model: model.logDensity ? { logDensity: (x, n) => model.logDensity!(x, n), sample: (n, seed) => model.sample(n, seed) } : undefined,
    seed: deriveSeed(config.seed, 'metrics', g),
    generatedMoments: moments,
  };
  // what the model says of its kept samples, and the selection's per-class covariance gap (class-conditional pools)
  const described: Partial<MetricsLine> = {
    ...(model.describeSamples ? model.describeSamples(keptG.x, keptG.n) : {}),
    ...(selection.classCovarianceGap !== undefined ? { classCovarianceGap: selection.classCovarianceGap } : {}),
  };

  progress({ generation: g, phase: 'write', within: 0.95 });
  const writeStart = performance.now();
  await writeGenerationFiles(ctx, g, model, candidates, selection.selected, keptG);
  const writeSeconds = secondsSince(writeStart);
  ctx.kept[g] = keptG;
  return {
    generation: g,
    startedAt,
    keptG,
    model,
    metricsInput,
    trained: {
      trainLoss: fit.epochLosses[fit.epochLosses.length - 1],
      epochLosses: fit.epochLosses,
      trainSize: training.data.n,
      realInTraining: training.realCount,
      syntheticInTraining: training.syntheticCount,
    },
    varianceTrace: moments.varianceTrace,
    modelTrace,
    diagnostics: fit.diagnostics ?? {},
    described,
    selection: selection.diagnostics,
    islandBytesSent: selection.islandBytesSent,
    seconds: { trainSeconds, sampleSeconds, selectionSeconds: selection.seconds, writeSeconds },
  };
}

/**
 * A generation's commit: its metrics line, appended after every earlier generation's (the caller keeps that order),
 * then the status's note of it. The line's fields keep the order lines have always had.
 */
export function commitGeneration(
  ctx: RunContext,
  prepared: Omit<PreparedGeneration, 'model' | 'metricsInput'>,
  measured: GenerationMetrics,
): MetricsLine {
  const { config, dataset } = ctx;
  const { generation: g, keptG, trained, islandBytesSent, seconds } = prepared;
  // TV to the truth beyond generation 0's (the model of the real data alone), paired within the run
  const tvFirst = g === 0 ? measured.tvToTruth : measured.tvToTruth !== undefined ? ctx.sink.readMetrics()[0]?.tvToTruth : undefined;
  const metrics: MetricsLine = {
    generation: g,
    ...trained,
    candidates: ctx.candidates,
    kept: keptG.n,
    varianceTrace: prepared.varianceTrace,
    ...prepared.modelTrace,
    ...measured,
    metricsSeconds: measured.seconds,
    ...(measured.tvToTruth !== undefined && typeof tvFirst === 'number' ? { tvToTruthRise: measured.tvToTruth - tvFirst } : {}),
    ...(measured.classHistogram === undefined && dataset.numClasses > 0 && ctx.metricComputations.has('classes')
      ? { ...ctx.nearestCentroid().classMetrics(keptG.x, keptG.n), classifier: 'nearest-centroid' as const }
      : {}),
    ...powerLawMetrics(ctx.modelVarianceTraces.slice(0, g + 1), config.metrics.psiFromT),
    ...prepared.diagnostics,
    ...prepared.described,
    selection: prepared.selection,
    trainSeconds: seconds.trainSeconds,
    sampleSeconds: seconds.sampleSeconds,
    selectionSeconds: seconds.selectionSeconds, // the candidates' features included
    islandBytesSent,
    islandBytesSentTotal: islandBytesSent.reduce((a, b) => a + b, 0),
  };

  const discounted = discountedScoreError(ctx, g, metrics.scoreErrorL2, trained.realInTraining, trained.trainSize);
  if (discounted !== undefined) metrics.scoreErrorDiscounted = discounted;
  metrics.writeSeconds = seconds.writeSeconds;
  metrics.seconds = secondsSince(prepared.startedAt);
  ctx.sink.appendMetrics(metrics);
  const now = performance.now();
  if (g === config.loop.generations - 1 || now - ctx.statusNotedAt >= STATUS_NOTE_MS) {
    ctx.sink.updateStatus({ lastGeneration: g }, { durable: false });
    ctx.statusNotedAt = now;
  }
  return metrics;
}

/**
 * Khelifa, Turner & Venkataramanan's discounted score-error energy (arXiv 2602.16601): B_g = ε²_g + (1 − α_g)²·B_{g−1},
 * B_{−1} = 0, with ε²_g this generation's score-error energy (scoreErrorL2) and α_g the real share of its training set
 * (fresh data forgets a past error's drift by (1 − α) per generation, its χ² by (1 − α)²): the sum of past energies
 * discounted by (1 − α)^{2m}, to which their accumulated divergence χ²(p̂_g ‖ p_data) is proportional when the
 * generations' errors are independent. Undefined without a score error, or when the previous generation lacks it.
 */
function discountedScoreError(ctx: RunContext, g: number, energy: unknown, realCount: number, trainSize: number): number | undefined {
  if (typeof energy !== 'number' || !Number.isFinite(energy)) return undefined;
  const alpha = trainSize > 0 ? realCount / trainSize : 0;
  const previous = g === 0 ? 0 : ctx.sink.readMetrics().find((l) => l.generation === g - 1)?.scoreErrorDiscounted;
  if (typeof previous !== 'number') return undefined;
  return energy + (1 - alpha) ** 2 * previous;
}

/** The model the next generation continues from, when the model warm-starts; else this one is done. */
export function advanceModel(ctx: RunContext, model: GenerativeModel): void {
  if (ctx.warmStart) {
    if (ctx.previousModel !== model) ctx.previousModel?.dispose();
    ctx.previousModel = model;
  } else {
    model.dispose();
  }
}

/** The generation's pictures, kept samples and model; the metrics line is written after them. */
async function writeGenerationFiles(
  ctx: RunContext,
  g: number,
  model: GenerativeModel,
  candidates: Samples,
  selected: Int32Array,
  keptG: Samples,
): Promise<void> {
  const { sink, config, dataset } = ctx;
  const generations = config.loop.generations;
  if (!keepsGeneration(ctx.storage, g, generations)) return;
  makeFolderIn(sink.generationDir(g));
  if (ctx.storage.kind === 'metrics') {
    // the last generation's samples only: the data the run ends with
    await writeKept(sink, g, keptG);
    return;
  }
  writeGrid(sink, `${genName(g)}/samples.png`, keptG, dataset, config.gridSamples);
  // the selection's decision: a sample of the candidates it did not keep, when it rejected any
  const rejected = !schemeEntry(config.selection.scheme).decides
    ? []
    : rejectedRows(candidates.n, selected, isImageShape(dataset.shape) ? config.gridSamples : SCATTER_POINTS);
  if (rejected.length > 0) writeGrid(sink, `${genName(g)}/rejected.png`, takeRows(candidates, rejected), dataset, config.gridSamples);
  await writeKept(sink, g, keptG);
  makeFolderIn(sink.file(genName(g), 'model'));
  await model.save(sink.file(genName(g), 'model'));
}

/**
 * ψ of the fitted model's Tr(Σ̄_t) ~ t^(−ψ) (t = generation + 1) over t ∈ [fromT, generation + 1] (the run's
 * metrics.psiFromT, default 10: main/shared/psi.ts), with its standard error; nothing until the window has 3 points,
 * or when a trace in it is not positive.
 */
function powerLawMetrics(
  traces: (number | undefined)[],
  fromT: number | undefined,
): Pick<MetricsLine, 'powerLawPsi' | 'powerLawPsiStderr'> {
  const gens: number[] = [];
  const values: number[] = [];
  traces.forEach((v, g) => {
    if (v !== undefined) {
      gens.push(g);
      values.push(v);
    }
  });
  const fit = fitPowerLawWindow(gens, values, psiFromGeneration(fromT));
  return fit ? { powerLawPsi: fit.psi, powerLawPsiStderr: fit.stderr } : {};
}

function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
