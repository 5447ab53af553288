import fs from 'node:fs';
import type { ExperimentConfig } from '../contract/config';
import type { RunPhase } from '../contract/events';
import type { IslandsRecord, MetricsLine } from '../contract/run-record';
import { parseParadigm } from '../contract/paradigm';
import { loadDataset } from '../data/load-dataset';
import { readNpyAsFloat32, writeNpy } from '../data/npy';
import { encodeSampleGrid, encodeScatterPng } from '../data/png';
import { isImageShape, takeRows, type Dataset, type Samples } from '../data/samples';
import type { IslandChannel } from '../islands/island-channel';
import { datasetSeed, islandPictureRows } from '../islands/preview-split';
import { splitIslands } from '../islands/split-islands';
import { startIslands } from '../islands/start-islands';
import { parseFeatureSpace } from '../metrics/feature-space';
import { computeGenerationMetrics } from '../metrics/generation-metrics';
import { NearestCentroid } from '../metrics/nearest-centroid';
import { fitPowerLaw } from '../metrics/power-law';
import { defaultFeatureSpec } from '../metrics/reference-dir';
import { sampleMoments } from '../metrics/sample-moments';
import type { FitProgress, GenerativeModel } from '../models/generative-model';
import { throwIfAborted } from '../models/generative-model';
import { createModel, loadModel } from '../models/registry';
import type { RunFolder } from '../runs/run-folder';
import { selectionFeatures } from '../selection/feature-space';
import { getScheme } from '../selection/registry';
import { writeFileAtomicSync } from '../util/atomic-write';
import { deriveSeed, rngFor } from '../util/random';
import { buildTrainingSet } from './training-set';

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

/** Share of a generation's time spent training, for the progress fraction (the rest: sampling, selection, metrics). */
const TRAIN_SHARE = 0.85;

/**
 * The generation loop. Reads the run's config from its folder, continues after the last completed generation (so a
 * fresh run and a resumed one are the same call), and writes each generation's files before its metrics line, the
 * commit point. Every random stream derives from (seed, stage, generation), so a resumed run reproduces exactly
 * what an uninterrupted one would.
 */
export async function runExperiment(folder: RunFolder, hooks: ExperimentHooks = {}): Promise<void> {
  const config = folder.readConfig();
  const G = config.loop.generations;
  const log = (m: string) => hooks.onLog?.(m);
  const progress = (p: Omit<ExperimentProgress, 'generations'>) => hooks.onProgress?.({ ...p, generations: G });

  folder.discardUnfinished();
  const start = folder.lastCompletedGeneration() + 1;
  if (start >= G) return;

  progress({ generation: start, phase: 'load', fraction: start / G });
  const dataset = await loadDataset(config.dataset, datasetSeed(config.seed));
  throwIfAborted(hooks.signal);

  progress({ generation: start, phase: 'split', fraction: start / G });
  const split = splitIslands(dataset.train, dataset.numClasses, config.islands.count, config.islands.split, config.seed);
  const islandData = split.indices.map((idx) => takeRows(dataset.train, idx));
  // island agents in worker threads; the selector reaches them only through their channels
  const islands = startIslands(islandData, dataset.numClasses);
  try {
    const channels: IslandChannel[] = islands.channels;
    const features = selectionFeatures(config.selection.features ?? defaultFeatures(config.dataset.kind, dataset), channels, {
      scheme: config.selection.scheme,
      datasetName: dataset.name,
    });
    if (start === 0) writeIslands(folder, config, dataset, split.summary, islandData);

    // the islands' union is the real training data (every sample is on exactly one island)
    const real = dataset.train;
    // the fallback class histogram for labelled data without a reference classifier; fitted only when needed
    let fallbackClassifier: NearestCentroid | null = null;
    const nearestCentroid = () => (fallbackClassifier ??= NearestCentroid.fit(real, dataset.numClasses));
    const realMean = sampleMoments(real.x, real.n, real.dim).mean;

    const kept: Samples[] = [];
    for (let g = 0; g < start; g++) kept.push(readKept(folder, g, real.dim));

    const paradigm = parseParadigm(config.loop.paradigm);
    const scheme = getScheme(config.selection.scheme);
    const keepN = config.loop.keep;
    const candidatesN = Math.round(config.loop.ratio * keepN);
    const generationSeconds: number[] = [];
    const metricFeatures = parseFeatureSpace(config.metrics.features ?? defaultFeatures(config.dataset.kind, dataset));
    const varianceTraces: number[] = [];
    for (let g = 0; g < start; g++) varianceTraces.push(sampleMoments(kept[g].x, kept[g].n, kept[g].dim).varianceTrace);
    let previousModel: GenerativeModel | null = null;
    if (start > 0 && usesWarmStart(config)) previousModel = await loadModel(folder.file(genName(start - 1), 'model'));

    for (let g = start; g < G; g++) {
      const t0 = Date.now();
      const eta = (genFraction: number) => {
        if (generationSeconds.length === 0) return undefined;
        const mean = generationSeconds.reduce((a, b) => a + b, 0) / generationSeconds.length;
        return mean * (G - g - genFraction);
      };

      const training = buildTrainingSet({
        paradigm,
        generation: g,
        real,
        kept,
        trainSize: config.loop.trainSize,
        rng: rngFor(config.seed, 'training-set', g),
      });
      const model: GenerativeModel = previousModel ?? createModel(config.model, dataset.shape);
      progress({ generation: g, phase: 'train', fraction: g / G, etaSeconds: eta(0) });
      let lastReport = 0;
      const fit = await model.fit(training.data, {
        seed: deriveSeed(config.seed, 'fit', g),
        generation: g,
        signal: hooks.signal,
        evalData: dataset.test,
        onProgress: (p: FitProgress) => {
          const now = Date.now();
          if (now - lastReport < 200 && !(p.batch === p.batches)) return;
          lastReport = now;
          const within = ((p.epoch - 1) + p.batch / p.batches) / p.epochs;
          progress({
            generation: g,
            phase: 'train',
            epoch: p.epoch,
            epochs: p.epochs,
            batch: p.batch,
            batches: p.batches,
            loss: p.loss,
            fraction: (g + TRAIN_SHARE * within) / G,
            etaSeconds: eta(TRAIN_SHARE * within),
          });
        },
      });
      throwIfAborted(hooks.signal);

      progress({ generation: g, phase: 'sample', fraction: (g + TRAIN_SHARE) / G, etaSeconds: eta(TRAIN_SHARE) });
      const candidates: Samples = {
        x: await model.sample(candidatesN, deriveSeed(config.seed, 'sample', g)),
        n: candidatesN,
        dim: real.dim,
      };
      throwIfAborted(hooks.signal);

      progress({ generation: g, phase: 'select', fraction: (g + 0.9) / G, etaSeconds: eta(0.9) });
      for (const c of channels) c.resetCounters();
      const selectStart = performance.now();
      const selection = await scheme.select({
        ...(await features.view(candidates)),
        keep: keepN,
        islands: channels,
        reference: config.selection.reference,
        verifier: config.selection.verifier,
        seed: deriveSeed(config.seed, 'select', g),
        runSeed: config.seed,
        params: config.selection.params,
        signal: hooks.signal,
      });
      const selectionSeconds = (performance.now() - selectStart) / 1000; // features of the candidates included
      const keptG = takeRows(candidates, selection.selected);
      throwIfAborted(hooks.signal);

      progress({ generation: g, phase: 'metrics', fraction: (g + 0.95) / G, etaSeconds: eta(0.95) });
      const moments = sampleMoments(keptG.x, keptG.n, keptG.dim);
      varianceTraces.push(moments.varianceTrace);
      const measured = await computeGenerationMetrics({
        generated: keptG,
        test: dataset.test,
        shape: dataset.shape,
        numClasses: dataset.numClasses,
        datasetName: config.dataset.kind,
        features: metricFeatures,
        k: config.metrics.k,
        maxSamples: config.metrics.maxSamples,
        downstream: config.metrics.downstream,
        target: realMean,
        seed: deriveSeed(config.seed, 'metrics', g),
      });
      const islandBytesSent = channels.map((c) => c.bytesSent);
      const metrics: MetricsLine = {
        generation: g,
        trainLoss: fit.epochLosses[fit.epochLosses.length - 1],
        epochLosses: fit.epochLosses,
        trainSize: training.data.n,
        realInTraining: training.realCount,
        syntheticInTraining: training.syntheticCount,
        candidates: candidatesN,
        kept: keptG.n,
        varianceTrace: moments.varianceTrace,
        ...measured,
        metricsSeconds: measured.seconds,
        ...(measured.classHistogram === undefined && dataset.numClasses > 0
          ? { ...nearestCentroid().classMetrics(keptG.x, keptG.n), classifier: 'nearest-centroid' as const }
          : {}),
        ...powerLawMetrics(varianceTraces),
        ...(fit.diagnostics ?? {}),
        ...(model.describeSamples ? model.describeSamples(keptG.x, keptG.n) : {}),
        selection: { features: features.spec, ...selection.diagnostics },
        selectionSeconds,
        islandBytesSent,
        islandBytesSentTotal: islandBytesSent.reduce((a, b) => a + b, 0),
      };

      progress({ generation: g, phase: 'write', fraction: (g + 0.98) / G, etaSeconds: eta(0.98) });
      const dir = folder.generationDir(g);
      fs.mkdirSync(dir, { recursive: true });
      writeGrid(folder, `${genName(g)}/samples.png`, keptG, dataset, config.gridSamples);
      // the selection's decision: a sample of the candidates it did not keep, when it rejected any
      // (scheme none decides nothing: its extra candidates are merely unused)
      const rejected =
        config.selection.scheme === 'none'
          ? []
          : rejectedRows(candidatesN, selection.selected, isImageShape(dataset.shape) ? config.gridSamples : SCATTER_POINTS);
      if (rejected.length > 0) writeGrid(folder, `${genName(g)}/rejected.png`, takeRows(candidates, rejected), dataset, config.gridSamples);
      await writeNpy(folder.file(genName(g), 'kept.npy'), keptG.x, [keptG.n, keptG.dim]);
      fs.mkdirSync(folder.file(genName(g), 'model'), { recursive: true });
      await model.save(folder.file(genName(g), 'model'));
      const seconds = (Date.now() - t0) / 1000;
      metrics.seconds = seconds;
      folder.appendMetrics(metrics);
      folder.updateStatus({ lastGeneration: g });
      kept.push(keptG);
      hooks.onGeneration?.(g, metrics);
      log(`generation ${g} done in ${seconds.toFixed(1)} s: loss ${fmt(metrics.trainLoss)}, Tr(Σ) ${fmt(moments.varianceTrace)}`);
      generationSeconds.push(seconds);

      if (usesWarmStart(config)) {
        previousModel?.dispose();
        previousModel = model;
      } else {
        model.dispose();
      }
    }
    previousModel?.dispose();
  } finally {
    // island workers end with the run, also when it fails or is cancelled
    await islands.close();
  }
  progress({ generation: G - 1, phase: 'write', fraction: 1, etaSeconds: 0 });
}

function usesWarmStart(config: ExperimentConfig): boolean {
  return (config.model.params as { warmStart?: boolean }).warmStart === true;
}

export function genName(g: number): string {
  return `gen-${String(g).padStart(3, '0')}`;
}

function readKept(folder: RunFolder, g: number, dim: number): Samples {
  const p = folder.file(genName(g), 'kept.npy');
  const { shape, data } = readNpyAsFloat32(p);
  if (shape.length !== 2 || shape[1] !== dim) {
    throw new Error(`${p}: expected kept samples of shape [n, ${dim}], found [${shape.join(', ')}]`);
  }
  return { x: data, n: shape[0], dim };
}

function defaultFeatures(kind: string, dataset: Dataset): string {
  return defaultFeatureSpec(kind, isImageShape(dataset.shape));
}

/** ψ of Tr(Σ_t) ~ t^(−ψ) over the generations so far (t = generation + 1), with its standard error. */
function powerLawMetrics(traces: number[]): Pick<MetricsLine, 'powerLawPsi' | 'powerLawPsiStderr'> {
  if (traces.length < 3 || traces.some((v) => !(v > 0))) return {};
  const fit = fitPowerLaw(traces.map((_, i) => i + 1), traces);
  return { powerLawPsi: fit.psi, powerLawPsiStderr: fit.stderr };
}

/** Most points drawn in a vector dataset's scatter grid (samples and reference each). */
const SCATTER_POINTS = 2000;

/**
 * The rows of a generation's rejected grid: the first `count` candidates (in candidate order, itself a random draw of
 * the model) that the selection did not keep. Deterministic, and it draws no random numbers, so nothing else changes.
 */
export function rejectedRows(candidates: number, selected: ArrayLike<number>, count: number): number[] {
  const kept = new Uint8Array(candidates);
  for (let i = 0; i < selected.length; i++) kept[selected[i]] = 1;
  const out: number[] = [];
  for (let r = 0; r < candidates && out.length < count; r++) if (!kept[r]) out.push(r);
  return out;
}

function writeGrid(folder: RunFolder, name: string, s: Samples, dataset: Dataset, count: number): void {
  const n = Math.min(count, s.n);
  const png = isImageShape(dataset.shape)
    ? encodeSampleGrid(s.x, n, dataset.shape)
    : encodeScatterPng(s.x, Math.min(s.n, SCATTER_POINTS), s.dim, {
        reference: { x: dataset.test.x, n: Math.min(dataset.test.n, SCATTER_POINTS) },
      });
  writeFileAtomicSync(folder.file(name), png);
}

function writeIslands(
  folder: RunFolder,
  config: ExperimentConfig,
  dataset: Dataset,
  summary: { size: number; classCounts: number[] }[],
  islandData: Samples[],
): void {
  const record: IslandsRecord = {
    split: config.islands.split,
    numClasses: dataset.numClasses,
    classNames: dataset.classNames ?? null,
    islands: summary,
  };
  folder.writeIslands(record);
  fs.mkdirSync(folder.file('islands'), { recursive: true });
  // each island as drawn: a seeded sample of its rows (the split preview's picture), not its first rows
  const count = isImageShape(dataset.shape) ? config.gridSamples : SCATTER_POINTS;
  islandData.forEach((d, k) => {
    const rows = islandPictureRows(d.n, count, config.seed, k);
    writeGrid(folder, `islands/island-${String(k).padStart(2, '0')}.png`, takeRows(d, rows), dataset, config.gridSamples);
  });
}

function fmt(v: unknown): string {
  return typeof v === 'number' ? v.toPrecision(4) : String(v);
}
