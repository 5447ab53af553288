import type { RunPhase } from '../contract/events';
import { parseFeatureSpaceSpec, type FeatureSpaceSpec } from '../contract/feature-space-spec';
import type { MetricsLine } from '../contract/run-record';
import { parseParadigm } from '../contract/paradigm';
import { isImageShape, takeRows, type Dataset } from '../data/samples';
import { loadRunIslands } from '../islands/preview-split';
import type { IslandChannel } from '../islands/island-channel';
import { startIslands } from '../islands/start-islands';
import { NearestCentroid } from '../metrics/nearest-centroid';
import { defaultFeatureSpec } from '../metrics/reference-dir';
import { sampleMoments } from '../metrics/sample-moments';
import { modelWarmStarts } from '../models/catalog';
import { throwIfAborted } from '../models/generative-model';
import { loadModel } from '../models/registry';
import { candidateSelector } from '../selection/select-candidates';
import type { ExperimentConfig } from '../contract/config';
import { genName, readKept, writeIslands } from './generation-files';
import { runGeneration, type RunContext } from './generation-step';
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
  const start = sink.lastCompletedGeneration() + 1;
  if (start >= G) return;

  report({ generation: start, phase: 'load', fraction: start / G });
  const { ds: dataset, split } = await loadRunIslands(config);
  throwIfAborted(hooks.signal);
  report({ generation: start, phase: 'split', fraction: start / G });
  const islandData = split.indices.map((idx) => takeRows(dataset.train, idx));
  // island agents in worker threads; the selector reaches them only through their channels
  const islands = startIslands(islandData, dataset.numClasses);
  try {
    if (start === 0) writeIslands(sink, config, dataset, split.summary, islandData);
    const ctx = await runContext(sink, config, dataset, islands.channels, start);
    const generationSeconds: number[] = [];
    for (let g = start; g < G; g++) {
      const eta = (within: number) => {
        if (generationSeconds.length === 0) return undefined;
        const mean = generationSeconds.reduce((a, b) => a + b, 0) / generationSeconds.length;
        return mean * (G - g - within);
      };
      const metrics = await runGeneration(
        ctx,
        g,
        ({ within, ...p }) => report({ ...p, fraction: (g + within) / G, etaSeconds: eta(within) }),
        hooks.signal,
      );
      hooks.onGeneration?.(g, metrics);
      log(`generation ${g} done in ${fmt(metrics.seconds)} s: loss ${fmt(metrics.trainLoss)}, Tr(Σ) ${fmt(metrics.varianceTrace)}`);
      generationSeconds.push(metrics.seconds ?? 0);
    }
    ctx.previousModel?.dispose();
  } finally {
    // island workers end with the run, also when it fails or is cancelled
    await islands.close();
  }
  report({ generation: G - 1, phase: 'write', fraction: 1, etaSeconds: 0 });
}

/** What the generations share, with the history of the generations already completed (a resumed run). */
async function runContext(
  sink: RunSink,
  config: ExperimentConfig,
  dataset: Dataset,
  channels: IslandChannel[],
  start: number,
): Promise<RunContext> {
  const real = dataset.train;
  let fallbackClassifier: NearestCentroid | null = null;
  const kept = Array.from({ length: start }, (_, g) => readKept(sink, g, real.dim));
  // a resumed run's Tr(Σ̄) history, from its metrics lines (lines of runs older than the metric lack it)
  const earlier = start > 0 ? sink.readMetrics() : [];
  const modelVarianceTraces = Array.from(
    { length: start },
    (_, g) => earlier.find((l) => l.generation === g)?.modelVarianceTrace ?? undefined,
  );
  const warmStart = modelWarmStarts(config.model);
  return {
    sink,
    config,
    dataset,
    real,
    selector: candidateSelector({
      selection: config.selection,
      islands: channels,
      datasetName: dataset.name,
      defaultFeatures: defaultFeatures(config.dataset.kind, dataset),
      runSeed: config.seed,
      dataset: config.dataset,
    }),
    paradigm: parseParadigm(config.loop.paradigm),
    keep: config.loop.keep,
    candidates: Math.round(config.loop.ratio * config.loop.keep),
    metricFeatures: parseFeatureSpaceSpec(config.metrics.features ?? defaultFeatures(config.dataset.kind, dataset), 'metrics.features'),
    realMean: sampleMoments(real.x, real.n, real.dim).mean,
    kept,
    varianceTraces: kept.map((k) => sampleMoments(k.x, k.n, k.dim).varianceTrace),
    modelVarianceTraces,
    nearestCentroid: () => (fallbackClassifier ??= NearestCentroid.fit(real, dataset.numClasses)),
    previousModel: start > 0 && warmStart ? await loadModel(sink.file(genName(start - 1), 'model')) : null,
    warmStart,
  };
}

function defaultFeatures(kind: string, dataset: Dataset): FeatureSpaceSpec {
  return defaultFeatureSpec(kind, isImageShape(dataset.shape));
}

function fmt(v: unknown): string {
  return typeof v === 'number' ? v.toPrecision(4) : String(v);
}
