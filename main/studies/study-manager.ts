import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExperimentConfig } from '../contract/config';
import type { RunEvent } from '../contract/events';
import { isFinalRunState, liveRunStates } from '../contract/run-state';
import { sampleSpaceOf } from '../contract/datasets/dataset-kinds';
import type {
  StudyEvent,
  StudyIndex,
  StudyIndexEntry,
  StudyProgress,
  StudyRunValues,
  StudySpec,
  StudyState,
  StudySummary,
} from '../contract/study';
import { RunFolder, type RunStatus } from '../runs/run-folder';
import { RunManager, type BackendRequest } from '../runs/run-manager';
import { numericMetricsOf, type StudyAggregate, type StudyAggregateInput, type StudyCellResult } from '../shared/aggregate';
import { correlateRuns, type RunCorrelation } from './correlate';
import { runValuesOf } from './run-values';
import { checkQueueChoice, createQueueEngine, type QueueChoice } from './create-queue-engine';
import { cellLabel, expandStudy, validateStudy, type StudyPlan } from './expand-study';
import { checkParallel, checkStudyDisk, checkStudyRunCount, type StudyLimitOverrides } from './study-limits';
import { checkRunGpuMemory, checkRunInputs } from '../runs/preflight';
import { webgpuAdapterForRuns } from '../backend/run-adapter';
import type { GpuAdapter } from '../contract/run-record';
import { studySpec } from '../contract/study';
import { modelIsPlainJs, modelKinds, type ModelKind } from '../contract/models/catalog';
import { ensureWorkspace } from '../runs/workspace';
import { InputError, NotFoundError } from '../util/errors';
import { checkStudyPreset } from './preset-study';
import { listStudyIds, STUDY_CANCEL_REQUEST, StudyFolder } from './study-folder';
import type { StudyJob, StudyQueueEngine } from './study-queue';
import { formatStudyTable, type StudyTableOptions } from '../shared/study-table';
import { fileVersion } from '../util/file-version';
import { powerLawFromOf, StudyDigests, windowsOf, type StudyDigest } from './study-digest';
import { StudyProgressTracker } from './study-progress';
import { readCachedStudyStatus, settledStudyKey, writeCachedStudyStatus } from './study-status-cache';

/** The longest a study's index.json lags behind its runs' changes while its coordinator runs (ms). */
export const INDEX_WRITE_MS = 1000;

export interface StudyStatus extends StudySummary {
  spec: StudySpec;
  runs: StudyIndexEntry[];
}

interface ActiveStudy {
  controller: AbortController;
  done: Promise<StudyStatus>;
  engine: StudyQueueEngine;
}

/**
 * Studies in a workspace: expands a study file into runs, prepares their run folders, hands the runs that are not
 * complete to a queue engine (embedded, or BullMQ on Redis), keeps the study's index and progress, and writes the
 * aggregate when the runs settle. Every door (CLI, local server, Electron IPC) drives studies through this class;
 * none holds queue logic.
 */
export class StudyManager extends EventEmitter<{ study: [StudyEvent]; run: [RunEvent] }> {
  readonly runs: RunManager;
  private readonly active = new Map<string, ActiveStudy>();
  /** Each study's digest (aggregate, vectors, compute time), cached by its runs' file versions. */
  readonly digests: StudyDigests;
  /** Each study's expansion, by the version of its study.json (a study of thousands of runs is expanded once). */
  private readonly plans = new Map<string, { version: string; plan: StudyPlan }>();
  /** Final statuses of study runs, by run folder, with the version of the status.json they were read from. */
  private readonly finalStatuses = new Map<string, { version: string; status: RunStatus }>();
  /**
   * The statuses of settled studies (no coordinator, every run final), by study folder, with the key they hold for
   * (the versions of study.json and index.json and the change record: only the engine changes a settled study, and it
   * rewrites the record).
   */
  private readonly settledStatuses = new Map<string, { key: string; status: StudyStatus }>();

  /** `runs`: the door's RunManager of the same workspace, when it has one (the study's runs are its runs). */
  constructor(
    readonly workspace: string,
    private readonly backend: BackendRequest = 'auto',
    runs?: RunManager,
  ) {
    super();
    this.runs = runs ?? new RunManager(workspace, backend);
    this.digests = new StudyDigests((run) => this.runs.effectiveStatus(run));
  }

  folder(studyId: string): StudyFolder {
    const f = new StudyFolder(this.workspace, studyId);
    if (!f.exists()) throw new NotFoundError(`no study "${studyId}" in ${path.join(this.workspace, 'studies')}`);
    return f;
  }

  /**
   * Validate and expand a study, record it in its folder, and start its pending runs on the chosen queue. A study of
   * the same name continues in the same folder: cells that finished are never run again; new values or seeds add
   * runs; a larger `loop.generations` extends finished runs. Returns the study id at once.
   */
  start(
    input: unknown,
    opts: { queue?: QueueChoice; source?: string; preset?: string; limits?: StudyLimitOverrides; gpuAdapter?: GpuAdapter | null } = {},
  ): string {
    // a study started from a preset records its name: its report finds the paper's claim, figures and verdict by it
    const marked = opts.preset && input !== null && typeof input === 'object' ? { ...(input as object), preset: opts.preset } : input;
    const limits = opts.limits ?? {};
    // the host's caps first, from the spec alone: a study of a million cells is refused before one config is expanded
    checkParallel(opts.queue?.parallel, limits, opts.source);
    checkStudyRunCount(validateStudy(marked, opts.source), limits, opts.source);
    const plan = expandStudy(marked, opts.source);
    checkStudyPreset(plan.spec, opts.source ?? 'study');
    const folder = new StudyFolder(this.workspace, plan.studyId);
    if (this.active.has(plan.studyId)) throw new Error(`study ${plan.studyId} is already running`);
    this.refuseIfCoordinatedElsewhere(folder);
    this.checkInputs(plan, opts.source ?? 'study', opts.gpuAdapter);
    checkStudyDisk(plan.runs, this.workspace, limits, opts.source);
    folder.writeJson('study.json', plan.spec);
    this.launch(folder, plan, opts.queue ?? {});
    return plan.studyId;
  }

  /**
   * `start` once the queue is known to answer (a Redis that cannot be reached or a malformed URL is refused before
   * the study's folder or any run folder is written), and every cell's model is known to fit the GPU adapter its runs
   * would use (on webgpu, or under auto where it picks webgpu: main/backend/run-adapter.ts), for the doors.
   */
  async startChecked(
    input: unknown,
    opts: { queue?: QueueChoice; source?: string; preset?: string; limits?: StudyLimitOverrides } = {},
  ): Promise<string> {
    await checkQueueChoice(opts.queue ?? {});
    const gpuAdapter = mayTrainOnBackend(input) ? await webgpuAdapterForRuns(this.workspace, this.backend) : null;
    return this.start(input, { ...opts, gpuAdapter });
  }

  /** `resume` once the queue chosen (not the one the study last ran on) is known to answer, and its cells fit the GPU. */
  async resumeChecked(studyId: string, opts: { queue?: QueueChoice; limits?: StudyLimitOverrides } = {}): Promise<void> {
    await checkQueueChoice(opts.queue ?? {});
    const spec = this.folder(studyId).readSpec();
    const gpuAdapter = mayTrainOnBackend(spec) ? await webgpuAdapterForRuns(this.workspace, this.backend) : null;
    this.resume(studyId, { ...opts, gpuAdapter });
  }

  /** Continue a study from its folder: every run that is not complete is queued again and continues where it stopped. */
  resume(studyId: string, opts: { queue?: QueueChoice; limits?: StudyLimitOverrides; gpuAdapter?: GpuAdapter | null } = {}): void {
    checkParallel(opts.queue?.parallel, opts.limits ?? {}, studyId);
    const folder = this.folder(studyId);
    if (this.active.has(studyId)) throw new Error(`study ${studyId} is already running`);
    this.refuseIfCoordinatedElsewhere(folder);
    const plan = this.planOf(folder);
    this.checkInputs(plan, `${studyId}/study.json`, opts.gpuAdapter);
    // without a choice, a study continues on the queue it ran on (its index records a Redis URL, or embedded)
    const saved = folder.readIndex()?.queue;
    const choice =
      opts.queue?.queue || opts.queue?.parallel !== undefined
        ? opts.queue
        : saved && saved !== 'embedded'
          ? { queue: saved }
          : (opts.queue ?? {});
    this.launch(folder, plan, choice);
  }

  /**
   * Stop a study: its runs stop at their next batch and keep what they finished. A study coordinated by another
   * process is asked through a cancel-request file in its folder, which its coordinator looks for once a second.
   */
  cancel(studyId: string): void {
    const folder = this.folder(studyId);
    const a = this.active.get(studyId);
    if (a) return a.controller.abort();
    const coordinator = folder.readCoordinator();
    if (!coordinator || !coordinatorAlive(coordinator)) throw new Error(`study ${studyId} is not running`);
    folder.writeJson(STUDY_CANCEL_REQUEST, { requestedAt: new Date().toISOString(), by: process.pid });
  }

  /**
   * What `start` would run, without running anything: the expansion, and the runs whose folders already hold their
   * generations (never run again) apart from those still to do.
   */
  plan(
    input: unknown,
    source?: string,
    limits: StudyLimitOverrides = {},
  ): { plan: StudyPlan; completed: number; pending: StudyPlan['runs'] } {
    checkStudyRunCount(validateStudy(input, source), limits, source);
    const plan = expandStudy(input, source);
    const folder = new StudyFolder(this.workspace, plan.studyId);
    const done = new Set(plan.runs.filter((r) => this.entryOf(folder, r, undefined).state === 'completed').map((r) => r.key));
    return { plan, completed: done.size, pending: plan.runs.filter((r) => !done.has(r.key)) };
  }

  /** Resolves with the study's status when its coordinator here ends. */
  async wait(studyId: string): Promise<StudyStatus> {
    const a = this.active.get(studyId);
    return a ? a.done : this.status(studyId);
  }

  isActive(studyId: string): boolean {
    return this.active.has(studyId);
  }

  list(): StudySummary[] {
    const out: StudySummary[] = [];
    for (const id of listStudyIds(this.workspace)) {
      try {
        const { spec: _spec, runs: _runs, ...summary } = this.status(id);
        out.push(summary);
      } catch {
        // a study folder that cannot be read is skipped, not fatal to the listing
      }
    }
    return out;
  }

  /** The study's runs with their states as their run folders say now, its progress and its state. */
  status(studyId: string): StudyStatus {
    const folder = this.folder(studyId);
    const coordinator = folder.readCoordinator();
    const coordinated = this.active.has(studyId) || (coordinator !== null && coordinatorAlive(coordinator));
    // a settled study (no coordinator, every run final) as last computed, while its key holds: in memory, else from
    // its folder (study-status-cache.ts), without expanding it or reading its runs
    const key = coordinated ? null : settledStudyKey(folder);
    if (key !== null) {
      const kept = this.settledStatuses.get(folder.dir);
      if (kept?.key === key) return kept.status;
      const cached = readCachedStudyStatus(folder, key);
      if (cached) {
        this.settledStatuses.set(folder.dir, { key, status: cached });
        return cached;
      }
    }
    const plan = this.planOf(folder);
    const spec = plan.spec;
    const { runs, queue } = this.runEntries(folder, plan);
    const progress = progressOf(studyId, runs);
    // a cancel asked and not yet done: the coordinator (here, or the one that will read the request) is stopping it
    const cancelling = coordinated && (this.active.get(studyId)?.controller.signal.aborted || folder.cancelRequested());
    const status: StudyStatus = {
      id: studyId,
      name: spec.name,
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.preset ? { preset: spec.preset } : {}),
      state: cancelling ? 'cancelling' : studyStateOf(runs, coordinated),
      ...(queue ? { queue } : {}),
      fieldPaths: plan.fieldPaths,
      seeds: plan.seeds,
      progress,
      spec,
      runs,
    };
    if (key !== null && runs.every((r) => isFinalRunState(r.state))) {
      this.settledStatuses.set(folder.dir, { key, status });
      writeCachedStudyStatus(folder, key, status);
    } else this.settledStatuses.delete(folder.dir);
    return status;
  }

  /**
   * `status` without reading every run folder, for a study another process coordinates: its runs as that
   * coordinator's index records them (it writes each change), its state from the coordinator's liveness and a waiting
   * cancel request. A study no one coordinates is read in full (`status`).
   */
  liveStatus(studyId: string): Pick<StudyStatus, 'state' | 'progress' | 'runs'> {
    const folder = this.folder(studyId);
    const coordinator = folder.readCoordinator();
    const index = folder.readIndex();
    if (this.active.has(studyId) || !index || !coordinator || !coordinatorAlive(coordinator)) return this.status(studyId);
    return {
      state: folder.cancelRequested() ? 'cancelling' : studyStateOf(index.runs, true),
      progress: progressOf(studyId, index.runs),
      runs: index.runs,
    };
  }

  /** Whether a study's coordinator record names a living process (one of another host is trusted). */
  coordinatorAlive(c: { pid: number; host: string }): boolean {
    return coordinatorAlive(c);
  }

  /**
   * The aggregate of the study's completed runs: computed from their run folders once (and written to the study
   * folder), then read from the cache until a run changes (study-digest.ts).
   */
  aggregate(studyId: string): StudyAggregate {
    return this.digest(studyId).aggregate;
  }

  /** The study's digest: its aggregate, vector aggregate and compute seconds, cached by its runs' file versions. */
  digest(studyId: string): StudyDigest {
    const folder = this.folder(studyId);
    // aggregate.csv once the study is no longer coordinated (the coordinator's end computes it then)
    const coordinator = folder.readCoordinator();
    const coordinated = this.active.has(studyId) || (coordinator !== null && coordinatorAlive(coordinator));
    return this.digests.get(folder, () => this.planOf(folder), { csv: !coordinated });
  }

  /** The metrics lines of the study's completed runs by cell (what the aggregate is computed from). */
  aggregateInput(studyId: string): StudyAggregateInput {
    const folder = this.folder(studyId);
    return this.results(folder, this.planOf(folder));
  }

  /** The study's table; without metrics asked, the ones the study chose to compute come first. */
  table(studyId: string, opts: StudyTableOptions): string {
    const chosen = this.planOf(this.folder(studyId)).spec.metrics;
    return formatStudyTable(this.aggregate(studyId), { chosen, ...opts });
  }

  /** Correlations of metrics across the study's completed runs (every cell and seed), at the last or a given generation. */
  correlate(studyId: string, xs: string[], ys: string[], generation: 'last' | number = 'last'): RunCorrelation[] {
    const folder = this.folder(studyId);
    const plan = this.planOf(folder);
    return correlateRuns(this.results(folder, plan).cells, xs, ys, generation);
  }

  /** Each completed run as a point: fields, seed and the chosen metrics at the last or a given generation. */
  runValues(studyId: string, metrics: string[], generation: 'last' | number = 'last'): StudyRunValues {
    const folder = this.folder(studyId);
    const plan = this.planOf(folder);
    const { cells } = this.results(folder, plan);
    const known = new Set<string>();
    for (const c of cells) for (const r of c.runs) for (const l of r.lines) for (const k of numericMetricsOf(l).keys()) known.add(k);
    const unknown = metrics.filter((m) => !known.has(m));
    if (unknown.length > 0 && cells.length > 0) {
      throw new InputError(`unknown metric ${unknown.join(', ')}; the runs have: ${[...known].sort().join(', ')}`);
    }
    return {
      fieldPaths: plan.fieldPaths,
      metrics: [...known].sort(),
      runs: runValuesOf(cells, metrics, generation, (k) => folder.runId(k)),
    };
  }

  /** Cancel the studies this manager coordinates and wait for them. */
  async close(): Promise<void> {
    for (const a of this.active.values()) a.controller.abort();
    await Promise.allSettled([...this.active.values()].map((a) => a.done));
    await this.runs.close();
  }

  /**
   * Before anything is written: a workspace that can hold folders, and each run's files and memory (preflight.ts),
   * and with `gpuAdapter` (the adapter its runs would train on) each cell's model against its buffer limits.
   */
  private checkInputs(plan: StudyPlan, source: string, gpuAdapter?: GpuAdapter | null): void {
    ensureWorkspace(this.workspace);
    const checked = new Set<string>();
    for (const r of plan.runs) {
      // runs that differ only by seed need the same files and memory
      if (checked.has(r.cellKey)) continue;
      checked.add(r.cellKey);
      const cell = `${source} (cell ${cellLabel(r.fields) || 'base'})`;
      checkRunInputs(r.config, cell);
      if (gpuAdapter) checkRunGpuMemory(r.config, gpuAdapter, cell);
    }
  }

  private refuseIfCoordinatedElsewhere(folder: StudyFolder): void {
    const c = folder.readCoordinator();
    if (c && c.pid !== process.pid && coordinatorAlive(c)) {
      throw new Error(`study ${folder.id} is coordinated by process ${c.pid} on ${c.host}; cancel it or wait for it`);
    }
  }

  /**
   * The study's runs as their run folders say now, with the queue its index names. (A settled study's are kept with
   * its status, keyed by its change record: `status`.)
   */
  private runEntries(folder: StudyFolder, plan: StudyPlan): { runs: StudyIndexEntry[]; queue?: string } {
    const index = folder.readIndex();
    const previous = entriesByKey(index);
    const runs = plan.runs.map((r) => this.entryOf(folder, r, previous.get(r.key)));
    return { runs, ...(index?.queue ? { queue: index.queue } : {}) };
  }

  /** A planned run's entry as its run folder says now (`previous`: its entry in the index, for its attempts). */
  private entryOf(folder: StudyFolder, r: StudyPlan['runs'][number], previous: StudyIndexEntry | undefined): StudyIndexEntry {
    const key = r.key;
    const runId = folder.runId(key);
    const run = new RunFolder(path.join(this.workspace, runId));
    const base = {
      key,
      cellKey: r.cellKey,
      seed: r.seed,
      runId,
      fields: r.fields,
      generations: r.config.loop.generations,
      attempts: previous?.attempts ?? 0,
    };
    // a run in a final state changes only when its status.json does: one stat instead of reading it (and its
    // progress note and cancel request) again, for each of a study's thousands of runs at each look
    const version = fileVersion(run.file('status.json'));
    const known = this.finalStatuses.get(run.dir);
    let s: RunStatus;
    if (version && known?.version === version) s = known.status;
    else {
      if (!run.exists()) return { ...base, state: 'queued', lastGeneration: -1 };
      try {
        s = this.runs.effectiveStatus(run);
      } catch (e) {
        return { ...base, state: 'failed', lastGeneration: -1, error: (e as Error).message };
      }
      if (version && isFinalRunState(s.state)) this.finalStatuses.set(run.dir, { version, status: s });
      else this.finalStatuses.delete(run.dir);
    }
    // a finished run short of the study's generations is pending: the study extends it
    const state = s.state === 'completed' && s.lastGeneration + 1 < r.config.loop.generations ? 'queued' : s.state;
    return { ...base, state, lastGeneration: s.lastGeneration, ...(s.error && state !== 'completed' ? { error: s.error } : {}) };
  }

  /**
   * A study run's folder, queued, unless it exists. Written without syncs (thousands at a study's start; a sync each
   * cost more than a small run): a folder whose start a machine crash cut (config.json or status.json missing or
   * unreadable, and no generation yet) holds no work, and is written again here at the next start or resume.
   */
  private ensureRunFolder(runId: string, config: ExperimentConfig): void {
    const run = new RunFolder(path.join(this.workspace, runId));
    if (!fs.existsSync(run.dir)) {
      this.runs.create(config, runId, { durable: false });
      return;
    }
    if (fs.existsSync(run.file('metrics.jsonl'))) return;
    try {
      run.readConfig();
      run.readStatus();
    } catch {
      run.writeQueued(config, { durable: false });
    }
  }

  private launch(folder: StudyFolder, plan: StudyPlan, choice: QueueChoice): void {
    const engine = createQueueEngine(choice, this.backend);
    const controller = new AbortController();
    const studyId = plan.studyId;
    fs.rmSync(folder.file(STUDY_CANCEL_REQUEST), { force: true });
    // the run folders first: a run's folder exists (config.json, state queued) before its job does
    const previous = entriesByKey(folder.readIndex());
    const index: StudyIndex = {
      studyId,
      updatedAt: new Date().toISOString(),
      queue: engine.name,
      runs: plan.runs.map((r) => {
        this.ensureRunFolder(folder.runId(r.key), r.config);
        return this.entryOf(folder, r, previous.get(r.key));
      }),
    };
    const configs = new Map(plan.runs.map((r) => [r.key, r.config]));
    // seed-major: every cell's first seed, then every cell's next, so that a study stopped early compares all its cells
    const seedRank = new Map(plan.seeds.map((s, i) => [s, i]));
    const jobs: StudyJob[] = index.runs
      .filter((e) => e.state !== 'completed')
      .map((e) => ({ studyId, key: e.key, runId: e.runId, config: configs.get(e.key)!, generations: e.generations }))
      .map((job, i) => ({ job, i, rank: seedRank.get(job.config.seed) ?? 0 }))
      .sort((a, b) => a.rank - b.rank || a.i - b.i)
      .map(({ job }) => job);
    for (const e of index.runs) {
      if (e.state === 'completed') continue;
      // waiting again: what an earlier start said of it (an error, an interruption) is no longer its state
      e.state = 'queued';
      delete e.error;
    }
    folder.writeIndex(index);
    folder.writeJson('coordinator.json', {
      pid: process.pid,
      host: os.hostname(),
      queue: engine.name,
      startedAt: new Date().toISOString(),
    });
    // what is cached of the study (its digest, its runs' states) is keyed by its change record
    folder.recordChange({ durable: true });

    // the study's progress, told run by run (a pass over thousands of entries per event was most of the coordinator's time)
    const tracker = new StudyProgressTracker(studyId, index.runs.length, index.runs);
    const started = Date.now();
    const startFraction = tracker.progress().fraction;
    const emit = (run?: StudyIndexEntry) => {
      const progress = withEta(tracker.progress(), startFraction, started);
      const e: StudyEvent = {
        type: 'study',
        studyId,
        state: controller.signal.aborted ? 'cancelling' : tracker.allCompleted() ? 'completed' : 'running',
        progress,
        ...(run
          ? {
              run: {
                key: run.key,
                runId: run.runId,
                state: run.state,
                lastGeneration: run.lastGeneration,
                generations: run.generations,
                ...(run.error ? { error: run.error } : {}),
              },
            }
          : {}),
      };
      this.emit('study', e);
    };
    // the index is a view of the run folders (which hold the truth, and from which resume rebuilds it): rewritten at
    // most once per INDEX_WRITE_MS while runs change, and once more when the study's runs have settled, instead of
    // after every change (a whole-index rewrite per generation of every run was most of a small run's cost)
    let saveTimer: NodeJS.Timeout | null = null;
    const writeIndexNow = () => {
      if (saveTimer) clearTimeout(saveTimer);
      saveTimer = null;
      index.updatedAt = new Date().toISOString();
      folder.writeIndex(index);
      // after the runs' own files: a digest read before this write is computed again after it
      folder.recordChange();
    };
    const save = () => {
      saveTimer ??= setTimeout(() => {
        try {
          writeIndexNow();
        } catch (e) {
          this.emit('run', { type: 'log', runId: studyId, message: `index not written: ${(e as Error).message}` });
        }
      }, INDEX_WRITE_MS);
    };
    const byKey = new Map(index.runs.map((e) => [e.key, e]));
    const entry = (key: string) => byKey.get(key)!;
    let lastProgressEmit = 0;

    // four looks a second for a cancel asked by another process (one stat each): the app shows it within 2 s
    const poll = setInterval(() => {
      if (folder.cancelRequested()) {
        fs.rmSync(folder.file(STUDY_CANCEL_REQUEST), { force: true });
        controller.abort();
      }
    }, 250);
    const done = (async (): Promise<StudyStatus> => {
      emit();
      try {
        await engine.run(jobs, this.workspace, {
          signal: controller.signal,
          onEvent: (job, e) => {
            this.emit('run', e);
            const en = entry(job.key);
            if (e.type === 'progress') {
              tracker.setLive(en, e.fraction);
              const now = Date.now();
              if (now - lastProgressEmit >= 1000) {
                lastProgressEmit = now;
                emit();
              }
            } else if (e.type === 'status' && (e.state === 'starting' || e.state === 'running' || e.state === 'cancelling')) {
              // each start of the run's process says running once: a retried run counts a second attempt
              if (e.state === 'running') en.attempts += 1;
              en.state = e.state;
              delete en.error;
              tracker.update(en);
              save();
              emit(en);
            } else if (e.type === 'generation') {
              en.lastGeneration = e.generation;
              tracker.update(en);
              save();
            }
          },
          onSettled: (job, status) => {
            const en = entry(job.key);
            en.state = status.state;
            en.lastGeneration = status.lastGeneration;
            if (status.error && status.state !== 'completed') en.error = status.error;
            else delete en.error;
            tracker.setLive(en, null);
            save();
            emit(en);
          },
        });
      } finally {
        clearInterval(poll);
        if (saveTimer) writeIndexNow();
        await engine.close();
        fs.rmSync(folder.file('coordinator.json'), { force: true });
        this.active.delete(studyId);
        folder.recordChange({ durable: true });
      }
      try {
        this.digests.get(folder, plan);
      } catch (e) {
        this.emit('run', { type: 'log', runId: studyId, message: `aggregate not written: ${(e as Error).message}` });
      }
      // its status, kept when the study settled (study-status-cache.ts), and the workspace's run summaries kept
      // (run-summary-cache.ts): the views' first look in another process reads those, not each of its runs
      const status = this.status(studyId);
      try {
        this.runs.list();
      } catch {
        // a cache: the next list reads the runs
      }
      this.emit('study', { type: 'study', studyId, state: status.state, progress: status.progress });
      return status;
    })();
    this.active.set(studyId, { controller, done, engine });
  }

  /** The study's expansion, computed again only when its study.json changes. */
  private planOf(folder: StudyFolder): StudyPlan {
    const version = fileVersion(folder.file('study.json'));
    const known = this.plans.get(folder.dir);
    if (known && known.version === version) return known.plan;
    const plan = expandStudy(folder.readSpec(), `${folder.id}/study.json`);
    this.plans.set(folder.dir, { version, plan });
    return plan;
  }

  /** The metrics lines of the study's completed runs, by cell (up to the study's generations). */
  private results(folder: StudyFolder, plan: StudyPlan): StudyAggregateInput {
    const cells = new Map<string, StudyCellResult>();
    for (const r of plan.runs) {
      const run = new RunFolder(path.join(this.workspace, folder.runId(r.key)));
      if (!run.exists()) continue;
      const status = this.runs.effectiveStatus(run);
      if (status.state !== 'completed') continue;
      const lines = run.readMetrics().filter((l) => Number(l.generation) < r.config.loop.generations);
      const cell = cells.get(r.cellKey) ?? { cellKey: r.cellKey, fields: r.fields, runs: [] };
      cell.runs.push({ key: r.key, seed: r.seed, lines: lines as Record<string, unknown>[] });
      cells.set(r.cellKey, cell);
    }
    return {
      studyId: plan.studyId,
      fieldPaths: plan.fieldPaths,
      cells: [...cells.values()],
      powerLawFrom: powerLawFromOf(plan),
      windows: windowsOf(plan),
      samples: sampleSpaceOf(plan.runs.map((r) => r.config.dataset)),
    };
  }
}

/** Counts by state and the completion fraction (generations done, plus the running runs' own progress), in one pass. */
function progressOf(studyId: string, runs: StudyIndexEntry[]): StudyProgress {
  return new StudyProgressTracker(studyId, runs.length, runs).progress();
}

/** A study index's entries by run key (none without an index). */
function entriesByKey(index: StudyIndex | null): Map<string, StudyIndexEntry> {
  return new Map((index?.runs ?? []).map((e) => [e.key, e]));
}

function withEta(p: StudyProgress, startFraction: number, startedAt: number): StudyProgress {
  const done = p.fraction - startFraction;
  const seconds = (Date.now() - startedAt) / 1000;
  if (done <= 0.001 || seconds < 1) return p;
  return { ...p, etaSeconds: (seconds * (1 - p.fraction)) / done };
}

function studyStateOf(runs: StudyIndexEntry[], coordinated: boolean): StudyState {
  if (runs.length > 0 && runs.every((r) => r.state === 'completed')) return 'completed';
  if (coordinated) return 'running';
  if (runs.some((r) => r.state === 'cancelled')) return 'cancelled';
  if (runs.some((r) => r.state === 'failed')) return 'failed';
  if (runs.some((r) => r.state === 'interrupted' || isLiveRunState(r.state))) return 'interrupted';
  return 'queued';
}

function coordinatorAlive(c: { pid: number; host: string }): boolean {
  if (c.host !== os.hostname()) return true; // another machine's coordinator: trust its record
  try {
    process.kill(c.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isLiveRunState(state: string): boolean {
  return (liveRunStates as readonly string[]).includes(state);
}

/**
 * Whether a study's runs may train a TensorFlow.js model (whose tensors the GPU memory check sizes): its base model's
 * kind is not a plain-JavaScript one, or an axis sets the model or its kind. A spec that does not parse: yes (its
 * start refuses it by name anyway). A study of toy models then never loads Dawn to learn the adapter.
 */
function mayTrainOnBackend(input: unknown): boolean {
  const r = studySpec.safeParse(input);
  if (!r.success) return true;
  const kind = (r.data.base as { model?: { kind?: unknown } }).model?.kind;
  const paths = r.data.axes.flatMap((a) => ('zip' in a ? a.zip.map((z) => z.path) : [a.path]));
  if (paths.some((p) => p === 'model' || p === 'model.kind')) return true;
  return typeof kind !== 'string' || !(modelKinds as readonly string[]).includes(kind) || !modelIsPlainJs(kind as ModelKind);
}
