import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { BackendRequest } from '../contract/backend-request';
import type { RunEvent } from '../contract/events';
import { initBackend } from '../backend/select-backend';
import { wantedWasmThreads } from '../backend/wasm-threads';
import path from 'node:path';
import { gpuFaultStandIn } from '../backend/gpu-fault-stand-in';
import { recordRunSpeed } from '../backend/machine-speed';
import { modelCost } from '../contract/models/catalog';
import { describeAdapter, webgpuDeviceLoss } from '../backend/webgpu';
import { runExperiment } from '../loop/run-experiment';
import { parseStorageMode } from '../contract/storage-mode';
import { CancelledError } from '../models/generative-model';
import { CANCEL_REQUEST, RunFolder, type RunEnvironmentEntry } from './run-folder';
import { runMayUseEveryCore } from './host-runs';

/**
 * Worker entry of one run: trains in this thread, never on the caller's. Receives { runDir, backend }; posts
 * RunEvents; a { type: 'cancel' } message stops it at the next batch.
 */
export interface RunWorkerData {
  runDir: string;
  backend: BackendRequest;
  /** One core even when the run is alone on the host (a study running several at once). */
  oneCorePerRun?: boolean;
}

const { runDir, backend, oneCorePerRun } = workerData as RunWorkerData;
const folder = new RunFolder(runDir);
const runId = folder.id;
const controller = new AbortController();
const post = (e: RunEvent) => parentPort?.postMessage(e);

/**
 * At most once a second: the latest progress on disk (what another process's app shows of this run), and a look
 * for a cancel request from another process.
 */
let lastProgressWrite = 0;
function recordProgress(e: RunEvent): void {
  const now = Date.now();
  if (now - lastProgressWrite < 1000) return;
  lastProgressWrite = now;
  // the request stays until the run has stopped: meanwhile every process shows it as cancelling
  if (fs.existsSync(folder.file(CANCEL_REQUEST))) controller.abort();
  // a run that keeps only its metrics writes no progress note: its events reach its own process's doors
  if (metricsOnly()) return;
  try {
    folder.writeJson('progress.json', { ...e, at: new Date(now).toISOString() });
  } catch {
    // a full disk must not stop the run for the sake of a progress note; the run's own writes report it
  }
}

let storage: boolean | undefined;
function metricsOnly(): boolean {
  try {
    storage ??= parseStorageMode(folder.readConfig().storage ?? 'all').kind === 'metrics';
  } catch {
    storage = false;
  }
  return storage;
}

parentPort?.on('message', (m: { type: string }) => {
  if (m.type === 'cancel') controller.abort();
});

async function main(): Promise<void> {
  try {
    // what a killed write of an earlier start left behind
    folder.removeOrphanTemps();
    // alone on the host, the run uses every core (the thread count changes no result: main/backend/wasm-threads.ts)
    const alone = !oneCorePerRun && runMayUseEveryCore(runId);
    const info = await initBackend(backend, { wasmThreads: wantedWasmThreads(process.env, { alone }) });
    recordEnvironment(folder, info);
    const adapter = info.adapter ? describeAdapter(info.adapter) : undefined;
    folder.updateStatus({
      state: 'running',
      backend: info.name,
      adapter,
      error: undefined,
      interruption: undefined,
      pid: process.pid,
      host: os.hostname(),
    });
    post({ type: 'status', runId, state: 'running', backend: info.name });
    const standIn = info.name === 'webgpu' ? gpuFaultStandIn() : null;
    await runExperiment(folder, {
      signal: controller.signal,
      onProgress: (p) => {
        standIn?.(p);
        const e: RunEvent = { type: 'progress', runId, ...p };
        post(e);
        recordProgress(e);
      },
      onGeneration: (generation, metrics) => post({ type: 'generation', runId, generation, metrics }),
      onLog: (message) => post({ type: 'log', runId, message }),
    });
    folder.updateStatus({ state: 'completed', finishedAt: new Date().toISOString() });
    recordTrainingSpeed(folder, info.name);
    post({ type: 'status', runId, state: 'completed', backend: info.name });
  } catch (e) {
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

/** The run's training rate (rows × epochs over the train stage's seconds) for this machine's estimates. */
function recordTrainingSpeed(f: RunFolder, backendName: string): void {
  try {
    const config = f.readConfig();
    const { epochs } = modelCost(config.model, { dim: 1 });
    let samples = 0;
    let seconds = 0;
    for (const m of f.readMetrics()) {
      if (typeof m.trainSize !== 'number' || typeof m.trainSeconds !== 'number') continue;
      samples += m.trainSize * epochs;
      seconds += m.trainSeconds;
    }
    if (seconds > 0) recordRunSpeed(path.dirname(f.dir), backendName, config.model.kind, samples / seconds);
  } catch {
    // an estimate's refinement: a run never fails for it
  }
}

function recordEnvironment(f: RunFolder, info: Awaited<ReturnType<typeof initBackend>>): void {
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
    seed: f.readConfig().seed,
    collapseLab: (require('../../package.json') as { version: string }).version,
    startedAt: now,
  };
  // a resumed run: keep the first environment and list each resume's
  const first = f.readEnvironment();
  f.writeEnvironment(first ? { ...first, resumes: [...(first.resumes ?? []), env] } : env);
}

await main();
// the cancel listener would keep this thread alive: let it end once the run has ended
parentPort?.unref();
