import path from 'node:path';
import type { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunEvent } from '../contract/events';
import { RunFolder, type RunStatus } from '../runs/run-folder';
import { RunManager, type BackendRequest } from '../runs/run-manager';
import type { QueueHooks, StudyJob, StudyQueueEngine } from './study-queue';

/**
 * The distributed engine: the study's runs are jobs of a BullMQ queue on Redis, taken by `collapse-lab worker`
 * processes on any machine that reaches the Redis server and the shared workspace (study-worker.ts). bullmq and
 * ioredis are loaded only when this engine runs, so the embedded path never pays for them.
 *
 * Jobs: one queue for every study (RUN_QUEUE); a job's id is `<studyId>__<run key>`, so a run is never queued twice.
 * A job already in the queue is reused: waiting or running, it is waited for; completed with the run complete (as the
 * workspace says too), it is not run again; failed, removed, cancelled or short of the generations now asked, it is
 * queued again. Its data is the StudyJob plus the workspace as the coordinator sees it (workers use their own --out).
 *
 * Progress: a worker reports each RunEvent of its run through job.updateProgress; the coordinator listens with
 * QueueEvents (progress → hooks.onEvent, completed → onSettled with the run's final status, failed → onSettled
 * failed, or interrupted when the run's processes kept dying), and polls the jobs' states now and then, so that no
 * end is missed.
 *
 * Cancel: the coordinator sets a cancel key per job in Redis (workers look once a second and stop the run at its
 * next batch), writes the run folder's cancel request where it can (RunManager.cancel: the workspace is shared),
 * removes the jobs that wait, and waits for the running ones to end as cancelled.
 */

/** The one BullMQ queue of every study's runs. */
export const RUN_QUEUE = 'collapse-lab-runs';

/** A job's failure reason when the run's process died (rather than the run failing): retried, then `interrupted`. */
export const INTERRUPTED_PREFIX = 'interrupted: ';

/** What a job carries: the run to do, and where the coordinator sees the workspace (for messages; workers use --out). */
export interface RedisJobData extends StudyJob {
  workspace: string;
  /** The coordinator's --backend: a worker uses it unless it was given its own. */
  backend: BackendRequest;
}

export function jobIdOf(job: Pick<StudyJob, 'studyId' | 'key'>): string {
  return `${job.studyId}__${job.key}`;
}

/** The Redis key by which a coordinator asks the workers to stop a job's run (expires after a day). */
export function cancelKeyOf(jobId: string): string {
  return `collapse-lab:cancel:${jobId}`;
}
export const CANCEL_KEY_SECONDS = 24 * 3600;

/** Longest wait between two attempts to reach a Redis that went away. */
export const RECONNECT_MAX_MS = 2000;

/**
 * Connection options of every BullMQ object and Redis client of the studies: the URL, RESP2 (the protocol BullMQ is
 * tested with), and a Redis that goes away is waited for: reconnect attempts with a backoff capped at
 * RECONNECT_MAX_MS, commands held in the offline queue and never failed for want of retries
 * (`maxRetriesPerRequest: null`, which BullMQ workers require). The coordinator bounds its patience itself
 * (queuePatienceMs).
 */
export function connectionOf(url: string): {
  url: string;
  protocol: 2;
  maxRetriesPerRequest: null;
  enableOfflineQueue: true;
  retryStrategy: (times: number) => number;
} {
  return { url, protocol: 2, maxRetriesPerRequest: null, enableOfflineQueue: true, retryStrategy: reconnectDelay };
}

/** Ms before reconnect attempt `times` (1, 2, …): 100 ms more each time, at most RECONNECT_MAX_MS. */
export function reconnectDelay(times: number): number {
  return Math.min(times * 100, RECONNECT_MAX_MS);
}

/** A coordinator gave up on a Redis that stayed away longer than its patience: the study can be resumed. */
export class RedisUnreachableError extends Error {
  constructor(shown: string, ms: number) {
    super(
      `Redis at ${shown} has been unreachable for ${Math.round(ms / 1000)} s (COLLAPSE_LAB_QUEUE_PATIENCE_MS); the study stops here and can be resumed with \`study resume\``,
    );
    this.name = 'RedisUnreachableError';
  }
}

/** The URL without its password: what the study's index records and messages show. */
export function redactUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:@/]*):[^@/]*@/, '$1:***@');
}

function intEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

/** Milliseconds to reach Redis before giving up (COLLAPSE_LAB_QUEUE_CONNECT_MS, default 5000). */
export function connectTimeoutMs(): number {
  return intEnv('COLLAPSE_LAB_QUEUE_CONNECT_MS', 5000, 100);
}

/** Ms a coordinator waits for a Redis that went away mid-study before it gives up (COLLAPSE_LAB_QUEUE_PATIENCE_MS, default 5 minutes). */
export function queuePatienceMs(): number {
  return intEnv('COLLAPSE_LAB_QUEUE_PATIENCE_MS', 5 * 60_000, 100);
}

/**
 * Connect once, with no retry, to fail fast and clearly: a Redis that cannot be reached (or is older than 6.2) is an
 * error naming the URL within `timeoutMs`, where BullMQ's own connections would retry forever. Returns the version.
 */
export async function probeRedis(url: string, timeoutMs = connectTimeoutMs()): Promise<string> {
  const shown = redactUrl(url);
  const { Redis } = await import('ioredis');
  let client: Redis;
  try {
    client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      protocol: 2,
    });
  } catch (e) {
    throw new Error(`cannot use Redis at ${shown}: ${(e as Error).message}`);
  }
  let socketError: Error | null = null; // the cause (ECONNREFUSED, ENOTFOUND, …) behind "Connection is closed"
  client.on('error', (e: Error) => (socketError ??= e));
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const info = await Promise.race([client.connect().then(() => client.info('server')), timeout]);
    const version = /redis_version:([0-9.]+)/.exec(info)?.[1] ?? '0';
    const [major, minor] = version.split('.').map(Number);
    if (major < 6 || (major === 6 && minor < 2)) {
      throw new Error(`Redis at ${shown} is version ${version}; studies on a queue need Redis 6.2 or newer`);
    }
    return version;
  } catch (e) {
    const cause = socketError as Error | null;
    const message = (cause && /closed/i.test((e as Error).message) ? cause.message : (e as Error).message) || String(e);
    if (message.includes(shown)) throw e;
    throw new Error(`cannot reach Redis at ${shown}: ${message}`);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

export interface RedisQueueOptions {
  /** redis://[user:password@]HOST:PORT[/db] (rediss:// for TLS). */
  url: string;
  /** The coordinator's --backend, passed to the workers (which may override it). */
  backend?: BackendRequest;
  /** Starts of a run whose process keeps dying on a living worker, before it ends interrupted (default 3). */
  attempts?: number;
  /** How often the jobs' states are read, besides the events (default COLLAPSE_LAB_QUEUE_POLL_MS or 5000 ms; each second once cancelled). */
  pollMs?: number;
  /** The BullMQ queue (default RUN_QUEUE; tests may isolate themselves). */
  queueName?: string;
}

interface Pending {
  job: StudyJob;
  settled: boolean;
}

const WAITING_STATES = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children', 'paused', 'wait']);

export class RedisQueue implements StudyQueueEngine {
  readonly name: string;
  readonly url: string;
  private readonly backend: BackendRequest;
  private readonly attempts: number;
  private readonly pollMs: number;
  private readonly queueName: string;
  private queue: Queue | null = null;
  private events: QueueEvents | null = null;
  private client: Redis | null = null;
  private lastErrorAt = 0;

  constructor(opts: RedisQueueOptions) {
    if (!/^rediss?:\/\//.test(opts.url)) throw new Error(`--queue must be a redis:// URL, got "${opts.url}"`);
    this.url = opts.url;
    this.name = redactUrl(opts.url);
    this.backend = opts.backend ?? 'auto';
    this.attempts = opts.attempts ?? 3;
    this.pollMs = opts.pollMs ?? intEnv('COLLAPSE_LAB_QUEUE_POLL_MS', 5000, 50);
    this.queueName = opts.queueName ?? RUN_QUEUE;
  }

  async run(jobs: StudyJob[], workspace: string, hooks: QueueHooks): Promise<void> {
    if (hooks.signal.aborted) return;
    const { queue, client } = await this.connect();
    const runs = new RunManager(workspace);
    const pending = new Map<string, Pending>(jobs.map((job) => [jobIdOf(job), { job, settled: false }]));
    let left = pending.size;
    let resolveAll!: () => void;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    const folderOf = (job: StudyJob) => new RunFolder(path.join(workspace, job.runId));

    const settle = (id: string, status: RunStatus) => {
      const p = pending.get(id);
      if (!p || p.settled) return;
      p.settled = true;
      left -= 1;
      hooks.onSettled(p.job, status);
      if (left === 0) resolveAll();
    };
    const settleCompleted = (id: string, returnvalue: unknown) => {
      const p = pending.get(id);
      if (!p || p.settled) return;
      settle(id, isStatus(returnvalue) ? returnvalue : safeStatus(folderOf(p.job)));
    };
    const settleFailed = (id: string, reason: string | undefined) => {
      const p = pending.get(id);
      if (!p || p.settled) return;
      const folder = folderOf(p.job);
      const s = safeStatus(folder);
      const why = reason ?? 'the job failed';
      // the run itself failed, or its processes kept dying (retried, or stalled past the limit): then interrupted
      const interrupted = why.startsWith(INTERRUPTED_PREFIX) || /stalled/i.test(why);
      const error = why.startsWith(INTERRUPTED_PREFIX) ? why.slice(INTERRUPTED_PREFIX.length) : why;
      const state = s.state === 'failed' ? 'failed' : interrupted ? 'interrupted' : 'failed';
      if (state === 'interrupted' && (s.state === 'running' || s.state === 'queued')) {
        tryUpdate(folder, { state: 'interrupted', error });
      }
      settle(id, { ...s, state, error });
    };
    /** A job that no worker holds and that will not run: its run is cancelled where it stands. */
    const settleCancelled = (id: string, why?: string) => {
      const p = pending.get(id);
      if (!p || p.settled) return;
      const folder = folderOf(p.job);
      const s = safeStatus(folder);
      if (s.state === 'completed' && s.lastGeneration + 1 >= p.job.generations) return settle(id, s);
      if (s.state !== 'cancelled' && s.state !== 'failed') tryUpdate(folder, { state: 'cancelled' });
      const { error: _error, ...rest } = s;
      settle(id, { ...rest, state: 'cancelled', ...(why ? { error: why } : {}) });
    };

    const events = await this.listen();
    const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
      const p = pending.get(jobId);
      if (p && !p.settled && isRunEvent(data)) hooks.onEvent(p.job, data);
    };
    const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => settleCompleted(jobId, returnvalue);
    const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) => settleFailed(jobId, failedReason);
    events.on('progress', onProgress as never);
    events.on('completed', onCompleted as never);
    events.on('failed', onFailed as never);

    // the events say when jobs end; the states, read now and then (each second once cancelled), make sure no end is
    // missed, and that a cancelled study's jobs that no worker holds are removed
    let timer: NodeJS.Timeout | null = null;
    let polling = false;
    const poll = async () => {
      timer = null;
      if (polling) return; // the poll under way sets the next one
      polling = true;
      try {
        await this.pollStates(pending, hooks.signal.aborted, {
          settleCompleted,
          settleFailed,
          settleCancelled,
          requeue,
        });
      } catch (e) {
        if (left > 0) this.reportError(e as Error); // (not a connection closed as the study ended)
      } finally {
        polling = false;
      }
      if (left > 0 && !timer) timer = setTimeout(poll, hooks.signal.aborted ? Math.min(1000, this.pollMs) : this.pollMs);
    };
    // Redis gone: commands wait in the offline queue while the connections retry; back, the jobs' states are read at
    // once (ends whose events fell in the outage are not missed); gone longer than the patience: the study stops
    const patience = queuePatienceMs();
    let connectionLost = false; // (set as it is lost: a poll under way then reads the states after the reconnection)
    // a job gone from a Redis that came back (restarted without its data): its run, unless complete, is queued again
    // under the same id, and a worker continues it from its last finished generation
    const requeue = async (id: string): Promise<boolean> => {
      if (!connectionLost) return false;
      const p = pending.get(id);
      if (!p || p.settled) return true;
      const s = safeStatus(folderOf(p.job));
      if (s.state === 'completed' && s.lastGeneration + 1 >= p.job.generations) {
        settle(id, s);
        return true;
      }
      await this.add(queue, id, { ...p.job, workspace, backend: this.backend });
      process.stderr.write(`queue ${this.name}: job ${id} was gone from Redis (restarted without its data?): queued again\n`);
      return true;
    };
    let lostSince: number | null = null;
    let rejectGaveUp!: (e: Error) => void;
    const gaveUp = new Promise<never>((_, reject) => (rejectGaveUp = reject));
    const onLost = () => {
      if (lostSince !== null || left === 0) return;
      lostSince = Date.now();
      connectionLost = true;
      process.stderr.write(`queue ${this.name}: connection lost; waiting for Redis (at most ${Math.round(patience / 1000)} s)\n`);
    };
    const onBack = () => {
      if (lostSince === null) return;
      process.stderr.write(`queue ${this.name}: Redis is back after ${((Date.now() - lostSince) / 1000).toFixed(1)} s\n`);
      lostSince = null;
      if (timer) clearTimeout(timer);
      timer = null;
      void poll();
    };
    const watchdog = setInterval(
      () => {
        if (lostSince !== null && Date.now() - lostSince > patience)
          rejectGaveUp(new RedisUnreachableError(this.name, Date.now() - lostSince));
      },
      Math.min(1000, patience),
    );
    client.on('close', onLost);
    client.on('ready', onBack);
    let stopping: Promise<void> | null = null;
    const onAbort = () => {
      stopping ??= this.stopAll(pending, runs, settleCancelled).catch((e) => this.reportError(e as Error));
      if (timer) clearTimeout(timer);
      timer = setTimeout(poll, Math.min(1000, this.pollMs));
    };
    const work = async () => {
      // queue each job, or take over the one already queued under its id
      for (const [id, p] of pending) {
        if (hooks.signal.aborted) break;
        const data: RedisJobData = { ...p.job, workspace, backend: this.backend };
        await client.del(cancelKeyOf(id));
        const existing = await queue.getJob(id);
        if (existing) {
          const state = await existing.getState();
          if (state === 'active' || WAITING_STATES.has(state)) {
            if (state !== 'active') await existing.updateData(data).catch(() => undefined);
            continue; // a worker has it, or will: wait for its end
          }
          if (state === 'completed') {
            const rv = existing.returnvalue as unknown;
            const s = safeStatus(folderOf(p.job));
            const done = (r: RunStatus) => r.state === 'completed' && r.lastGeneration + 1 >= p.job.generations;
            if (isStatus(rv) && done(rv) && done(s)) {
              settle(id, s);
              continue;
            }
          }
          // failed, cancelled, short of the generations now asked: queue it again under the same id
          try {
            await existing.remove();
          } catch {
            continue; // a worker took it meanwhile: wait for it
          }
        }
        await this.add(queue, id, data);
      }
      if (left === 0) resolveAll();
      timer = setTimeout(poll, this.pollMs);
      if (hooks.signal.aborted) onAbort();
      else hooks.signal.addEventListener('abort', onAbort, { once: true });
      await all;
      await stopping;
    };
    try {
      const working = work();
      working.catch(() => undefined); // once the patience is over, its commands fail as the connections close
      await Promise.race([working, gaveUp]);
    } finally {
      clearInterval(watchdog);
      client.off('close', onLost);
      client.off('ready', onBack);
      if (timer) clearTimeout(timer);
      hooks.signal.removeEventListener('abort', onAbort);
      events.off('progress', onProgress as never);
      events.off('completed', onCompleted as never);
      events.off('failed', onFailed as never);
    }
  }

  private async add(queue: Queue, id: string, data: RedisJobData): Promise<void> {
    await queue.add('run', data, {
      jobId: id,
      attempts: this.attempts,
      backoff: { type: 'fixed', delay: 1000 },
      // kept a while so that a job is never queued twice; the run folders are the lasting record
      removeOnComplete: { age: 30 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
  }

  /** Ask every unsettled job of the study to stop: cancel keys, run folders' cancel requests, waiting jobs removed. */
  private async stopAll(
    pending: Map<string, Pending>,
    runs: RunManager,
    settleCancelled: (id: string, why?: string) => void,
  ): Promise<void> {
    const { queue, client } = await this.connect();
    const open = [...pending].filter(([, p]) => !p.settled);
    if (open.length === 0) return;
    const multi = client.multi();
    for (const [id] of open) multi.set(cancelKeyOf(id), '1', 'EX', CANCEL_KEY_SECONDS);
    await multi.exec();
    for (const [id, p] of open) {
      try {
        runs.cancel(p.job.runId); // a run of this machine or of one whose pid is alive here: its folder's cancel request
      } catch {
        // not running as this machine sees it: the cancel key reaches its worker
      }
      const job = await queue.getJob(id);
      if (!job) {
        settleCancelled(id);
        continue;
      }
      await this.removeIfIdle(id, job, settleCancelled);
    }
  }

  /** Remove a job no worker holds (waiting, or active with its worker gone) and settle it cancelled. */
  private async removeIfIdle(id: string, job: Job, settleCancelled: (id: string, why?: string) => void): Promise<void> {
    const state = await job.getState();
    if (!WAITING_STATES.has(state) && state !== 'active') return;
    if (state === 'active') {
      const { queue, client } = await this.connect();
      if (await client.exists(`${queue.toKey(id)}:lock`)) return; // its worker is alive: it sees the cancel key
    }
    try {
      await job.remove(); // refused while a worker holds the job's lock: then it sees the cancel key
      settleCancelled(id, state === 'active' ? 'its worker was gone' : undefined);
    } catch {
      // a worker took it meanwhile
    }
  }

  private async pollStates(
    pending: Map<string, Pending>,
    aborted: boolean,
    s: {
      settleCompleted: (id: string, rv: unknown) => void;
      settleFailed: (id: string, reason: string | undefined) => void;
      settleCancelled: (id: string, why?: string) => void;
      /** A job that is gone: queued again (true) if the connection was lost meanwhile, else it ends interrupted. */
      requeue: (id: string) => Promise<boolean>;
    },
  ): Promise<void> {
    const { queue } = await this.connect();
    for (const [id, p] of pending) {
      if (p.settled) continue;
      const job = await queue.getJob(id);
      if (!job) {
        if (aborted) s.settleCancelled(id);
        else if (!(await s.requeue(id))) s.settleFailed(id, `${INTERRUPTED_PREFIX}its job ${id} was removed from the queue`);
        continue;
      }
      const state = await job.getState();
      if (state === 'completed') s.settleCompleted(id, job.returnvalue);
      else if (state === 'failed') s.settleFailed(id, job.failedReason);
      else if (aborted) await this.removeIfIdle(id, job, s.settleCancelled);
    }
  }

  private async connect(): Promise<{ queue: Queue; client: Redis }> {
    if (this.queue && this.client) return { queue: this.queue, client: this.client };
    await probeRedis(this.url);
    const [{ Queue }, { Redis }] = await Promise.all([import('bullmq'), import('ioredis')]);
    const queue = new Queue(this.queueName, { connection: connectionOf(this.url) });
    queue.on('error', (e) => this.reportError(e));
    const client = new Redis(this.url, connectionOf(this.url));
    client.on('error', (e) => this.reportError(e));
    this.queue = queue;
    this.client = client;
    await queue.waitUntilReady();
    return { queue, client };
  }

  /** QueueEvents from the events stream's current end: nothing that happens after this call is missed. */
  private async listen(): Promise<QueueEvents> {
    if (this.events) return this.events;
    const { queue, client } = await this.connect();
    const { QueueEvents } = await import('bullmq');
    const last = (await client.xrevrange(queue.toKey('events'), '+', '-', 'COUNT', 1)) as [string, string[]][];
    const events = new QueueEvents(this.queueName, { connection: connectionOf(this.url), lastEventId: last[0]?.[0] ?? '0-0' });
    events.on('error', (e) => this.reportError(e));
    this.events = events;
    await events.waitUntilReady();
    return events;
  }

  private reportError(e: Error): void {
    const now = Date.now();
    if (now - this.lastErrorAt < 10_000) return;
    this.lastErrorAt = now;
    process.stderr.write(`queue ${this.name}: ${e.message}\n`);
  }

  async close(): Promise<void> {
    const { events, queue, client } = this;
    this.events = null;
    this.queue = null;
    this.client = null;
    await Promise.allSettled([events?.close(), queue?.close()]);
    client?.disconnect();
  }
}

function isStatus(v: unknown): v is RunStatus {
  return (
    typeof v === 'object' && v !== null && typeof (v as RunStatus).state === 'string' && typeof (v as RunStatus).lastGeneration === 'number'
  );
}

function isRunEvent(v: unknown): v is RunEvent {
  return typeof v === 'object' && v !== null && typeof (v as RunEvent).type === 'string' && typeof (v as RunEvent).runId === 'string';
}

function safeStatus(folder: RunFolder): RunStatus {
  try {
    return folder.readStatus();
  } catch (e) {
    const now = new Date().toISOString();
    return { state: 'failed', lastGeneration: -1, generations: 0, startedAt: now, updatedAt: now, error: (e as Error).message };
  }
}

function tryUpdate(folder: RunFolder, patch: Partial<RunStatus>): void {
  try {
    folder.updateStatus(patch);
  } catch {
    // the folder may be gone or unwritable from here: the status passed on still says what happened
  }
}
