import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { validateConfig, type ExperimentConfig } from '../contract/config';
import type { RunEvent, RunState } from '../contract/events';
import { isActiveRunState, isFinalRunState } from '../contract/run-state';
import { deriveRunStatus, runFactsOf } from './derive-run-state';
import { spawnWorker } from '../util/spawn-worker';
import type { RunWorkerData, RunWorkerIdle } from './run-worker';
import { CANCEL_REQUEST, RunFolder, type IslandsRecord, type MetricsLine, type RunEnvironment, type RunStatus } from './run-folder';
import { checkRunInputs, preflightRun } from './preflight';
import { enterHostRun } from './host-runs';
import { maxHostRunProcesses, tryAcquireHostSlot, type HostSlot } from './host-slots';
import { recordRunChange } from './study-changes';
import { ensureWorkspace } from './workspace';
import { NotFoundError } from '../util/errors';
import { fileVersion } from '../util/file-version';
import { readRunSummaries, writeRunSummaries } from './run-summary-cache';

export type BackendRequest = RunWorkerData['backend'];

export interface RunSummary {
  id: string;
  name: string;
  state: RunState;
  lastGeneration: number;
  generations: number;
  backend?: string;
  /** The GPU adapter of a webgpu run, in one line. */
  adapter?: string;
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

export interface RunManagerOptions {
  /**
   * Runs of this manager that train at once; more wait in a queue (state `queued`) and start as others end. Default:
   * COLLAPSE_LAB_MAX_RUNS, else one per core.
   */
  maxConcurrent?: number;
  /**
   * How long a cancelled run's worker may take to stop at its next check before it is terminated (a long loop that
   * checks no signal): cancel and SIGTERM take effect within this time. Default 5 s.
   */
  cancelGraceMs?: number;
  /** The JS heap limit of each run worker, in MB (its `resourceLimits`); default 4096. */
  workerHeapMb?: number;
  /**
   * Train every run on one core even when it is alone on the host (a study that runs several at once); by default a
   * run alone on the host uses every core (main/runs/host-runs.ts, main/backend/wasm-threads.ts).
   */
  oneCorePerRun?: boolean;
  /**
   * Keep a run's worker thread when the run ends and give it the next run (run-worker.ts `persistent`): the engine's
   * modules load once per thread instead of once per run. For a process that trains many small runs in turn (a
   * study's run process, run-process.ts); a run's failure stays its own (a thread that dies is replaced).
   */
  reuseWorkers?: boolean;
  /**
   * Each run takes one of the host's run slots (host-slots.ts) before it starts, and waits `queued` while the host's
   * cap is reached: a run started by any door counts against the same cap as a study's run processes. Default true;
   * false in a study's run process (run-process.ts), whose slot its parent holds.
   */
  hostSlots?: boolean;
  /**
   * Record each resume, end and deletion of a study's run in its study's change record (study-changes.ts), which keys
   * what the engine caches of the study. Default: `hostSlots` (a study's run process leaves it to its coordinator,
   * which records its runs' changes itself, instead of a write per run start and end).
   */
  recordStudyChanges?: boolean;
}

interface ActiveRun {
  folder: RunFolder;
  backend: BackendRequest;
  /** null while the run waits in the queue. */
  worker: Worker | null;
  done: Promise<RunStatus>;
  resolve: (s: RunStatus) => void;
  /** The last status this process knows of the run (on disk or from its worker's events). */
  last: RunStatus;
  cancelRequested: boolean;
  killTimer?: NodeJS.Timeout;
  /** Removes the run from the host's list of training runs (main/runs/host-runs.ts). */
  leaveHost?: () => void;
  /** Seconds its preflight took (startChecked), counted in the run's start for this machine's estimates. */
  preflightSeconds?: number;
  /** The host's run slot it trains in (host-slots.ts), when this manager takes one per run. */
  slot?: HostSlot;
}

/** The kept run summaries (run-summary-cache.ts) are written at most this often while runs change (ms). */
const SUMMARIES_WRITE_MS = 10_000;

/** How often a run that waits for a host slot looks again. */
const SLOT_POLL_MS = 250;

/** How many runs train at once by default: COLLAPSE_LAB_MAX_RUNS, else one per core. */
export function defaultMaxConcurrentRuns(): number {
  const env = Number(process.env.COLLAPSE_LAB_MAX_RUNS);
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * Runs in a workspace: creates run folders, trains each run in its own worker thread, relays the workers' events,
 * cancels, resumes and deletes. Every door (CLI, local server, Electron IPC) drives runs through this class. At most
 * `maxConcurrent` runs train at once; the others wait in a queue. A run's failure stays that run's: a worker that
 * crashes, or a status the disk refuses to store, marks that run (in memory when the disk refuses) and never throws
 * out of an event handler into the host.
 */
export class RunManager extends EventEmitter<{ event: [RunEvent] }> {
  private readonly workers = new Map<string, ActiveRun>();
  /** Ids of queued runs, first come first served. */
  private readonly waiting: string[] = [];
  /** Final statuses that could not be written to their run folder (disk full, folder deleted): this process's word. */
  private readonly memoryStatus = new Map<string, RunStatus>();
  /** Summaries of runs in a final state, by run folder, with the versions of the files they were read from (list). */
  private readonly finalSummaries = new Map<string, { version: string; summary: RunSummary }>();
  readonly maxConcurrent: number;
  private readonly cancelGraceMs: number;
  private readonly workerHeapMb: number;
  private readonly oneCorePerRun: boolean;
  private readonly reuseWorkers: boolean;
  /** Worker threads whose run ended, ready for the next (reuseWorkers). */
  private readonly idleWorkers: Worker[] = [];
  private readonly hostSlots: boolean;
  private readonly recordStudyChanges: boolean;
  /** The next look for a free host slot, while a run waits for one. */
  private slotTimer: NodeJS.Timeout | null = null;
  /** Whether finalSummaries has been filled from the workspace's kept summaries (run-summary-cache.ts). */
  private summariesLoaded = false;
  /** When list last wrote the kept summaries (performance.now()). */
  private summariesWrittenAt = -Infinity;
  /** Runs already told that they wait for a host slot (said once per run). */
  private readonly toldWaiting = new Set<string>();

  constructor(
    readonly workspace: string,
    private readonly backend: BackendRequest = 'auto',
    opts: RunManagerOptions = {},
  ) {
    super();
    this.maxConcurrent = Math.max(1, Math.floor(opts.maxConcurrent ?? defaultMaxConcurrentRuns()));
    this.cancelGraceMs = opts.cancelGraceMs ?? 5000;
    this.workerHeapMb = opts.workerHeapMb ?? 4096;
    this.oneCorePerRun = opts.oneCorePerRun ?? false;
    this.reuseWorkers = opts.reuseWorkers ?? false;
    this.hostSlots = opts.hostSlots ?? true;
    this.recordStudyChanges = opts.recordStudyChanges ?? this.hostSlots;
  }

  folder(runId: string): RunFolder {
    checkRunId(runId);
    const f = new RunFolder(path.join(this.workspace, runId));
    if (!f.exists()) throw new NotFoundError(`no run "${runId}" in ${this.workspace}`);
    return f;
  }

  /**
   * Create the run's folder and start training it in a worker (or queue it). Returns the run id at once. Before the
   * folder is made, the config is validated and the quick checks run (the dataset's files and headers, the memory the
   * run needs: preflight.ts checkRunInputs); `startChecked` checks the whole dataset too.
   */
  start(input: unknown, opts: { backend?: BackendRequest; source?: string } = {}): string {
    const config = validateConfig(input, opts.source);
    ensureWorkspace(this.workspace);
    checkRunInputs(config, opts.source);
    return this.startValidated(config, opts.backend);
  }

  /**
   * `start`, after the full preflight in a worker thread (preflight.ts preflightRun: the dataset loaded and
   * validated, the islands split, the test split large enough for the k-NN metrics): a run whose data is bad is
   * refused before its folder exists. `signal` abandons the check.
   */
  async startChecked(input: unknown, opts: { backend?: BackendRequest; source?: string; signal?: AbortSignal } = {}): Promise<string> {
    const config = validateConfig(input, opts.source);
    ensureWorkspace(this.workspace);
    checkRunInputs(config, opts.source);
    const t0 = performance.now();
    await preflightRun(config, { signal: opts.signal, backend: opts.backend ?? this.backend, workspace: this.workspace });
    return this.startValidated(config, opts.backend, (performance.now() - t0) / 1000);
  }

  private startValidated(config: ExperimentConfig, backend?: BackendRequest, preflightSeconds?: number): string {
    const id = this.create(config, newRunId(config.name));
    try {
      this.launch(this.folder(id), backend ?? this.backend, { preflightSeconds });
    } catch (e) {
      // the run could not be queued (its status refused): nothing of it stays behind
      fs.rmSync(path.join(this.workspace, id), { recursive: true, force: true });
      throw e;
    }
    return id;
  }

  /**
   * Create a run folder under a chosen id (a study's run, whose id derives from its key) without starting it: its
   * state is `queued` until `resume` launches it. Refuses an id that exists. `durable: false`: see writeQueued.
   */
  create(config: ExperimentConfig, id: string, opts: { durable?: boolean } = {}): string {
    checkRunId(id);
    ensureWorkspace(this.workspace);
    const folder = new RunFolder(path.join(this.workspace, id));
    try {
      fs.mkdirSync(folder.dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(
        code === 'EEXIST'
          ? `run "${id}" exists already in ${this.workspace}`
          : `cannot create run folder ${folder.dir}: ${code ?? (e as Error).message}`,
      );
    }
    try {
      folder.writeQueued(config, opts);
    } catch (e) {
      // a run that could not be recorded (disk full) leaves nothing behind
      fs.rmSync(folder.dir, { recursive: true, force: true });
      throw e;
    }
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
    if (isActiveRunState(status.state) && status.state !== 'queued' && !opts.takeOver) {
      throw new Error(`run ${runId} is ${status.state} in another process (pid ${status.pid})`);
    }
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
    folder.removeOrphanTemps({ ownAreOrphans: true });
    // queued again, owned by this process (one note; not synced: a run's notes before it ends are heartbeats, and a
    // machine crash leaves a dead pid either way)
    const queued = folder.updateStatus(
      { state: 'queued', error: undefined, generations, finishedAt: undefined, pid: process.pid, host: os.hostname() },
      { durable: false },
    );
    this.memoryStatus.delete(runId);
    fs.rmSync(folder.file(CANCEL_REQUEST), { force: true });
    this.studyRunChanged(runId);
    this.launch(folder, opts.backend ?? this.backend, { noted: queued });
  }

  /**
   * Stop a run at its next batch. A run of another process (a terminal's `collapse-lab run`) is asked through a
   * cancel-request file in its folder, which its worker looks for at most once a second.
   */
  cancel(runId: string): void {
    const w = this.workers.get(runId);
    if (w) {
      if (!w.worker) {
        // still in the queue: it never started
        this.waiting.splice(this.waiting.indexOf(runId), 1);
        this.settle(runId, w, { state: 'cancelled' });
        return;
      }
      if (w.cancelRequested) return;
      w.cancelRequested = true;
      w.worker.postMessage({ type: 'cancel' });
      // the request on disk too: every other process shows the run as cancelling until it stops (settle removes it)
      try {
        w.folder.writeJson(CANCEL_REQUEST, { requestedAt: new Date().toISOString(), by: process.pid });
      } catch {
        // the message above stops the run; the note for the others is not worth failing the cancel
      }
      this.emitSafe({ type: 'status', runId, state: 'cancelling' });
      // a worker inside a long loop that checks no signal is stopped from outside: finished generations are on disk
      w.killTimer = setTimeout(() => void w.worker?.terminate(), this.cancelGraceMs);
      return;
    }
    const folder = this.folder(runId);
    const status = this.effectiveStatus(folder);
    if (!isActiveRunState(status.state)) throw new Error(`run ${runId} is not running (${status.state})`);
    folder.writeJson(CANCEL_REQUEST, { requestedAt: new Date().toISOString(), by: process.pid });
  }

  /** Resolves with the final status when the run's worker ends. */
  async wait(runId: string): Promise<RunStatus> {
    const w = this.workers.get(runId);
    if (w) return w.done;
    const memory = this.memoryStatus.get(runId);
    if (memory) return memory;
    return this.folder(runId).readStatus();
  }

  /** Whether this run waits in this manager's queue for a free slot. */
  isQueued(runId: string): boolean {
    return this.workers.get(runId)?.worker === null;
  }

  isActive(runId: string): boolean {
    return this.workers.has(runId);
  }

  /**
   * Every run of the workspace, newest first. A run in a final state that this manager does not train changes only
   * when its status.json or config.json is rewritten, atomically, by a rename in its folder, which moves the folder's
   * own version: its summary is kept with that version (one stat instead of reading and checking both files, for each
   * of a workspace's thousands of study runs at each look).
   */
  list(): RunSummary[] {
    if (!fs.existsSync(this.workspace)) return [];
    this.loadKeptSummaries();
    let changed = 0;
    const out: RunSummary[] = [];
    const seen = new Set<string>();
    for (const name of fs.readdirSync(this.workspace)) {
      const folder = new RunFolder(path.join(this.workspace, name));
      const version = fileVersion(folder.dir);
      const known = this.finalSummaries.get(folder.dir);
      if (version && known?.version === version && !this.workers.has(folder.id) && !this.memoryStatus.has(folder.id)) {
        seen.add(folder.dir);
        out.push(known.summary);
        continue;
      }
      if (!folder.exists() || !fs.existsSync(folder.file('status.json'))) continue;
      seen.add(folder.dir);
      try {
        const summary = this.summary(folder);
        out.push(summary);
        if (isFinalRunState(summary.state)) {
          this.finalSummaries.set(folder.dir, { version, summary });
          changed++;
        } else if (this.finalSummaries.delete(folder.dir)) changed++;
      } catch {
        // a folder that is not a readable run is skipped, not fatal to the listing
        if (this.finalSummaries.delete(folder.dir)) changed++;
      }
    }
    for (const dir of this.finalSummaries.keys()) {
      if (seen.has(dir)) continue;
      this.finalSummaries.delete(dir);
      changed++;
    }
    // kept for the next process, at most once per SUMMARIES_WRITE_MS while runs change
    const now = performance.now();
    if (changed > 0 && now - this.summariesWrittenAt >= SUMMARIES_WRITE_MS) {
      this.summariesWrittenAt = now;
      writeRunSummaries(this.workspace, this.finalSummaries);
    }
    // ISO times: compared as strings (localeCompare costs a sizeable part of a list of thousands)
    return out.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  }

  /**
   * Whether the runs list holds the run as final and its folder has not moved since (one stat, no read): a poller of
   * the workspace's runs (external-run-watcher.ts) need not read it.
   */
  knownFinal(runId: string): boolean {
    this.loadKeptSummaries();
    const dir = path.join(this.workspace, runId);
    const known = this.finalSummaries.get(dir);
    return known !== undefined && !this.workers.has(runId) && !this.memoryStatus.has(runId) && known.version === fileVersion(dir);
  }

  /** The first look of this process starts from the summaries the last one kept (run-summary-cache.ts). */
  private loadKeptSummaries(): void {
    if (this.summariesLoaded) return;
    this.summariesLoaded = true;
    for (const [dir, e] of readRunSummaries(this.workspace)) if (!this.finalSummaries.has(dir)) this.finalSummaries.set(dir, e);
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
    if (isActiveRunState(status.state) && status.pid !== undefined) {
      throw new Error(`run ${runId} is ${status.state} in another process (pid ${status.pid}); cancel it first`);
    }
    fs.rmSync(folder.dir, { recursive: true, force: true });
    this.studyRunChanged(runId);
  }

  /** Cancel every run of this manager and wait for their workers (used when a door shuts down). */
  async close(): Promise<void> {
    for (const id of [...this.workers.keys()]) this.cancel(id);
    if (this.slotTimer) clearTimeout(this.slotTimer);
    this.slotTimer = null;
    await Promise.allSettled([...this.workers.values()].map((w) => w.done));
    await Promise.allSettled(this.idleWorkers.splice(0).map((w) => w.terminate()));
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
      adapter: status.adapter,
      startedAt: status.startedAt,
      updatedAt: status.updatedAt,
      error: status.error,
      dataset: config.dataset.kind,
      model: config.model.kind,
      scheme: config.selection.scheme,
    };
  }

  /**
   * The status on disk, with a run whose owning process died reported as interrupted; where this process had to keep
   * a run's final status in memory (the disk refused it), that status, unless the disk holds a newer one.
   */
  effectiveStatus(folder: RunFolder): RunStatus {
    const memory = this.workers.has(folder.id) ? undefined : this.memoryStatus.get(folder.id);
    let s: RunStatus;
    try {
      s = folder.readStatus();
    } catch (e) {
      if (memory) return memory;
      throw e;
    }
    if (memory && s.updatedAt <= memory.updatedAt) return memory;
    // a final state is what deriveRunStatus returns as written, whatever the facts: not gathered (two file looks fewer
    // per run, for each of a workspace's thousands of finished study runs)
    if (isFinalRunState(s.state)) return s;
    const own = this.workers.get(folder.id);
    const facts = runFactsOf(folder, s, own !== undefined);
    if (own?.cancelRequested) facts.cancelRequested = true;
    return deriveRunStatus(s, facts);
  }

  /**
   * Queue the run; it starts at once when fewer than maxConcurrent runs of this manager train. `noted`: the status
   * the caller just wrote with this process as the owner.
   */
  private launch(folder: RunFolder, backend: BackendRequest, opts: { preflightSeconds?: number; noted?: RunStatus } = {}): void {
    const { preflightSeconds, noted } = opts;
    const runId = folder.id;
    // the owner's pid: another process sees a queued run of a live process as queued, not as interrupted
    const last = noted ?? folder.updateStatus({ pid: process.pid, host: os.hostname() }, { durable: false });
    let resolve!: (s: RunStatus) => void;
    const done = new Promise<RunStatus>((r) => (resolve = r));
    this.workers.set(runId, { folder, backend, worker: null, done, resolve, last, cancelRequested: false, preflightSeconds });
    this.waiting.push(runId);
    this.emitSafe({ type: 'status', runId, state: 'queued' });
    this.pump();
  }

  /** Start queued runs while there is room here and a free slot on the host. */
  private pump(): void {
    while (this.waiting.length > 0 && this.trainingCount() < this.maxConcurrent) {
      const runId = this.waiting[0];
      const entry = this.workers.get(runId);
      if (!entry || entry.worker) {
        this.waiting.shift();
        continue;
      }
      if (fs.existsSync(entry.folder.file(CANCEL_REQUEST))) {
        // another process asked this queued run to stop (RunManager.cancel there): it never starts
        this.waiting.shift();
        fs.rmSync(entry.folder.file(CANCEL_REQUEST), { force: true });
        this.settle(runId, entry, { state: 'cancelled' });
        continue;
      }
      if (this.hostSlots) {
        const slot = tryAcquireHostSlot(maxHostRunProcesses());
        if (!slot) return this.waitForSlot(runId);
        entry.slot = slot;
      }
      this.waiting.shift();
      this.toldWaiting.delete(runId);
      this.spawn(runId, entry);
    }
  }

  /** The host's cap is reached: the run stays queued, is told so once, and the queue looks again shortly. */
  private waitForSlot(runId: string): void {
    if (!this.toldWaiting.has(runId)) {
      this.toldWaiting.add(runId);
      this.emitSafe({
        type: 'log',
        runId,
        message: `waiting for a free run slot: ${maxHostRunProcesses()} runs already train on this host (cap: COLLAPSE_LAB_MAX_RUN_PROCESSES, default the core count)`,
      });
    }
    this.slotTimer ??= setTimeout(() => {
      this.slotTimer = null;
      this.pump();
    }, SLOT_POLL_MS);
  }

  private trainingCount(): number {
    let n = 0;
    for (const w of this.workers.values()) if (w.worker) n++;
    return n;
  }

  private spawn(runId: string, entry: ActiveRun): void {
    const { folder } = entry;
    let worker: Worker;
    // on the host's list before the worker starts: runs started together all see each other when they pick threads
    entry.leaveHost = enterHostRun(runId);
    const data: RunWorkerData = {
      runDir: folder.dir,
      backend: entry.backend,
      oneCorePerRun: this.oneCorePerRun,
      startedAt: Date.now(),
      ...(entry.preflightSeconds !== undefined ? { preflightSeconds: entry.preflightSeconds } : {}),
    };
    const idle = this.idleWorkers.pop();
    try {
      // the worker is not yet born (or idle): this write cannot race its own status writes
      entry.last = folder.updateStatus({ state: 'starting', pid: process.pid, host: os.hostname() }, { durable: false });
      this.emitSafe({ type: 'status', runId, state: 'starting' });
      if (idle) {
        worker = idle;
        worker.ref();
        worker.postMessage({ type: 'run', ...data });
      } else {
        worker = spawnWorker(new URL('./run-worker.ts', import.meta.url), {
          workerData: { ...data, persistent: this.reuseWorkers } satisfies RunWorkerData,
          resourceLimits: { maxOldGenerationSizeMb: this.workerHeapMb },
        });
      }
    } catch (e) {
      this.settle(runId, entry, { state: 'failed', error: `cannot start the run worker: ${(e as Error).message}` });
      return;
    }
    entry.worker = worker;
    let final: (RunEvent & { type: 'status' }) | null = null;
    let ended = false;
    const onMessage = (e: RunEvent | RunWorkerIdle) => {
      if (e.type === 'idle') {
        // a persistent thread after its run's last word: ready for the next run
        if (e.runDir !== folder.dir || !final || ended) return;
        detach();
        worker.unref();
        this.idleWorkers.push(worker);
        return finish();
      }
      if (e.type === 'status') {
        entry.last = { ...entry.last, state: e.state, ...(e.backend ? { backend: e.backend } : {}), error: e.error };
        if (isFinalRunState(e.state)) {
          final = e;
          // the run has written everything: end the thread even if a library keeps a handle open in it
          if (!this.reuseWorkers) void worker.terminate();
        }
      } else if (e.type === 'generation') {
        entry.last = { ...entry.last, lastGeneration: e.generation };
      }
      this.emitSafe(e);
    };
    const finish = (error?: string) => {
      if (ended) return;
      ended = true;
      if (final) {
        // the worker said its last word; what it could not write to disk (full, folder gone) is kept in memory
        this.settle(runId, entry, { state: final.state, error: final.error }, false);
      } else if (entry.cancelRequested) {
        this.settle(runId, entry, { state: 'cancelled' });
      } else {
        // the worker died without a final word (killed, out of memory, crashed): nothing finished is lost, and
        // the run can be resumed from its last completed generation
        this.settle(runId, entry, { state: 'interrupted', error: error ?? 'the run worker stopped unexpectedly' });
      }
    };
    const onError = (err: Error) => finish(`run worker crashed: ${err.message}`);
    const onExit = (code: number) => finish(code === 0 ? undefined : `run worker exited with code ${code}`);
    const detach = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    if (!idle && this.reuseWorkers) {
      // an idle thread that dies is not handed a run
      worker.on('exit', () => {
        const i = this.idleWorkers.indexOf(worker);
        if (i >= 0) this.idleWorkers.splice(i, 1);
      });
    }
  }

  /**
   * End a run of this manager: record its final state (`write`: on disk, unless its worker wrote it already), report
   * it, resolve its waiters and let the next queued run start. Never throws: a status the disk refuses is kept in
   * memory as failed, naming the file and the error.
   */
  private settle(runId: string, entry: ActiveRun, patch: Pick<RunStatus, 'state' | 'error'>, write = true): void {
    clearTimeout(entry.killTimer);
    if (this.workers.get(runId) !== entry) return;
    this.workers.delete(runId);
    entry.leaveHost?.();
    entry.slot?.release();
    this.toldWaiting.delete(runId);
    // a cancel request that came too late (the run ended) must not stop its next start
    fs.rmSync(entry.folder.file(CANCEL_REQUEST), { force: true });
    const now = () => new Date().toISOString();
    let status: RunStatus;
    if (write) {
      try {
        status = entry.folder.updateStatus({ ...patch, ...(patch.state === 'cancelled' ? { error: undefined } : {}) });
        this.memoryStatus.delete(runId);
      } catch (e) {
        // the disk refuses (full, or the folder was deleted): the run is failed here, naming the file and the error
        const why = (e as Error).message;
        status = { ...entry.last, state: 'failed', error: patch.error ? `${patch.error}; ${why}` : why, updatedAt: now() };
        this.memoryStatus.set(runId, status);
      }
    } else {
      let disk: RunStatus | null = null;
      try {
        disk = entry.folder.readStatus();
      } catch {
        // the folder is gone: this process's word is all there is
      }
      if (disk && disk.state === patch.state) {
        status = disk;
        this.memoryStatus.delete(runId);
      } else {
        const error = patch.error ?? `the run ended ${patch.state} but ${entry.folder.file('status.json')} could not be written`;
        status = { ...(disk ?? entry.last), state: 'failed', error, updatedAt: now() };
        this.memoryStatus.set(runId, status);
      }
    }
    entry.last = status;
    this.studyRunChanged(runId);
    if (write || status.state !== patch.state || status.error !== patch.error) {
      this.emitSafe({ type: 'status', runId, state: status.state, ...(status.error ? { error: status.error } : {}) });
    }
    entry.resolve(status);
    this.pump();
  }

  /** A study's run resumed, ended or deleted: its study's caches are keyed by its change record. */
  private studyRunChanged(runId: string): void {
    if (this.recordStudyChanges) recordRunChange(this.workspace, runId);
  }

  /** Relay an event; a listener that throws must not take the host (or the other runs) down. */
  private emitSafe(e: RunEvent): void {
    try {
      this.emit('event', e);
    } catch (err) {
      process.stderr.write(`collapse-lab: a run event listener failed: ${(err as Error).message}\n`);
    }
  }

  /** Test hook: kill a run's worker abruptly, as a crash would. */
  async killWorker(runId: string): Promise<void> {
    const w = this.workers.get(runId);
    if (!w?.worker) throw new Error(`run ${runId} is not running here`);
    await w.worker.terminate();
    await w.done;
  }
}

function checkRunId(runId: string): void {
  if (!/^[A-Za-z0-9._-]+$/.test(runId) || runId.startsWith('.')) throw new Error(`invalid run id "${runId}"`);
}

function newRunId(name: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'run';
  return `${stamp}-${slug}-${randomBytes(3).toString('hex')}`;
}
