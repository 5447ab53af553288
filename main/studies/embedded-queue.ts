import os from 'node:os';
import path from 'node:path';
import { RunFolder, type RunStatus } from '../runs/run-folder';
import { runProcessArgv, type RunProcessMessage } from '../runs/run-process-protocol';
import type { BackendRequest } from '../runs/run-manager';
import { spawnProcess, type EngineProcess } from '../util/spawn-process';
import type { QueueHooks, StudyJob, StudyQueueEngine } from './study-queue';

export interface EmbeddedQueueOptions {
  /** Runs at once, each in its own process (default: one per core). */
  parallel?: number;
  backend?: BackendRequest;
  /** Starts of one run before a run whose process keeps dying is given up as interrupted (default 3). */
  maxAttempts?: number;
}

/**
 * The embedded engine: the study's jobs run on this machine, `parallel` at once, each run in its own child process
 * (run-process.ts) that leaves an ordinary run folder. The queue itself is the study folder's index (study-runner.ts
 * writes it): a killed coordinator's children exit with it, and `study resume` re-queues every run that is not
 * complete, each continuing from its last finished generation. A run whose process dies (killed, out of memory) is
 * started again from its last generation, up to `maxAttempts` starts.
 */
export class EmbeddedQueue implements StudyQueueEngine {
  readonly name = 'embedded';
  readonly parallel: number;
  private readonly backend: BackendRequest;
  private readonly maxAttempts: number;
  private readonly children = new Map<string, EngineProcess>();

  constructor(opts: EmbeddedQueueOptions = {}) {
    this.parallel = Math.max(1, opts.parallel ?? defaultParallelism());
    this.backend = opts.backend ?? 'auto';
    this.maxAttempts = opts.maxAttempts ?? 3;
  }

  async run(jobs: StudyJob[], workspace: string, hooks: QueueHooks): Promise<void> {
    const pending = [...jobs];
    const attempts = new Map<string, number>();
    const onAbort = () => {
      pending.length = 0;
      for (const child of this.children.values()) child.send({ type: 'cancel' }, () => undefined);
    };
    if (hooks.signal.aborted) return;
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await new Promise<void>((resolve) => {
        const next = () => {
          while (this.children.size < this.parallel && pending.length > 0) {
            const job = pending.shift()!;
            const n = (attempts.get(job.key) ?? 0) + 1;
            attempts.set(job.key, n);
            this.start(job, workspace, hooks, (status) => {
              if (status.state === 'interrupted' && n < this.maxAttempts && !hooks.signal.aborted) {
                pending.unshift(job); // the run's process died: continue it from its last generation
              } else {
                hooks.onSettled(job, status);
              }
              next();
            });
          }
          if (this.children.size === 0 && pending.length === 0) resolve();
        };
        next();
      });
    } finally {
      hooks.signal.removeEventListener('abort', onAbort);
    }
  }

  private start(job: StudyJob, workspace: string, hooks: QueueHooks, settled: (s: RunStatus) => void): void {
    const child = spawnProcess(
      new URL('../runs/run-process.ts', import.meta.url),
      runProcessArgv({
        workspace,
        runId: job.runId,
        backend: this.backend,
        generations: job.generations,
        oneCorePerRun: this.parallel > 1,
      }),
      { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
    );
    this.children.set(job.key, child);
    let final: RunStatus | null = null;
    let refused: string | null = null;
    child.on('message', (m: RunProcessMessage) => {
      if (m.type === 'event') hooks.onEvent(job, m.event);
      else if (m.type === 'done') final = m.status;
      else if (m.type === 'error') refused = m.message;
    });
    let ended = false;
    const end = (how: string) => {
      if (ended) return;
      ended = true;
      this.children.delete(job.key);
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
      const interruption = { pid: child.pid ?? s.pid ?? 0, lastHeartbeat: s.updatedAt, seenAt: new Date().toISOString() };
      try {
        folder.updateStatus({ state: 'interrupted', error, interruption });
      } catch {
        // the folder may be gone: the status below still says what happened
      }
      settled({ ...s, state: 'interrupted', error, interruption });
    };
    child.on('error', (e) => end(`could not run: ${e.message}`));
    child.on('exit', (code, signal) => end(signal ? `was killed (${signal})` : `exited with code ${code}`));
  }

  /** Test hook: kill the process of a job's run abruptly, as a crash would. */
  kill(key: string, signal: NodeJS.Signals = 'SIGKILL'): boolean {
    return this.children.get(key)?.kill(signal) ?? false;
  }

  /** The pids of the running jobs' processes, by key. */
  pids(): Map<string, number> {
    return new Map([...this.children].map(([k, c]) => [k, c.pid ?? -1]));
  }

  async close(): Promise<void> {
    for (const child of this.children.values()) child.kill('SIGTERM');
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
