import os from 'node:os';
import path from 'node:path';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { RunEvent, RunState } from '../contract/events';
import { RunFolder, type RunStatus } from '../runs/run-folder';
import { RunManager, type BackendRequest } from '../runs/run-manager';
import { runProcessArgv, type RunProcessMessage } from '../runs/run-process-protocol';
import { acquireHostSlot, maxHostRunProcesses } from '../runs/host-slots';
import { spawnProcess, type EngineProcess } from '../util/spawn-process';
import { defaultParallelism } from './embedded-queue';
import { cancelKeyOf, connectionOf, INTERRUPTED_PREFIX, probeRedis, redactUrl, RUN_QUEUE, type RedisJobData } from './redis-queue';

/**
 * A worker of the distributed engine (`collapse-lab worker`): takes study runs from the BullMQ queue and runs each in
 * its own child process (run-process.ts), exactly as the embedded engine does, in the shared workspace as this
 * machine mounts it. The BullMQ job lock is the authority over a run: the run is resumed with `takeOver` (its
 * status's pid may be another machine's), and a worker killed mid-run leaves a stalled job that another worker takes
 * and resumes from the run's last finished generation. Each RunEvent of the run is reported through
 * job.updateProgress; the job returns the run's final status (completed or cancelled) or fails (the run failed, or
 * its process kept dying).
 */

export interface StudyWorkerOptions {
  /** redis://HOST:PORT of the studies' queue. */
  url: string;
  /** The shared workspace, as mounted on this machine. */
  workspace: string;
  /** Runs at once on this machine (default: one per core). */
  concurrency?: number;
  /** TensorFlow.js backend of the runs; absent: the coordinator's --backend, else auto. */
  backend?: BackendRequest;
  /** Ms a job's lock lasts without renewal (renewed every half): a dead worker's job is free after it. */
  lockDuration?: number;
  /** Ms between checks for stalled jobs (active jobs whose lock expired): they go back to the queue. */
  stalledInterval?: number;
  /** Times a job may stall (its worker died) and go back to the queue before it fails (at least 2). */
  maxStalledCount?: number;
  /** The queue (default RUN_QUEUE). */
  queueName?: string;
  /** One call per job start and end. */
  onJob?: (line: WorkerJobLine) => void;
  /** Connection trouble and the like: the worker carries on. */
  onError?: (e: Error) => void;
}

export interface WorkerJobLine {
  event: 'start' | 'end';
  jobId: string;
  studyId: string;
  runId: string;
  worker: string;
  /** Starts of this job so far (1 on the first). */
  attempt: number;
  generations: number;
  /** At the end: the run's state; `requeued` when this worker stopped and gave the job back to the queue. */
  state?: RunState | 'requeued';
  lastGeneration?: number;
  error?: string;
  seconds?: number;
}

/** Lock, stall and retry settings from the environment (COLLAPSE_LAB_QUEUE_LOCK_MS, …_STALLED_MS, …_MAX_STALLED). */
export function workerSettingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Pick<StudyWorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'> {
  const int = (name: string, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
    return n;
  };
  return {
    lockDuration: int('COLLAPSE_LAB_QUEUE_LOCK_MS', 1000),
    stalledInterval: int('COLLAPSE_LAB_QUEUE_STALLED_MS', 500),
    maxStalledCount: int('COLLAPSE_LAB_QUEUE_MAX_STALLED', 2),
  };
}

interface ActiveRun {
  child: EngineProcess | null;
  /** Stop the run at its next batch (said again each second until the run's process ends). */
  cancel(): void;
  /** The job's lock was lost: another worker may take the run; stop at once, writing nothing. */
  lockLost: boolean;
}

/** How often a running job's cancel key is looked at. */
const CANCEL_POLL_MS = 1000;
/** Progress events relayed at most this often per run (status, generation and log events always). */
const PROGRESS_EVERY_MS = 250;

export class StudyWorker {
  readonly name = `${os.hostname()}:${process.pid}`;
  readonly workspace: string;
  readonly concurrency: number;
  readonly lockDuration: number;
  readonly stalledInterval: number;
  readonly maxStalledCount: number;
  private readonly active = new Map<string, ActiveRun>();
  private closing: Promise<void> | null = null;
  private stopping = false;
  private worker!: Worker;
  private client!: Redis;
  /** Resolves when the worker has closed. */
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;

  private constructor(private readonly opts: StudyWorkerOptions) {
    this.workspace = path.resolve(opts.workspace);
    this.concurrency = Math.max(1, opts.concurrency ?? defaultParallelism());
    this.lockDuration = opts.lockDuration ?? 30_000;
    this.stalledInterval = opts.stalledInterval ?? 30_000;
    this.maxStalledCount = Math.max(2, opts.maxStalledCount ?? 3);
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /** Reach Redis (a clear error naming the URL within seconds if it cannot), then take jobs. */
  static async start(opts: StudyWorkerOptions): Promise<StudyWorker> {
    const w = new StudyWorker(opts);
    await probeRedis(opts.url);
    w.client = new Redis(opts.url, connectionOf(opts.url));
    w.client.on('error', (e) => w.error(e));
    w.worker = new Worker(opts.queueName ?? RUN_QUEUE, (job, token) => w.process(job, token!), {
      connection: connectionOf(opts.url),
      name: w.name,
      concurrency: w.concurrency,
      lockDuration: w.lockDuration,
      stalledInterval: w.stalledInterval,
      maxStalledCount: w.maxStalledCount,
    });
    w.worker.on('error', (e) => w.error(e));
    // the job's lock could not be renewed: the job may already be another worker's; stop its run without a word
    w.worker.on('lockRenewalFailed', (ids: string[]) => {
      for (const id of ids) {
        const a = w.active.get(id);
        if (!a) continue;
        a.lockLost = true;
        a.child?.kill('SIGKILL');
      }
    });
    await w.worker.waitUntilReady();
    return w;
  }

  get url(): string {
    return redactUrl(this.opts.url);
  }

  /** Jobs running here now. */
  get running(): number {
    return this.active.size;
  }

  /**
   * Stop gracefully: take no more jobs, cancel the running runs (they keep every finished generation) and give their
   * jobs back to the queue, where another worker (or this one, restarted) continues them.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.stopping = true;
    for (const a of this.active.values()) a.cancel();
    this.closing = (async () => {
      try {
        await this.worker.close();
      } finally {
        this.client.disconnect();
        this.resolveClosed();
      }
    })();
    return this.closing;
  }

  private error(e: Error): void {
    this.opts.onError?.(e);
  }

  private async process(job: Job<RedisJobData>, token: string): Promise<RunStatus> {
    const data = job.data;
    const jobId = job.id!;
    const started = Date.now();
    const line = (extra: Partial<WorkerJobLine>): WorkerJobLine => ({
      event: 'start',
      jobId,
      studyId: data.studyId,
      runId: data.runId,
      worker: this.name,
      attempt: job.attemptsStarted || job.attemptsMade + 1,
      generations: data.generations,
      ...extra,
    });
    this.opts.onJob?.(line({ event: 'start' }));
    const end = (state: WorkerJobLine['state'], s: Partial<RunStatus>) =>
      this.opts.onJob?.(
        line({
          event: 'end',
          state,
          lastGeneration: s.lastGeneration,
          ...(s.error ? { error: s.error } : {}),
          seconds: (Date.now() - started) / 1000,
        }),
      );
    try {
      const status = await this.runJob(job, token);
      end(status.state, status);
      return status;
    } catch (e) {
      const err = e as Error;
      const folder = new RunFolder(path.join(this.workspace, data.runId));
      const s = safeStatus(folder);
      if (err instanceof WaitingError) end('requeued', s);
      else end(err instanceof UnrecoverableError ? 'failed' : 'interrupted', { ...s, error: err.message.replace(INTERRUPTED_PREFIX, '') });
      throw e;
    }
  }

  private async runJob(job: Job<RedisJobData>, token: string): Promise<RunStatus> {
    const data = job.data;
    const jobId = job.id!;
    const runs = new RunManager(this.workspace);
    const folder = new RunFolder(path.join(this.workspace, data.runId));
    // this machine may not see the run folder yet (the coordinator's workspace elsewhere): create it from the config
    if (!folder.exists()) {
      try {
        runs.create(data.config, data.runId);
      } catch (e) {
        if (!folder.exists()) throw new UnrecoverableError(`cannot create the run folder ${folder.dir}: ${(e as Error).message}`);
      }
    }
    const cancelled = async () => (await this.client.exists(cancelKeyOf(jobId))) === 1;
    if (await cancelled()) return cancelledStatus(folder);
    const before = folder.readStatus();
    if (before.state === 'completed' && before.lastGeneration + 1 >= data.generations) return before; // finished by a worker that died before saying so

    if (this.stopping) return this.requeue(job, token); // taken as this worker began to stop: for another worker
    const backend = this.opts.backend ?? data.backend ?? 'auto';
    const result = await this.runChild(job, data, backend, cancelled);
    if (result.lockLost) throw new Error(`${INTERRUPTED_PREFIX}this worker lost the job's lock; another worker continues the run`);
    const final = result.final;
    if (final?.state === 'completed') return final;
    if (final?.state === 'failed') throw new UnrecoverableError(final.error ?? 'the run failed');
    if (result.refused) throw new UnrecoverableError(result.refused);
    // cancelled, or stopped otherwise: the run folder keeps every finished generation
    const error = final ? (final.error ?? `the run ended ${final.state}`) : `the run's process ${result.how}`;
    if (!final) {
      try {
        folder.updateStatus({ state: 'interrupted', error }); // it died without its last word
      } catch {
        // the folder may be unreachable: the job's failure says what happened
      }
    }
    if (await cancelled().catch(() => false)) return final?.state === 'cancelled' ? final : cancelledStatus(folder);
    if (this.stopping) return this.requeue(job, token);
    if (final?.state === 'cancelled') return final; // cancelled through its run folder (another process): the job ends so
    throw new Error(`${INTERRUPTED_PREFIX}${error}`); // retried: the next start continues from the last generation
  }

  /** This worker is stopping: give the job back to the queue, where it continues from the run's last generation. */
  private async requeue(job: Job<RedisJobData>, token: string): Promise<never> {
    await job.moveToWait(token);
    throw new WaitingError();
  }

  private async runChild(
    job: Job<RedisJobData>,
    data: RedisJobData,
    backend: BackendRequest,
    cancelled: () => Promise<boolean>,
  ): Promise<{ final: RunStatus | null; refused: string | null; how: string; lockLost: boolean }> {
    const jobId = job.id!;
    // one of the host's run slots (main/runs/host-slots.ts): at the cap, the job waits here for a run process to end
    const slot = await acquireHostSlot({ cap: maxHostRunProcesses(this.concurrency), who: `job ${jobId}'s run process` });
    return new Promise((resolve) => {
      let cancelling = false;
      const sendCancel = () => {
        if (a.child?.connected) a.child.send({ type: 'cancel' }, () => undefined);
      };
      const a: ActiveRun = {
        child: null,
        lockLost: false,
        cancel: () => {
          if (cancelling) return;
          cancelling = true;
          sendCancel();
        },
      };
      this.active.set(jobId, a);
      // its own process group: a Ctrl-C at the worker's terminal reaches the worker, which cancels the run cleanly
      const child = spawnProcess(
        new URL('../runs/run-process.ts', import.meta.url),
        runProcessArgv({
          workspace: this.workspace,
          runId: data.runId,
          backend,
          generations: data.generations,
          takeOver: true,
          oneCorePerRun: this.concurrency > 1,
        }),
        { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], detached: true },
      );
      a.child = child;
      if (child.pid !== undefined) slot.hold(child.pid);
      if (this.stopping) a.cancel();
      let final: RunStatus | null = null;
      let refused: string | null = null;
      let lastProgress = 0;
      child.on('message', (m: RunProcessMessage) => {
        if (m.type === 'event') {
          const e: RunEvent = m.event;
          if (e.type === 'progress') {
            const now = Date.now();
            if (now - lastProgress < PROGRESS_EVERY_MS && e.fraction < 1) return;
            lastProgress = now;
          }
          job.updateProgress(e).catch(() => undefined);
        } else if (m.type === 'done') final = m.status;
        else if (m.type === 'error') refused = m.message;
      });
      // a message sent before the run's process listens is lost: a cancel is said again until the process ends
      const poll = setInterval(() => {
        if (cancelling) return sendCancel();
        cancelled().then(
          (yes) => yes && a.cancel(),
          () => undefined,
        );
      }, CANCEL_POLL_MS);
      let ended = false;
      const end = (how: string) => {
        if (ended) return;
        ended = true;
        clearInterval(poll);
        slot.release();
        this.active.delete(jobId);
        resolve({ final, refused, how, lockLost: a.lockLost });
      };
      child.on('error', (e) => end(`could not run: ${e.message}`));
      child.on('exit', (code, signal) => end(signal ? `was killed (${signal})` : `exited with code ${code}`));
    });
  }
}

function cancelledStatus(folder: RunFolder): RunStatus {
  const s = folder.readStatus();
  if (s.state === 'completed' || s.state === 'cancelled' || s.state === 'failed')
    return { ...s, state: s.state === 'completed' ? 'completed' : 'cancelled' };
  return folder.updateStatus({ state: 'cancelled' });
}

function safeStatus(folder: RunFolder): RunStatus {
  try {
    return folder.readStatus();
  } catch (e) {
    const now = new Date().toISOString();
    return { state: 'failed', lastGeneration: -1, generations: 0, startedAt: now, updatedAt: now, error: (e as Error).message };
  }
}
