import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { ComputeReport } from '../contract/compute-report';
import type { ExperimentConfig } from '../contract/config';
import { modelCost } from '../contract/models/catalog';
import { gpuAdapter, type GpuAdapter, type MetricsLine } from '../contract/run-record';
import { smoke } from '../presets/smoke';
import { writeFileAtomicSync } from '../util/atomic-write';

/**
 * This machine's measured speed, for the duration estimates (main/api/estimate-duration.ts): per backend, the
 * doctor's figure (the smoke model's training step, `collapse-lab doctor` or the app's Compute view); and from each
 * finished run, every stage a run spends time in: per backend and model kind its training rate (training rows ×
 * epochs over the train stage's seconds), sampling rate and the rest of a generation (building the training set,
 * writing the files); per backend and dataset kind the metrics' seconds per measured sample; per scheme the
 * selection's time against its cost model; per backend the run's start (preflight, worker, backend, dataset, islands)
 * and end. Kept in the workspace as machine-speed.json, one entry per host name (a workspace on a shared disk serves
 * several machines).
 */
const backendSpeed = z.object({
  /** Training images per second of the smoke model's step. */
  smokeImagesPerSecond: z.number().positive(),
  /** What ran it: the adapter for webgpu, else the package. */
  label: z.string(),
  /** A hardware GPU ran it (a hardware WebGPU adapter, or tfjs-node-gpu). */
  gpu: z.boolean().optional(),
  measuredAt: z.string(),
});

const modelSpeed = z.object({
  /** Training samples (rows × epochs) per second of the train stage. */
  samplesPerSecond: z.number().positive(),
  /** Generated samples per second of the sample stage. */
  generatedPerSecond: z.number().positive().optional(),
  /** Seconds per generation outside the timed stages: building the training set, writing the generation's files. */
  otherSecondsPerGeneration: z.number().min(0).optional(),
  measuredAt: z.string(),
});

const startSpeed = z.object({
  /** A run's seconds outside its generations: preflight, worker, backend, dataset, islands, and its end. */
  seconds: z.number().min(0),
  measuredAt: z.string(),
});

const metricsSpeed = z.object({
  /** The metrics stage's seconds per measured sample (both sides: generated and test, stageWork). */
  secondsPerSample: z.number().positive(),
  measuredAt: z.string(),
});

const selectionSpeed = z.object({
  /** The selection stage's seconds over its scheme's cost model (main/contract/selection/kinds/<name>.ts). */
  factor: z.number().positive(),
  measuredAt: z.string(),
});

const adapterProbe = z.object({
  /** The hardware adapter `auto` would train on; null: none (no adapter, or only a software one). */
  adapter: gpuAdapter.nullable(),
  probedAt: z.string(),
});

const hostSpeed = z.object({
  /** The backend `auto` picks on this host (the doctor's answer, or what a run under auto resolved to). */
  auto: z.string().optional(),
  backends: z.record(z.string(), backendSpeed).default({}),
  /** Keyed `<backend>/<model kind>`. */
  models: z.record(z.string(), modelSpeed).default({}),
  /** Keyed by backend (single runs) and `<backend>/study` (study runs). */
  start: z.record(z.string(), startSpeed).default({}),
  /** Keyed `<backend>/<dataset kind>`. */
  metrics: z.record(z.string(), metricsSpeed).default({}),
  /** Keyed by scheme. */
  selection: z.record(z.string(), selectionSpeed).default({}),
  /**
   * What Dawn found for `auto` on this host, kept so that a run under auto that will not use webgpu never loads Dawn
   * (main/backend/run-adapter.ts), and the memory check knows the adapter's limits.
   */
  hardwareAdapter: adapterProbe.optional(),
});
export type HostSpeed = z.infer<typeof hostSpeed>;

const speedFile = z.object({ hosts: z.record(z.string(), hostSpeed) });

const FILE = 'machine-speed.json';

function read(workspace: string): z.infer<typeof speedFile> {
  try {
    return speedFile.parse(JSON.parse(fs.readFileSync(path.join(workspace, FILE), 'utf8')));
  } catch {
    // none yet, or unreadable: the estimates fall back to the catalog's rates
    return { hosts: {} };
  }
}

function update(workspace: string, change: (h: HostSpeed) => void): void {
  const file = read(workspace);
  const host = os.hostname();
  const h = file.hosts[host] ?? hostSpeed.parse({});
  change(h);
  file.hosts[host] = h;
  fs.mkdirSync(workspace, { recursive: true });
  writeFileAtomicSync(path.join(workspace, FILE), JSON.stringify(file, null, 2) + '\n');
}

/** This host's measured speeds in `workspace`, or null before any measurement. */
export function readMachineSpeed(workspace: string): HostSpeed | null {
  return read(workspace).hosts[os.hostname()] ?? null;
}

/** How long a probe of the host's adapters holds (a driver installed since is seen the next day, or by the doctor). */
const PROBE_HOLDS_MS = 24 * 3600 * 1000;

/** This host's hardware WebGPU adapter as last probed: the adapter, null for none, undefined when unknown or stale. */
export function readHardwareAdapter(workspace: string): GpuAdapter | null | undefined {
  const p = readMachineSpeed(workspace)?.hardwareAdapter;
  if (!p || !(Date.now() - Date.parse(p.probedAt) < PROBE_HOLDS_MS)) return undefined;
  return p.adapter;
}

/** Keep what a probe (a preflight, a run under auto, the doctor) found: the hardware adapter, or null for none. */
export function recordHardwareAdapter(workspace: string, adapter: GpuAdapter | null): void {
  try {
    update(workspace, (h) => {
      h.hardwareAdapter = { adapter, probedAt: new Date().toISOString() };
    });
  } catch {
    // a cache: the next run probes again
  }
}

/** Keep the doctor's timed backends and its auto choice. */
export function recordDoctorSpeed(workspace: string, report: ComputeReport): void {
  const webgpu = report.backends.find((b) => b.backend === 'webgpu');
  if (webgpu) recordHardwareAdapter(workspace, webgpu.available && webgpu.via === 'a hardware adapter' ? (webgpu.adapter ?? null) : null);
  const timed = report.backends.filter((b) => b.imagesPerSecond !== null && b.imagesPerSecond > 0);
  if (timed.length === 0) return;
  update(workspace, (h) => {
    h.auto = report.auto.backend;
    for (const b of timed) {
      const label = b.adapter ? `${b.adapter.vendor} ${b.adapter.description || b.adapter.device}`.trim() : b.via;
      const gpu = b.via === 'a hardware adapter' || b.via === '@tensorflow/tfjs-node-gpu';
      h.backends[b.backend] = { smokeImagesPerSecond: b.imagesPerSecond!, label, gpu, measuredAt: report.measuredAt };
    }
  });
}

/** The work of one generation, in the units each stage's rate is measured in. */
export interface StageWork {
  /** Training rows × epochs. */
  trainingSamples: number;
  candidates: number;
  /** Samples the metrics measure: the kept ones and the test split's, each side at most maxSamples. */
  metricsSamples: number;
  /** The selection's seconds by its scheme's cost model. */
  selectionSeconds: number;
}

/** What one launch of a run measured (run-worker.ts, when the run completes). */
export interface RunStageTimes {
  /** The backend asked for (`auto`: the resolved one is then kept as this host's auto) and the one it ran on. */
  request: string;
  backend: string;
  config: ExperimentConfig;
  /** This launch's metrics lines (a resumed run's earlier ones may have run elsewhere). */
  lines: MetricsLine[];
  /** Wall seconds of the launch outside its generations (preflight, worker start, backend, dataset, islands, end). */
  startSeconds: number;
  /** A launch without a preflight of its own (a study's run, a resume): kept apart from single runs' start. */
  study?: boolean;
  /** The work of a generation by its training-set size (main/runs/stage-work.ts), what the stage times are rates of. */
  work: (trainSize: number) => StageWork;
}

/** Keep a finished run's stage rates for its backend, model kind, dataset kind and scheme. */
export function recordRunStages(workspace: string, run: RunStageTimes): void {
  const { config, backend } = run;
  const timed = run.lines.filter((m) => typeof m.trainSize === 'number' && typeof m.trainSeconds === 'number');
  if (timed.length === 0) return;
  const now = new Date().toISOString();
  const sum = (f: (m: MetricsLine) => number) => timed.reduce((a, m) => a + f(m), 0);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const work = timed.map((m) => run.work(m.trainSize as number));
  const trainSeconds = sum((m) => num(m.trainSeconds));
  const sampleSeconds = sum((m) => num(m.sampleSeconds));
  const metricsSeconds = sum((m) => num(m.metricsSeconds));
  const selectSeconds = sum((m) => num(m.selectionSeconds));
  const other = sum((m) =>
    Math.max(0, num(m.seconds) - num(m.trainSeconds) - num(m.sampleSeconds) - num(m.selectionSeconds) - num(m.metricsSeconds)),
  );
  const rate = (units: number, seconds: number) => (seconds > 0 && units > 0 ? units / seconds : undefined);
  const samplesPerSecond = rate(
    work.reduce((a, w) => a + w.trainingSamples, 0),
    trainSeconds,
  );
  const generatedPerSecond = rate(
    work.reduce((a, w) => a + w.candidates, 0),
    sampleSeconds,
  );
  const metricsSamples = work.reduce((a, w) => a + w.metricsSamples, 0);
  const predictedSelect = work.reduce((a, w) => a + w.selectionSeconds, 0);
  update(workspace, (h) => {
    if (run.request === 'auto') h.auto = backend;
    if (samplesPerSecond !== undefined && Number.isFinite(samplesPerSecond)) {
      h.models[`${backend}/${config.model.kind}`] = {
        samplesPerSecond,
        ...(generatedPerSecond !== undefined && Number.isFinite(generatedPerSecond) ? { generatedPerSecond } : {}),
        otherSecondsPerGeneration: other / timed.length,
        measuredAt: now,
      };
    }
    if (metricsSeconds > 0 && metricsSamples > 0) {
      h.metrics[`${backend}/${config.dataset.kind}`] = { secondsPerSample: metricsSeconds / metricsSamples, measuredAt: now };
    }
    // a scheme whose cost model says "nothing" (random) has no factor to learn; tiny ones are noise
    if (predictedSelect >= 0.05 && selectSeconds > 0) {
      h.selection[config.selection.scheme] = { factor: selectSeconds / predictedSelect, measuredAt: now };
    }
    if (Number.isFinite(run.startSeconds) && run.startSeconds >= 0) {
      h.start[run.study ? `${backend}/study` : backend] = { seconds: run.startSeconds, measuredAt: now };
    }
  });
}

/** This machine's rates for one estimate: what main/api/estimate-duration.ts uses instead of its fallbacks. */
export interface MachineRate {
  /** The backend it was measured on, and what ran it (the adapter for webgpu). */
  backend: string;
  label: string;
  /** Whether it is a hardware GPU (the doctor's word). */
  gpu: boolean;
  /** The model kind's training samples per second in finished runs on this backend, when there were some. */
  trainPerSecond?: number;
  /** The model kind's generated samples per second in finished runs on this backend. */
  generatedPerSecond?: number;
  /** Seconds per generation outside the timed stages, in finished runs of the model kind on this backend. */
  otherSecondsPerGeneration?: number;
  /** The metrics' seconds per measured sample in finished runs on this backend and dataset kind. */
  metricsSecondsPerSample?: number;
  /** The scheme's measured time over its cost model. */
  selectionFactor?: number;
  /** A run's seconds outside its generations on this backend. */
  startSeconds?: number;
  /** The doctor's smoke figure over the catalog's rate for the smoke model (the catalog's rates times this). */
  factor: number;
}

/** What of a config picks its measured rates. */
export type RateKey = { model: { kind: string }; dataset: { kind: string }; selection: { scheme: string } };

/**
 * The measured rates for a run of `config` asking for backend `request` (`auto`: the doctor's answer, or what runs
 * under auto resolved to), or null when this host has no measurement of that backend (the estimate then says it
 * uses the catalog's 2-core wasm rates).
 */
export function machineRate(speed: HostSpeed | null, request: string, config: RateKey, opts: { study?: boolean } = {}): MachineRate | null {
  if (!speed) return null;
  const backend = request === 'auto' ? speed.auto : request;
  if (!backend) return null;
  const doctor = speed.backends[backend];
  const runs = speed.models[`${backend}/${config.model.kind}`];
  const metrics = speed.metrics[`${backend}/${config.dataset.kind}`];
  const start = speed.start[opts.study ? `${backend}/study` : backend];
  if (!doctor && !runs && !metrics && !start) return null;
  const selection = speed.selection[config.selection.scheme];
  const catalogSmoke = modelCost(smoke.config.model, { dim: 784 }).train;
  return {
    backend,
    label: doctor?.label ?? backend,
    gpu: doctor?.gpu ?? false,
    factor: doctor ? doctor.smokeImagesPerSecond / catalogSmoke : 1,
    ...(runs ? { trainPerSecond: runs.samplesPerSecond } : {}),
    ...(runs?.generatedPerSecond !== undefined ? { generatedPerSecond: runs.generatedPerSecond } : {}),
    ...(runs?.otherSecondsPerGeneration !== undefined ? { otherSecondsPerGeneration: runs.otherSecondsPerGeneration } : {}),
    ...(metrics ? { metricsSecondsPerSample: metrics.secondsPerSample } : {}),
    ...(selection ? { selectionFactor: selection.factor } : {}),
    ...(start ? { startSeconds: start.seconds } : {}),
  };
}
