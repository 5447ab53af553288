import type { RunPhase } from '../contract/events';
import { parseFeatureSpaceSpec, type FeatureSpaceSpec } from '../contract/feature-space-spec';
import type { MetricsLine } from '../contract/run-record';
import { selectedComputations } from '../contract/metric-selection';
import { paradigmEntry, parseParadigm } from '../contract/paradigm';
import { candidateCount } from '../contract/run-plan';
import { isImageShape, takeRows, type Dataset } from '../data/samples';
import { loadRunIslands } from '../islands/preview-split';
import type { IslandChannel } from '../islands/island-channel';
import { startIslands } from '../islands/start-islands';
import { NearestCentroid } from '../metrics/nearest-centroid';
import { defaultFeatureSpec } from '../metrics/reference-dir';
import { sampleMoments } from '../metrics/sample-moments';
import { modelWarmStarts } from '../contract/models/catalog';
import { throwIfAborted } from '../models/generative-model';
import { loadModel } from '../models/registry';
import { candidateSelector } from '../selection/select-candidates';
import { schemeEntry } from '../contract/selection/catalog';
import type { ExperimentConfig } from '../contract/config';
import { genName, readKept, writeIslands } from './generation-files';
import { commitPendingGeneration, readPendingLine, removePendingLine, writePendingLine } from './pending-line';
import {
  advanceModel,
  commitGeneration,
  prepareGeneration,
  replayGeneration,
  runGeneration,
  runMetricsInput,
  type GenerationProgress,
  type RunContext,
} from './generation-step';
import { MetricsThread, metricsReadModel } from '../metrics/metrics-thread';
import { deriveSeed } from '../util/random';
import { keepsGeneration, parseStorageMode, type StorageMode } from '../contract/storage-mode';
import type { Paradigm } from '../contract/paradigm';
import fs from 'node:fs';
import type { RunSink } from './run-sink';

export { genName, rejectedRows } from './generation-files';

export interface ExperimentProgress {
  generation: number;
  generations: number;
  phase: RunPhase;
  epoch?: number;
  epochs?: number;
  batch?: number;
  batches?: number;
  loss?: number;
  fraction: number;
  etaSeconds?: number;
}

export interface ExperimentHooks {
  onProgress?: (p: ExperimentProgress) => void;
  onGeneration?: (generation: number, metrics: MetricsLine) => void;
  onLog?: (message: string) => void;
  signal?: AbortSignal;
  /**
   * Compute each generation's metrics in a thread of their own, on this backend, while the next generation trains
   * (main/metrics/metrics-thread.ts; the run worker decides: metricsOverlapWanted). Ignored where the metrics read the
   * fitted model. Absent: in this thread, after the generation's training.
   */
  metricsThread?: { backend: string };
}

/**
 * The generation loop. Reads the run's config from its sink (a run folder), continues after the last completed
 * generation (so a fresh run and a resumed one are the same call), and runs the generations one by one
 * (generation-step.ts), each writing its files before its metrics line, the commit point.
 */
export async function runExperiment(sink: RunSink, hooks: ExperimentHooks = {}): Promise<void> {
  const config = sink.readConfig();
  const G = config.loop.generations;
  const log = (m: string) => hooks.onLog?.(m);
  const report = (p: Omit<ExperimentProgress, 'generations'>) => hooks.onProgress?.({ ...p, generations: G });

  sink.discardUnfinished();
  let start = sink.lastCompletedGeneration() + 1;
  if (start >= G) return;
  // a pending line whose metrics line was appended just before a kill
  if (start > 0) removePendingLine(sink, start - 1);

  report({ generation: start, phase: 'load', fraction: start / G });
  const { ds: dataset, split } = await loadRunIslands(config);
  throwIfAborted(hooks.signal);
  report({ generation: start, phase: 'split', fraction: start / G });
  const islandData = split.indices.map((idx) => takeRows(dataset.train, idx));
  // island agents in worker threads; the selector reaches them only through their channels
  // (in this thread when the scheme asks them nothing: a worker thread per run costs more than a toy run)
  const islands = startIslands(islandData, dataset.numClasses, {
    mode: schemeEntry(config.selection.scheme).usesReference ? 'workers' : 'in-process',
  });
  try {
    const storage = parseStorageMode(config.storage ?? 'all');
    // the islands' record and pictures, except where only the metrics are kept
    if (start === 0 && storage.kind !== 'metrics') writeIslands(sink, config, dataset, split.summary, islandData);
    const ctx = await runContext(sink, config, dataset, islands.channels, start, storage);
    // committed generations whose files the storage mode did not keep: rebuilt in memory (replayGeneration)
    for (let g = ctx.kept.length; g < start; g++) {
      await replayGeneration(ctx, g, ({ within, ...p }) => report({ ...p, phase: 'load', fraction: (g + within) / G }), hooks.signal);
    }
    const generationSeconds: number[] = [];
    const eta = (g: number, within: number) => {
      if (generationSeconds.length === 0) return undefined;
      const mean = generationSeconds.reduce((a, b) => a + b, 0) / generationSeconds.length;
      return mean * (G - g - within);
    };
    const progressOf =
      (g: number) =>
      ({ within, ...p }: GenerationProgress) =>
        report({ ...p, fraction: (g + within) / G, etaSeconds: eta(g, within) });
    const committed = (metrics: MetricsLine) => {
      hooks.onGeneration?.(metrics.generation, metrics);
      log(
        `generation ${metrics.generation} done in ${fmt(metrics.seconds)} s: loss ${fmt(metrics.trainLoss)}, Tr(Σ) ${fmt(metrics.varianceTrace)}`,
      );
      generationSeconds.push(metrics.seconds ?? 0);
    };
    // the generation whose metrics were in flight when the run stopped (its files and pending line written): its line
    // from them, without training it again
    const pending = readPendingLine(sink, start);
    if (pending) {
      report({ generation: start, phase: 'metrics', fraction: (start + 0.97) / G });
      const line = await commitPendingGeneration(ctx, start, pending);
      if (line) {
        log(`generation ${start}: metrics from its files (the run stopped while they were computed)`);
        committed(line);
        start++;
      }
    } else if (fs.existsSync(sink.file(genName(start)))) {
      // a pending line that could not be read: the generation is trained again
      fs.rmSync(sink.generationDir(start), { recursive: true, force: true });
    }
    const threaded = hooks.metricsThread && !metricsReadModel(config) ? hooks.metricsThread : undefined;
    if (start >= G) {
      // nothing left to train
    } else if (threaded) await overlappedGenerations(ctx, start, threaded.backend, progressOf, committed, hooks.signal);
    else for (let g = start; g < G; g++) committed(await runGeneration(ctx, g, progressOf(g), hooks.signal));
    ctx.previousModel?.dispose();
    removeUnkeptGenerations(sink, storage, G);
  } finally {
    // island workers end with the run, also when it fails or is cancelled
    await islands.close();
  }
  report({ generation: G - 1, phase: 'write', fraction: 1, etaSeconds: 0 });
}

/**
 * The generations with each one's metrics computed in the run's metrics thread (main/metrics/metrics-thread.ts) while
 * this thread trains the next one. Nothing a line records changes: the thread computes the same function of the same
 * samples and seed, and each line is appended in order, before its status note, once its metrics are in. At most one
 * generation waits for its metrics while the next one trains (the next one's metrics are sent only after that line),
 * and its pending line (main/loop/pending-line.ts) holds the rest of its line once its files are written, so a kill
 * loses only the generation in training (the resumed run makes the waiting one's line from its files, where the
 * storage mode keeps them; else it trains it again); a cancel or a failure of the generation
 * in training still commits the finished one before it, and a failure of the metrics stops the training at its next
 * batch and is the run's error.
 */
async function overlappedGenerations(
  ctx: RunContext,
  start: number,
  backend: string,
  progressOf: (g: number) => (p: GenerationProgress) => void,
  committed: (metrics: MetricsLine) => void,
  signal?: AbortSignal,
): Promise<void> {
  const G = ctx.config.loop.generations;
  const metricsFailed = new AbortController();
  const trainingSignal = signal ? AbortSignal.any([signal, metricsFailed.signal]) : metricsFailed.signal;
  const thread = new MetricsThread(backend, runMetricsInput(ctx), deriveSeed(ctx.config.seed, 'metrics', start));
  // the previous generation's commit: its metrics, then its line
  let commit: Promise<void> | null = null;
  try {
    for (let g = start; g < G; g++) {
      const prepared = await prepareGeneration(ctx, g, progressOf(g), trainingSignal);
      if (commit) await commit;
      // where its files are kept, what its line needs besides its metrics: a kill from here on loses only the next one
      if (keepsGeneration(ctx.storage, g, G)) writePendingLine(ctx.sink, prepared);
      const measuring = thread.measure(prepared.keptG, prepared.metricsInput.seed ?? 0, prepared.metricsInput.generatedFeatures);
      // the model is no longer read: the metrics that would read it stay in this thread (metricsReadModel)
      advanceModel(ctx, prepared.model);
      commit = measuring.then((measured) => {
        committed(commitGeneration(ctx, prepared, measured));
        removePendingLine(ctx.sink, g);
      });
      commit.catch(() => metricsFailed.abort());
    }
    progressOf(G - 1)({ generation: G - 1, phase: 'metrics', within: 0.97 });
    await commit;
  } catch (e) {
    // the finished generation commits before a cancel or a failure of the next one ends the run; when its metrics
    // failed, their error is the run's
    if (commit) await commit;
    throw e;
  } finally {
    await thread.close();
  }
}

/**
 * What the generations share, with the history of the generations already completed (a resumed run). The kept
 * samples and the model come from the latest generation whose files hold them (restorePoint); the committed
 * generations after it are replayed by the caller.
 */
async function runContext(
  sink: RunSink,
  config: ExperimentConfig,
  dataset: Dataset,
  channels: IslandChannel[],
  start: number,
  storage: StorageMode,
): Promise<RunContext> {
  const real = dataset.train;
  let fallbackClassifier: NearestCentroid | null = null;
  const paradigm = parseParadigm(config.loop.paradigm);
  const warmStart = modelWarmStarts(config.model);
  const from = restorePoint(sink, paradigm, warmStart, start);
  const history = readsHistory(paradigm);
  const empty = { x: new Float32Array(0), n: 0, dim: real.dim };
  // the paradigm reads every earlier generation's samples, or only the previous one's (the others stay empty)
  const kept = Array.from({ length: from + 1 }, (_, g) => (history || g === from ? readKept(sink, g, real.dim) : empty));
  // a resumed run's Tr(Σ) and Tr(Σ̄) history, from its metrics lines (lines of runs older than a metric lack it)
  const earlier = start > 0 ? sink.readMetrics() : [];
  const lineOf = (g: number) => earlier.find((l) => l.generation === g);
  const modelVarianceTraces = Array.from({ length: start }, (_, g) => lineOf(g)?.modelVarianceTrace ?? undefined);
  return {
    sink,
    config,
    dataset,
    real,
    selector: candidateSelector({
      selection: config.selection,
      islands: channels,
      datasetName: dataset.name,
      shape: dataset.shape,
      defaultFeatures: defaultFeatures(config.dataset.kind, dataset),
      runSeed: config.seed,
      dataset: config.dataset,
    }),
    paradigm,
    keep: config.loop.keep,
    candidates: candidateCount(config.loop),
    metricFeatures: parseFeatureSpaceSpec(config.metrics.features ?? defaultFeatures(config.dataset.kind, dataset), 'metrics.features'),
    metricComputations: selectedComputations(config.metrics.compute),
    realMean: sampleMoments(real.x, real.n, real.dim).mean,
    kept,
    varianceTraces: Array.from({ length: start }, (_, g) => Number(lineOf(g)?.varianceTrace)),
    modelVarianceTraces,
    nearestCentroid: () => (fallbackClassifier ??= NearestCentroid.fit(real, dataset.numClasses)),
    previousModel: from >= 0 && warmStart ? await loadModel(sink.file(genName(from), 'model')) : null,
    warmStart,
    storage,
    statusNotedAt: -Infinity,
  };
}

/** Whether a paradigm trains on every earlier generation's kept samples (the accumulating ones), not the previous only. */
function readsHistory(p: Paradigm): boolean {
  return paradigmEntry(p).readsHistory;
}

/**
 * The latest committed generation (< start) from which the loop's state loads from files: its kept samples (and every
 * earlier generation's, for an accumulating paradigm) and its model when the model warm-starts; −1 when none does
 * (the run replays from generation 0).
 */
function restorePoint(sink: RunSink, paradigm: Paradigm, warmStart: boolean, start: number): number {
  const hasKept = (g: number) => fs.existsSync(sink.file(genName(g), 'kept.npy'));
  const loadable = (g: number) => hasKept(g) && (!warmStart || fs.existsSync(sink.file(genName(g), 'model')));
  if (readsHistory(paradigm)) {
    for (let g = 0; g < start; g++) if (!hasKept(g)) return -1;
    return start === 0 || loadable(start - 1) ? start - 1 : -1;
  }
  for (let g = start - 1; g >= 0; g--) if (loadable(g)) return g;
  return -1;
}

/**
 * After the last generation: the folders of generations the storage mode does not keep (a run extended to more
 * generations leaves its former last one; metrics mode's last keeps only its samples).
 */
function removeUnkeptGenerations(sink: RunSink, storage: StorageMode, generations: number): void {
  if (storage.kind === 'all') return;
  // the generation folders there are, from one listing (a try to remove each of a run's generations cost a stat each)
  let names: string[];
  try {
    names = fs.readdirSync(sink.file());
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^gen-(\d+)$/.exec(name);
    if (!m) continue;
    const g = Number(m[1]);
    if (g < generations - 1 && genName(g) === name && !keepsGeneration(storage, g, generations)) {
      fs.rmSync(sink.generationDir(g), { recursive: true, force: true });
    }
  }
}

function defaultFeatures(kind: string, dataset: Dataset): FeatureSpaceSpec {
  return defaultFeatureSpec(kind, isImageShape(dataset.shape));
}

function fmt(v: unknown): string {
  return typeof v === 'number' ? v.toPrecision(4) : String(v);
}
