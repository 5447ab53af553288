import type { DurationEstimate } from '../contract/api';
import type { ExperimentConfig } from '../contract/config';
import { planRun } from '../contract/run-plan';
import { builtinReferenceDir } from '../metrics/reference-dir';
import type { MachineRate } from '../backend/machine-speed';
import { needsTensorflow } from '../runs/needs-tensorflow';
import { dimOf, realTrainSize, stageWork } from '../runs/stage-work';
import { modelCost } from '../contract/models/catalog';

/**
 * A wall-clock estimate of a run, for the wizard's review step, `study plan` and the presets list: every stage a run
 * spends time in, each from this machine's measured speed where there is one (main/backend/machine-speed.ts: the
 * doctor's figure, refreshed by finished runs' stage times) and else from a stated fallback:
 * - start (preflight, worker, backend, dataset, islands, end): finished runs' figure on the backend (single runs and
 *   study runs apart), else START_SECONDS or STUDY_START_SECONDS (JS_… for a run without TensorFlow.js);
 * - training: the run plan's training samples (main/contract/run-plan.ts) over the model's rate: its finished runs'
 *   on the backend, else the catalog's (its cost model, measured on a 2-core machine with wasm) times the doctor's
 *   factor, else the catalog's;
 * - sampling: the candidates over the finished runs' sampling rate, else the catalog's (times the doctor's factor);
 * - selection: the scheme's cost model, times its measured factor here;
 * - metrics: the samples measured (stageWork) times finished runs' seconds per sample on the backend and dataset
 *   kind, else METRICS_SECONDS_PER_SAMPLE (or _PLAIN without a reference classifier);
 * - the rest of a generation (training set, files): finished runs' figure, else OTHER_SECONDS_PER_GENERATION.
 * The run's own ETA (from finished generations) replaces it once a generation has finished.
 */

/** A run's seconds outside its generations where none ran here yet (the smoke preset on wasm, idle 2-core machine). */
export const START_SECONDS = 6;
/** The same for a study's run: no preflight of its own, a thread of the pool that has the engine loaded. */
export const STUDY_START_SECONDS = 2;
/** Metrics seconds per measured sample where none ran here yet: MNIST with its reference classifier (as above). */
export const METRICS_SECONDS_PER_SAMPLE = 0.001;
/** The same on data without a reference classifier (no features to extract, no downstream classifier to train). */
export const METRICS_SECONDS_PER_SAMPLE_PLAIN = 0.0001;
/** A generation's seconds outside its timed stages where none ran here yet (as above). */
export const OTHER_SECONDS_PER_GENERATION = 0.5;
/**
 * The same three for a run that starts no TensorFlow.js (a plain-JavaScript model on vector data, backend `js`):
 * measured on the project's 2-core machine, idle: a study's run of the Gaussian kind started in 0.065 s, a lone
 * run's process in about 1 s, and its generations spent 0.018 s outside their timed stages (diffusion-exact: 1.2 s,
 * which its finished runs then teach the estimate).
 */
export const JS_START_SECONDS = 1;
export const JS_STUDY_START_SECONDS = 0.1;
export const JS_OTHER_SECONDS_PER_GENERATION = 0.05;

/** With `machine` (this machine's measured speed on the backend the run would use), the stages' rates from it. */
export function estimateDuration(
  config: ExperimentConfig,
  machine: MachineRate | null = null,
  opts: { study?: boolean } = {},
): DurationEstimate {
  const known = realTrainSize(config);
  const real = known ?? 10_000;
  const dim = dimOf(config);
  const catalog = modelCost(config.model, { dim });
  // a model without a TensorFlow.js backend keeps the catalog's rates unless its own runs were timed here
  const scale = machine && catalog.onBackend !== false ? machine.factor : 1;
  const train = machine?.trainPerSecond ?? catalog.train * scale;
  const sample = machine?.generatedPerSecond ?? catalog.sample * scale;
  const plan = planRun(config.loop, real);
  // a run without TensorFlow.js (backend js): its own fallbacks for the stages outside training
  const plainJs = !needsTensorflow(config);
  const workOf = stageWork(config);
  const work = plan.trainingSets.map((s) => workOf(s.size));
  const perSample =
    machine?.metricsSecondsPerSample ??
    (builtinReferenceDir(config.dataset.kind) !== undefined ? METRICS_SECONDS_PER_SAMPLE : METRICS_SECONDS_PER_SAMPLE_PLAIN);
  const stages = {
    start:
      machine?.startSeconds ??
      (plainJs ? (opts.study ? JS_STUDY_START_SECONDS : JS_START_SECONDS) : opts.study ? STUDY_START_SECONDS : START_SECONDS),
    training: work.reduce((a, w) => a + w.trainingSamples / train, 0),
    sampling: work.reduce((a, w) => a + w.candidates / sample, 0),
    selection: work.reduce((a, w) => a + w.selectionSeconds, 0) * (machine?.selectionFactor ?? 1),
    metrics: work.reduce((a, w) => a + w.metricsSamples * perSample, 0),
    other: work.length * (machine?.otherSecondsPerGeneration ?? (plainJs ? JS_OTHER_SECONDS_PER_GENERATION : OTHER_SECONDS_PER_GENERATION)),
  };
  const seconds = Object.values(stages).reduce((a, b) => a + b, 0);
  const G = Math.max(1, work.length);
  const select = stages.selection / G;
  const measuredStages = machine
    ? [machine.startSeconds, machine.generatedPerSecond, machine.metricsSecondsPerSample, machine.otherSecondsPerGeneration].filter(
        (v) => v !== undefined,
      ).length
    : 0;
  const basis =
    `${config.model.kind} at about ${Math.round(train)} training samples/s ` +
    (machine && (catalog.onBackend !== false || machine.trainPerSecond !== undefined)
      ? `on this machine (${machine.backend}, ${machine.label}; ${machine.trainPerSecond ? 'its finished runs' : 'collapse-lab doctor'})`
      : '(2 cores, wasm; not measured here: collapse-lab doctor)') +
    (select >= 1 ? `; ${config.selection.scheme} about ${Math.round(select)} s per generation` : '') +
    `; metrics about ${fmtSeconds(stages.metrics / G)}/generation, start about ${fmtSeconds(stages.start)}` +
    (measuredStages === 4 ? ' (measured here)' : ' (not yet measured here: a finished run measures them)') +
    (known === null ? '; dataset size unknown before loading, 10,000 assumed' : '');
  return { seconds, trainingSamples: work.map((w) => w.trainingSamples), basis, stages };
}

function fmtSeconds(s: number): string {
  return s >= 10 ? `${Math.round(s)} s` : `${s.toFixed(1)} s`;
}

/**
 * A study's wall time from its runs' estimates: runs of a study take one core each, `parallel` at once, so the total
 * over the cores in use, and never less than the longest run.
 */
export function studySeconds(runSeconds: readonly number[], parallel: number): number {
  const total = runSeconds.reduce((a, b) => a + b, 0);
  return Math.max(total / Math.max(1, Math.min(parallel, runSeconds.length)), ...runSeconds, 0);
}
