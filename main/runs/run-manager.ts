import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { validateConfig, type ExperimentConfig } from '../contract/config';
import type { RunEvent, RunState } from '../contract/events';
import { spawnWorker } from '../workers/spawn-worker';
import type { RunWorkerData } from '../workers/run-worker';
import { CANCEL_REQUEST, RunFolder, type IslandsRecord, type MetricsLine, type RunEnvironment, type RunStatus } from './run-folder';

export type BackendRequest = RunWorkerData['backend'];

export interface RunSummary {
  id: string;
  name: string;
  state: RunState;
  lastGeneration: number;
  generations: number;
  backend?: string;
  startedAt: string;
  updatedAt: string;
  error?: string;
  dataset: string;
  model: string;
  scheme: string;
}

export interface RunDetail extends RunSummary {
  dir: string;
  config: ExperimentConfig;
  environment: RunEnvironment | null;
  islands: IslandsRecord | null;
  /** metrics.jsonl, each line parsed by the metricsLine schema. */
  metrics: MetricsLine[];
}

/**
 * Runs in a workspace: creates run folders, trains each run in its own worker thread, relays the workers' events,
 * cancels, resumes and deletes. Every door (CLI, local server, Electron IPC) drives runs through this class.
 */
export class RunManager extends EventEmitter<{ event: [RunEvent] }> {
  private readonly workers = new Map<string, { worker: Worker; done: Promise<RunStatus> }>();

  constructor(
    readonly workspace: string,
    private readonly backend: BackendRequest = 'auto',
  ) {
    super();
  }

  folder(runId: string): RunFolder {
    checkRunId(runId);
    const f = new RunFolder(path.join(this.workspace, runId));
    if (!f.exists()) throw new Error(`no run "${runId}" in ${this.workspace}`);
    return f;
  }

  /** Create the run's folder and start training it in a worker. Returns the run id at once. */
  start(input: unknown, opts: { backend?: BackendRequest; source?: string } = {}): string {
    const config = validateConfig(input, opts.source);
    const id = this.create(config, newRunId(config.name));
    this.launch(this.folder(id), opts.backend ?? this.backend);
    return id;
  }

  /**
   * Create a run folder under a chosen id (a study's run, whose id derives from its key) without starting it: its
   * state is `queued` until `resume` launches it. Refuses an id that exists.
   */
  create(config: ExperimentConfig, id: string): string {
    checkRunId(id);
    fs.mkdirSync(this.workspace, { recursive: true });
    const folder = new RunFolder(path.join(this.workspace, id));
    fs.mkdirSync(folder.dir);
    folder.writeJson('config.json', config);
    const now = new Date().toISOString();
    folder.writeJson('status.json', {
      state: 'queued',
      lastGeneration: -1,
      generations: config.loop.generations,
      startedAt: now,
      updatedAt: now,
    } satisfies RunStatus);
    return id;
  }

  /**
   * Continue a cancelled, failed or killed run from its last completed generation. With `generations` above the
   * run's own, a run (also a completed one) is extended by more generations: its config's `loop.generations` is
   * raised and the loop continues after its last generation. `takeOver` resumes a run whose status says it runs in
   * another process: for a job queue that holds the run's lock and knows that process is gone (on another machine
   * its pid means nothing here).
   */
  resume(runId: string, opts: { backend?: BackendRequest; generations?: number; takeOver?: boolean } = {}): void {
    const folder = this.folder(runId);
    if (this.workers.has(runId)) throw new Error(`run ${runId} is already running`);
    const status = this.effectiveStatus(folder);
    if (status.state === 'running' && !opts.takeOver) throw new Error(`run ${runId} is running in another process (pid ${status.pid})`);
    const config = folder.readConfig();
    const generations = opts.generations ?? config.loop.generations;
    if (generations < status.lastGeneration + 1) {
      throw new Error(`run ${runId} has ${status.lastGeneration + 1} generations already: --generations ${generations} would drop some`);
    }
    if (generations !== config.loop.generations) {
      // the config stays the run's one definition: only the number of generations changes, validated as ever
      folder.writeJson('config.json', validateConfig({ ...config, loop: { ...config.loop, generations } }, `${runId}/config.json`));
    } else if (status.state === 'completed') {
      throw new Error(`run ${runId} is already completed (give more generations to extend it)`);
    }
    folder.updateStatus({ state: 'queued', error: undefined, generations, finishedAt: undefined });
    fs.rmSync(folder.file(CANCEL_REQUEST), { force: true });
    this.launch(folder, opts.backend ?? this.backend);
  }

  /**
   * Stop a run at its next batch. A run of another process (a terminal's `collapse-lab run`) is asked through a
   * cancel-request file in its folder, which its worker looks for at most once a second.
   */
  cancel(runId: string): void {
    const w = this.workers.get(runId);
    if (w) {
      w.worker.postMessage({ type: 'cancel' });
      return;
    }
    const folder = this.folder(runId);
    const status = this.effectiveStatus(folder);
    if (status.state !== 'running' && status.state !== 'queued') throw new Error(`run ${runId} is not running (${status.state})`);
    folder.writeJson(CANCEL_REQUEST, { requestedAt: new Date().toISOString(), by: process.pid });
  }

  /** Resolves with the final status when the run's worker ends. */
  async wait(runId: string): Promise<RunStatus> {
    const w = this.workers.get(runId);
    if (!w) return this.folder(runId).readStatus();
    return w.done;
  }

  isActive(runId: string): boolean {
    return this.workers.has(runId);
  }

  list(): RunSummary[] {
    if (!fs.existsSync(this.workspace)) return [];
    const out: RunSummary[] = [];
    for (const name of fs.readdirSync(this.workspace)) {
      const folder = new RunFolder(path.join(this.workspace, name));
      if (!folder.exists() || !fs.existsSync(folder.file('status.json'))) continue;
      try {
        out.push(this.summary(folder));
      } catch {
        // a folder that is not a readable run is skipped, not fatal to the listing
      }
    }
    return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  get(runId: string): RunDetail {
    const folder = this.folder(runId);
    return {
      ...this.summary(folder),
      dir: folder.dir,
      config: folder.readConfig(),
      environment: folder.readEnvironment(),
      islands: folder.readIslands(),
      metrics: folder.readMetrics(),
    };
  }

  delete(runId: string): void {
    const folder = this.folder(runId);
    if (this.workers.has(runId)) throw new Error(`run ${runId} is running; cancel it first`);
    const status = this.effectiveStatus(folder);
    if (status.state === 'running' || status.state === 'queued') {
      throw new Error(`run ${runId} is running in another process (pid ${status.pid}); cancel it first`);
    }
    fs.rmSync(folder.dir, { recursive: true, force: true });
  }

  /** Cancel every run of this manager and wait for their workers (used when a door shuts down). */
  async close(): Promise<void> {
    for (const id of this.workers.keys()) this.cancel(id);
    await Promise.allSettled([...this.workers.values()].map((w) => w.done));
  }

  private summary(folder: RunFolder): RunSummary {
    const config = folder.readConfig();
    const status = this.effectiveStatus(folder);
    return {
      id: folder.id,
      name: config.name,
      state: status.state,
      lastGeneration: status.lastGeneration,
      generations: status.generations,
      backend: status.backend,
      startedAt: status.startedAt,
      updatedAt: status.updatedAt,
      error: status.error,
      dataset: config.dataset.kind,
      model: config.model.kind,
      scheme: config.selection.scheme,
    };
  }

  /** The status on disk, with a run whose owning process died reported as interrupted. */
  effectiveStatus(folder: RunFolder): RunStatus {
    const s = folder.readStatus();
    if ((s.state === 'running' || s.state === 'queued') && !this.workers.has(folder.id)) {
      if (s.pid === undefined || s.pid === process.pid || !processAlive(s.pid)) {
        return { ...s, state: 'interrupted', error: s.error ?? 'the process running this run stopped before it finished' };
      }
    }
    return s;
  }

  private launch(folder: RunFolder, backend: BackendRequest): void {
    const runId = folder.id;
    const worker = spawnWorker(new URL('../workers/run-worker.ts', import.meta.url), {
      workerData: { runDir: folder.dir, backend } satisfies RunWorkerData,
    });
    let finalState: RunState | null = null;
    const done = new Promise<RunStatus>((resolve) => {
      worker.on('message', (e: RunEvent) => {
        if (e.type === 'status' && ['completed', 'failed', 'cancelled'].includes(e.state)) {
          finalState = e.state;
          // the run has written everything: end the thread even if a library keeps a handle open in it
          void worker.terminate();
        }
        this.emit('event', e);
      });
      const finish = (error?: string) => {
        this.workers.delete(runId);
        if (!finalState) {
          // the worker died without a final word (killed, out of memory, crashed): nothing finished is lost, and
          // the run can be resumed from its last completed generation
          const message = error ?? 'the run worker stopped unexpectedly';
          folder.updateStatus({ state: 'interrupted', error: message });
          this.emit('event', { type: 'status', runId, state: 'interrupted', error: message });
        }
        resolve(folder.readStatus());
      };
      worker.on('error', (err) => finish(`run worker crashed: ${err.message}`));
      worker.on('exit', (code) => {
        if (this.workers.has(runId)) finish(code === 0 ? undefined : `run worker exited with code ${code}`);
      });
    });
    this.workers.set(runId, { worker, done });
    this.emit('event', { type: 'status', runId, state: 'queued' });
  }

  /** Test hook: kill a run's worker abruptly, as a crash would. */
  async killWorker(runId: string): Promise<void> {
    const w = this.workers.get(runId);
    if (!w) throw new Error(`run ${runId} is not running here`);
    await w.worker.terminate();
    await w.done;
  }
}

function checkRunId(runId: string): void {
  if (!/^[A-Za-z0-9._-]+$/.test(runId) || runId.startsWith('.')) throw new Error(`invalid run id "${runId}"`);
}

function newRunId(name: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run';
  return `${stamp}-${slug}-${randomBytes(3).toString('hex')}`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
