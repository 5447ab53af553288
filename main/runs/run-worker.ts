import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { BackendRequest } from '../contract/backend-request';
import type { RunEvent } from '../contract/events';
import { initBackend, type BackendInfo } from '../backend/select-backend';
import type { ExperimentConfig } from '../contract/config';
import { needsTensorflow } from './needs-tensorflow';
import { wantedWasmThreads } from '../backend/wasm-threads';
import path from 'node:path';
import { gpuFaultStandIn } from '../backend/gpu-fault-stand-in';
import { readHardwareAdapter, recordHardwareAdapter, recordRunStages } from '../backend/machine-speed';
import { stageWork } from './stage-work';
import { describeAdapter, webgpuDeviceLoss } from '../backend/webgpu';
import { runExperiment } from '../loop/run-experiment';
import { parseStorageMode } from '../contract/storage-mode';
import { CancelledError } from '../models/generative-model';
import { CANCEL_REQUEST, RunFolder, type MetricsLine, type RunEnvironmentEntry } from './run-folder';
import { runMayUseEveryCore } from './host-runs';
import { metricsOverlapWanted } from '../metrics/metrics-thread';

/**
 * Worker entry of a run: trains in this thread, never on the caller's. Receives { runDir, backend }; posts
 * RunEvents; a { type: 'cancel' } message stops it at the next batch. With `persistent`, the thread outlives its run:
 * it then takes runs in turn ({ type: 'run', runDir, backend, oneCorePerRun } messages, one at a time) and posts
 * { type: 'idle' } after each run's last word, so that a process running many small runs loads the engine once
 * (RunManager's `reuseWorkers`).
 */
export interface RunWorkerData {
  runDir: string;
  backend: BackendRequest;
  /** One core even when the run is alone on the host (a study running several at once). */
  oneCorePerRun?: boolean;
  /** Take further runs after this one (the messages above) instead of ending with it. */
  persistent?: boolean;
  /** When the manager handed the run to a thread (Date.now()), and its preflight's seconds: the run's start. */
  startedAt?: number;
  preflightSeconds?: number;
}

/** What the thread says besides RunEvents: its run has ended and it can take another (persistent threads only). */
export interface RunWorkerIdle {
  type: 'idle';
  runDir: string;
}

const post = (e: RunEvent | RunWorkerIdle) => parentPort?.postMessage(e);
let controller = new AbortController();

parentPort?.on('message', (m: { type: string } & Partial<RunWorkerData>) => {
  if (m.type === 'cancel') controller.abort();
  else if (m.type === 'run' && m.runDir && m.backend)
    void runInTurn({
      runDir: m.runDir,
      backend: m.backend,
      oneCorePerRun: m.oneCorePerRun,
      startedAt: m.startedAt,
      preflightSeconds: m.preflightSeconds,
    });
});

let turn: Promise<void> = Promise.resolve();
/** Runs of a persistent thread, one after another (its manager hands it one only when the last has ended). */
function runInTurn(run: RunWorkerData): Promise<void> {
  // made now, not when the turn comes: a cancel that follows the run's message at once stops this run
  const mine = (controller = new AbortController());
  turn = turn.then(async () => {
    await trainRun(run, mine);
    post({ type: 'idle', runDir: run.runDir });
  });
  return turn;
}

/** One run in this thread, from its folder to its last word (a status event), errors included. */
async function trainRun(run: RunWorkerData, controller: AbortController): Promise<void> {
  const { runDir, backend, oneCorePerRun } = run;
  const startedAt = run.startedAt ?? Date.now();
  const folder = new RunFolder(runDir);
  const runId = folder.id;
  /**
   * At most once a second: the latest progress on disk (what another process's app shows of this run), and a look
   * for a cancel request from another process. A run that keeps only its metrics writes no progress note: its
   * events reach its own process's doors.
   */
  let lastProgressWrite = 0;
  let metricsOnly = false;
  const recordProgress = (e: RunEvent): void => {
    const now = Date.now();
    if (now - lastProgressWrite < 1000) return;
    lastProgressWrite = now;
    // the request stays until the run has stopped: meanwhile every process shows it as cancelling
    if (fs.existsSync(folder.file(CANCEL_REQUEST))) controller.abort();
    try {
      if (!metricsOnly) folder.writeJson('progress.json', { ...e, at: new Date(now).toISOString() });
    } catch {
      // a full disk must not stop the run for the sake of a progress note; the run's own writes report it
    }
  };

  // the run's progress events, thinned at the source
  const progress = throttledProgress(post);
  try {
    // what a killed write of an earlier start left behind
    folder.removeOrphanTemps();
    // alone on the host, the run uses every core (the thread count changes no result: main/backend/wasm-threads.ts)
    const alone = !oneCorePerRun && runMayUseEveryCore(runId);
    const config = folder.readConfig();
    metricsOnly = parseStorageMode(config.storage ?? 'all').kind === 'metrics';
    // under auto, Dawn loads only where this host's last probe found a hardware adapter, or none has probed yet
    const workspace = path.dirname(folder.dir);
    const known = backend === 'auto' ? readHardwareAdapter(workspace) : undefined;
    const info: RunBackend =
      backend !== 'auto' || needsTensorflow(config)
        ? await initBackend(backend, { wasmThreads: wantedWasmThreads(process.env, { alone }), noHardwareAdapter: known === null })
        : PLAIN_JS;
    // what auto found, for the next runs: the hardware adapter it chose, or none (it walked past webgpu)
    if (backend === 'auto' && known === undefined && info.name !== 'js' && info.package !== '@tensorflow/tfjs-node-gpu') {
      recordHardwareAdapter(workspace, info.name === 'webgpu' ? (info.adapter ?? null) : null);
    }
    // alone on the host too, each generation's metrics are computed while the next one trains (same lines)
    const metricsOverlap = metricsOverlapWanted(config, { alone, backend: info.name });
    recordEnvironment(folder, info, config, metricsOverlap);
    const adapter = info.adapter ? describeAdapter(info.adapter) : undefined;
    // a note of the start, not synced (the final state is): see RunManager.resume
    folder.updateStatus(
      { state: 'running', backend: info.name, adapter, error: undefined, interruption: undefined, pid: process.pid, host: os.hostname() },
      { durable: false },
    );
    post({ type: 'status', runId, state: 'running', backend: info.name });
    const standIn = info.name === 'webgpu' ? gpuFaultStandIn() : null;
    // this launch's metrics lines, for this machine's estimates (recordStageTimes)
    const lines: MetricsLine[] = [];
    await runExperiment(folder, {
      signal: controller.signal,
      onProgress: (p) => {
        standIn?.(p);
        const e: RunEvent = { type: 'progress', runId, ...p };
        progress.offer(e);
        recordProgress(e);
      },
      onGeneration: (generation, metrics) => {
        lines.push(metrics);
        post({ type: 'generation', runId, generation, metrics });
      },
      onLog: (message) => post({ type: 'log', runId, message }),
      ...(metricsOverlap ? { metricsThread: { backend: info.name } } : {}),
    });
    progress.end();
    folder.updateStatus({ state: 'completed', finishedAt: new Date().toISOString() });
    recordStageTimes(folder, { request: backend, backend: info.name, config, lines, startedAt, preflight: run.preflightSeconds });
    post({ type: 'status', runId, state: 'completed', backend: info.name });
  } catch (e) {
    progress.end();
    if (e instanceof CancelledError || controller.signal.aborted) {
      try {
        folder.updateStatus({ state: 'cancelled' });
        fs.rmSync(folder.file(CANCEL_REQUEST), { force: true });
        post({ type: 'status', runId, state: 'cancelled' });
      } catch (w) {
        // the disk refuses the status (full, or the folder is gone): the host keeps it in memory
        post({ type: 'status', runId, state: 'failed', error: (w as Error).message });
      }
    } else {
      // a lost GPU device surfaces as whatever GPU call failed next (often an empty error): name the loss instead
      const message = webgpuDeviceLoss()?.message ?? (e as Error)?.message ?? String(e);
      try {
        folder.updateStatus({ state: 'failed', error: message });
      } catch {
        // the disk refuses the status too (full, or the folder is gone): the host keeps it in memory
      }
      post({ type: 'status', runId, state: 'failed', error: message });
    }
  }
}

/** A run's progress events are posted at most this often (ms); its first and its last (fraction 1) always. */
export const PROGRESS_POST_MS = 250;

interface ThrottledProgress {
  offer(e: RunEvent): void;
  /** The run has ended: a progress event still waiting is dropped (its status says the rest). */
  end(): void;
}

/**
 * The progress events of one run, thinned at the source: a small run reports several phases per generation within
 * microseconds (six posts and structured clones per generation were a tenth of a tiny Gaussian run's time, and each
 * crossed to the run's process and on to the study's coordinator). The first and the last always go; between them at
 * most one per PROGRESS_POST_MS, and the latest one held back goes when that interval ends, so that a long phase is
 * shown as itself, not as the short one before it.
 */
function throttledProgress(send: (e: RunEvent) => void): ThrottledProgress {
  let last = -Infinity;
  let held: RunEvent | null = null;
  let timer: NodeJS.Timeout | null = null;
  let ended = false;
  const flush = () => {
    timer = null;
    if (held === null || ended) return;
    const e = held;
    held = null;
    last = performance.now();
    send(e);
  };
  return {
    offer(e) {
      if (ended) return;
      const now = performance.now();
      if (now - last >= PROGRESS_POST_MS || (e.type === 'progress' && e.fraction >= 1)) {
        held = null;
        if (timer) clearTimeout(timer);
        timer = null;
        last = now;
        send(e);
        return;
      }
      held = e;
      timer ??= setTimeout(flush, PROGRESS_POST_MS - (now - last));
    },
    end() {
      ended = true;
      held = null;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

/** When this thread last recorded a run's stage times, by backend and model kind (performance.now()). */
const stagesRecordedAt = new Map<string, number>();
/** A thread that trains many runs in turn records their stage times at most this often (ms): they are estimates' basis. */
const STAGES_RECORD_MS = 30_000;

/**
 * This launch's stage times (its metrics lines, and its wall time outside them: preflight, thread, backend, dataset,
 * islands, end) for this machine's estimates (main/backend/machine-speed.ts), at most once per STAGES_RECORD_MS per
 * backend and model kind in this thread (a study's run process trains thousands of small runs in turn).
 */
function recordStageTimes(
  f: RunFolder,
  at: { request: BackendRequest; backend: string; config: ExperimentConfig; lines: MetricsLine[]; startedAt: number; preflight?: number },
): void {
  const key = `${at.backend}/${at.config.model.kind}`;
  const now = performance.now();
  if (now - (stagesRecordedAt.get(key) ?? -Infinity) < STAGES_RECORD_MS) return;
  try {
    const generations = at.lines.reduce((a, m) => a + (typeof m.seconds === 'number' ? m.seconds : 0), 0);
    const wall = (Date.now() - at.startedAt) / 1000;
    recordRunStages(path.dirname(f.dir), {
      request: at.request,
      backend: at.backend,
      config: at.config,
      lines: at.lines,
      startSeconds: Math.max(0, (at.preflight ?? 0) + wall - generations),
      study: at.preflight === undefined,
      work: stageWork(at.config),
    });
    stagesRecordedAt.set(key, now);
  } catch {
    // an estimate's refinement: a run never fails for it
  }
}

/** The backend a run trained on, as its environment records it. */
type RunBackend = Omit<BackendInfo, 'name'> & { name: string };

/** The backend of a run that starts no TensorFlow.js: its model computes in plain JavaScript (float64). */
const PLAIN_JS: RunBackend = { name: 'js', package: 'none', version: '', threads: 1 };

function recordEnvironment(f: RunFolder, info: RunBackend, config: ExperimentConfig, metricsOverlap: boolean): void {
  const require = createRequire(import.meta.url);
  const now = new Date().toISOString();
  const env: RunEnvironmentEntry = {
    backend: info.name,
    ...(info.adapter ? { adapter: info.adapter } : {}),
    backendPackage: info.package,
    backendVersion: info.version,
    tfjsVersion: (require('@tensorflow/tfjs/package.json') as { version: string }).version,
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: os.cpus().length,
    threads: info.threads ?? 1,
    metricsOverlap,
    seed: config.seed,
    collapseLab: (require('../../package.json') as { version: string }).version,
    startedAt: now,
  };
  // a resumed run: keep the first environment and list each resume's
  const first = f.readEnvironment();
  // not synced: a record of the start, which a machine crash can only make the next start's
  f.writeEnvironment(first ? { ...first, resumes: [...(first.resumes ?? []), env] } : env, { durable: false });
}

const first = workerData as RunWorkerData;
if (first.persistent) {
  await runInTurn(first);
} else {
  await trainRun(first, controller);
  // the cancel listener would keep this thread alive: let it end once the run has ended
  parentPort?.unref();
}
