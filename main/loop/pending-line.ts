import fs from 'node:fs';
import type { MetricsLine } from '../contract/run-record';
import { computeGenerationMetrics } from '../metrics/generation-metrics';
import type { GenerativeModel } from '../models/generative-model';
import { loadModel } from '../models/registry';
import { writeFileAtomicSync } from '../util/atomic-write';
import { deriveSeed } from '../util/random';
import { genName, readKept } from './generation-files';
import { advanceModel, commitGeneration, runMetricsInput, type PreparedGeneration, type RunContext } from './generation-step';
import { PENDING_LINE_FILE, type RunSink } from './run-sink';

/**
 * A generation's pending line: what its metrics line records besides its metrics (PreparedGeneration less its samples,
 * model and metrics input, which its files hold), written in its folder (PENDING_LINE_FILE) once its files are, by a
 * run whose metrics overlap the next generation's training. A kill while its metrics are in flight (the next
 * generation training) then loses only the generation in training: the resumed run computes the metrics from the
 * kept samples with the generation's seed and commits the same line (commitPendingGeneration). Not synced: a killed
 * process leaves the page cache; after a machine crash the files may be gone, and the generation is trained again.
 */
export type PendingLine = Omit<PreparedGeneration, 'startedAt' | 'keptG' | 'model' | 'metricsInput'> & {
  /** Seconds from the generation's start to its pending line: its line's `seconds` continue from them. */
  preparedSeconds: number;
};

export function writePendingLine(sink: RunSink, prepared: PreparedGeneration): void {
  const { startedAt: _startedAt, keptG: _keptG, model: _model, metricsInput: _metricsInput, ...line } = prepared;
  const pending: PendingLine = { ...line, preparedSeconds: (performance.now() - prepared.startedAt) / 1000 };
  writeFileAtomicSync(sink.file(genName(prepared.generation), PENDING_LINE_FILE), JSON.stringify(pending), { durable: false });
}

/** Generation g's pending line, or null when there is none or it is not one (then the generation is trained again). */
export function readPendingLine(sink: RunSink, g: number): PendingLine | null {
  let pending: unknown;
  try {
    pending = JSON.parse(fs.readFileSync(sink.file(genName(g), PENDING_LINE_FILE), 'utf8'));
  } catch {
    return null;
  }
  const p = pending as Partial<PendingLine> | null;
  const isObject = (v: unknown) => typeof v === 'object' && v !== null;
  const ok =
    isObject(p) &&
    p!.generation === g &&
    isObject(p!.trained) &&
    isObject(p!.modelTrace) &&
    isObject(p!.diagnostics) &&
    isObject(p!.described) &&
    isObject(p!.seconds) &&
    Array.isArray(p!.islandBytesSent) &&
    typeof p!.preparedSeconds === 'number';
  return ok ? (p as PendingLine) : null;
}

/** Removes generation g's pending line, once its metrics line is committed (no error when there is none). */
export function removePendingLine(sink: RunSink, g: number): void {
  fs.rmSync(sink.file(genName(g), PENDING_LINE_FILE), { force: true });
}

/**
 * Generation g (the first without a line) committed from its files and its pending line: its kept samples read back,
 * its metrics computed in this thread with its seed (the function the metrics thread computes; such a run's metrics
 * never read the model), its line appended as the uninterrupted run appended it, and the run's state (kept samples,
 * variance traces, the model the next generation continues from) advanced to it. Null, with g's folder removed, when
 * its files cannot be read (a machine crash): the caller trains g again.
 */
export async function commitPendingGeneration(ctx: RunContext, g: number, pending: PendingLine): Promise<MetricsLine | null> {
  const { sink, config } = ctx;
  let keptG;
  let model: GenerativeModel | null = null;
  try {
    keptG = readKept(sink, g, ctx.real.dim);
    if (ctx.warmStart && g < config.loop.generations - 1) model = await loadModel(sink.file(genName(g), 'model'));
  } catch {
    fs.rmSync(sink.generationDir(g), { recursive: true, force: true });
    return null;
  }
  const { preparedSeconds, ...line } = pending;
  const startedAt = performance.now() - preparedSeconds * 1000;
  const measured = await computeGenerationMetrics({
    ...runMetricsInput(ctx),
    generated: keptG,
    seed: deriveSeed(config.seed, 'metrics', g),
  });
  ctx.kept[g] = keptG;
  // JSON wrote a NaN as null: the uninterrupted run held NaN
  ctx.varianceTraces[g] = pending.varianceTrace ?? NaN;
  const modelVarianceTrace = pending.modelTrace.modelVarianceTrace;
  ctx.modelVarianceTraces[g] = modelVarianceTrace === null ? NaN : modelVarianceTrace;
  const metrics = commitGeneration(ctx, { ...line, startedAt, keptG }, measured);
  removePendingLine(sink, g);
  if (model) advanceModel(ctx, model);
  return metrics;
}
