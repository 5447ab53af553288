import os from 'node:os';
import path from 'node:path';
import { RunFolder, type RunStatus } from '../runs/run-folder';
import { RunProcessPool, type PoolRun } from '../runs/run-process-pool';
import type { BackendRequest } from '../runs/run-manager';
import type { QueueHooks, StudyJob, StudyQueueEngine } from './study-queue';

export interface EmbeddedQueueOptions {
  /** Runs at once, each in its own process (default: one per core). */
  parallel?: number;
  backend?: BackendRequest;
  /** Starts of one run before a run whose process keeps dying is given up as interrupted (default 3). */
  maxAttempts?: number;
}

/**
 * The embedded engine: the study's jobs run on this machine, `parallel` at once, in a pool of `parallel` long-lived
 * run processes (main/runs/run-process-pool.ts), each taking runs in turn and leaving ordinary run folders. The queue itself is the study folder's index (study-runner.ts
 * writes it): a killed coordinator's children exit with it, and `study resume` re-queues every run that is not
 * complete, each continuing from its last finished generation. A run whose process dies (killed, out of memory) is
 * started again from its last generation, up to `maxAttempts` starts.
 */
export class EmbeddedQueue implements StudyQueueEngine {
  readonly name = 'embedded';
  readonly parallel: number;
  private readonly backend: BackendRequest;
  private readonly maxAttempts: number;
  private readonly running = new Map<string, PoolRun>();
  private pool: RunProcessPool | null = null;

  constructor(opts: EmbeddedQueueOptions = {}) {
    this.parallel = Math.max(1, opts.parallel ?? defaultParallelism());
    this.backend = opts.backend ?? 'auto';
    this.maxAttempts = opts.maxAttempts ?? 3;
  }

  async run(jobs: StudyJob[], workspace: string, hooks: QueueHooks): Promise<void> {
    const pending = [...jobs];
    const attempts = new Map<string, number>();
    // a pool of `parallel` long-lived run processes, each taking runs in turn (the engine loads once per process)
    const pool = (this.pool ??= new RunProcessPool({
      workspace,
      backend: this.backend,
      size: this.parallel,
      oneCorePerRun: this.parallel > 1,
    }));
    const onAbort = () => {
      pending.length = 0;
      for (const run of this.running.values()) run.cancel();
    };
    if (hooks.signal.aborted) return;
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await new Promise<void>((resolve) => {
        const next = () => {
          while (this.running.size < this.parallel && pending.length > 0) {
            const job = pending.shift()!;
            const n = (attempts.get(job.key) ?? 0) + 1;
            attempts.set(job.key, n);
            this.start(pool, job, workspace, hooks, (status) => {
              if (status.state === 'interrupted' && n < this.maxAttempts && !hooks.signal.aborted) {
                pending.unshift(job); // the run's process died: continue it from its last generation
              } else {
                hooks.onSettled(job, status);
              }
              next();
            });
          }
          if (this.running.size === 0 && pending.length === 0) resolve();
        };
        next();
      });
    } finally {
      hooks.signal.removeEventListener('abort', onAbort);
    }
  }

  private start(pool: RunProcessPool, job: StudyJob, workspace: string, hooks: QueueHooks, settled: (s: RunStatus) => void): void {
    const run = pool.run({ runId: job.runId, generations: job.generations }, (e) => hooks.onEvent(job, e));
    this.running.set(job.key, run);
    void run.done.then(({ final, refused, how }) => {
      this.running.delete(job.key);
      const folder = new RunFolder(path.join(workspace, job.runId));
      if (final) return settled(final);
      if (refused) {
        // the run could not start (e.g. running in another process): its folder is unchanged
        const s = safeStatus(folder);
        return settled({ ...s, state: s.state === 'completed' ? 'completed' : 'failed', error: refused });
      }
      // the process died without its last word: the run folder has every finished generation
      const s = safeStatus(folder);
      const error = `the run's process ${how}`;
      // the evidence: this child's pid, gone, and the run's last heartbeat
      const interruption = { pid: run.pid ?? s.pid ?? 0, lastHeartbeat: s.updatedAt, seenAt: new Date().toISOString() };
      try {
        folder.updateStatus({ state: 'interrupted', error, interruption });
      } catch {
        // the folder may be gone: the status below still says what happened
      }
      settled({ ...s, state: 'interrupted', error, interruption });
    });
  }

  /** Test hook: kill the process of a job's run abruptly, as a crash would. */
  kill(key: string, signal: NodeJS.Signals = 'SIGKILL'): boolean {
    return this.running.get(key)?.kill(signal) ?? false;
  }

  /** The pids of the running jobs' processes, by key. */
  pids(): Map<string, number> {
    return new Map([...this.running].map(([k, r]) => [k, r.pid ?? -1]));
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}

/** One run per core: training uses one thread per run (wasm), and two runs on two cores do not slow each other much. */
export function defaultParallelism(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

function safeStatus(folder: RunFolder): RunStatus {
  try {
    return folder.readStatus();
  } catch (e) {
    const now = new Date().toISOString();
    return { state: 'failed', lastGeneration: -1, generations: 0, startedAt: now, updatedAt: now, error: (e as Error).message };
  }
}
