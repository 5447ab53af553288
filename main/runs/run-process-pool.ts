import type { RunEvent } from '../contract/events';
import { spawnProcess, type EngineProcess } from '../util/spawn-process';
import type { BackendRequest } from './run-manager';
import type { RunStatus } from './run-folder';
import { acquireHostSlot, maxHostRunProcesses, type HostSlot } from './host-slots';
import { runProcessArgv, type RunProcessMessage, type RunRequest } from './run-process-protocol';

/**
 * A pool of long-lived run processes (run-process.ts with `pool`): at most `size` at once, each training the runs it
 * is handed one after another, so that a study of thousands of small runs starts a process (and loads the engine) a
 * few times, not once per run. A process that dies takes only its current run with it (reported as `how` it died;
 * the queue retries or gives the run up) and is replaced by the next run; a process is retired after
 * `runsPerProcess` runs, so that what a run leaks stays bounded. Each process holds one of the host's run slots
 * (host-slots.ts) while it lives: a pool whose next process would exceed the host's cap waits for a free slot, and a
 * process left idle (`idleMs`) is retired so that its slot serves other pools.
 */
export interface RunProcessPoolOptions {
  workspace: string;
  backend: BackendRequest;
  /** Processes at once (the queue's parallelism). */
  size: number;
  /** Other runs train beside each (a study running several at once): one core per run. */
  oneCorePerRun?: boolean;
  /** Start each process in its own process group (a worker's: a Ctrl-C at its terminal reaches the worker alone). */
  detached?: boolean;
  /** Runs a process trains before it is replaced (default RUNS_PER_PROCESS). */
  runsPerProcess?: number;
  /** A process with no run this long is retired, freeing its host slot (default 2000 ms). */
  idleMs?: number;
}

/** How one run in the pool ended: its final status, or why it has none. */
export interface PoolRunResult {
  /** The run's final status, from its process's last word. */
  final: RunStatus | null;
  /** The run could not start (e.g. it runs in another process): its folder is unchanged. */
  refused: string | null;
  /** How the process ended when it died without a word about the run. */
  how: string;
}

export interface PoolRun {
  readonly done: Promise<PoolRunResult>;
  /** Stop the run at its next batch (said again until the run ends: a message sent before the process listens is lost). */
  cancel(): void;
  /** Kill the run's process (a crash, for tests; the lock of a distributed job lost). */
  kill(signal?: NodeJS.Signals): boolean;
  readonly pid: number | undefined;
}

interface Member {
  child: EngineProcess;
  runs: number;
  /** The run it trains now. */
  current: { runId: string; onEvent: (e: RunEvent) => void; resolve: (r: PoolRunResult) => void } | null;
  exited: boolean;
  slot: HostSlot;
  idle: NodeJS.Timeout | null;
}

/**
 * Runs a pool process trains before it is replaced: a new process costs seconds of loading (the engine, TypeScript, a
 * backend), which a grid of 7,500 millisecond runs paid 38 times at 200; the runs of one process share only what their
 * thread leaks, and a thread trains one run at a time.
 */
export const RUNS_PER_PROCESS = 1000;

export class RunProcessPool {
  private readonly members = new Set<Member>();
  private readonly waiting: (() => void)[] = [];
  private closed = false;
  /** Processes waiting for a host slot before they start. */
  private starting = 0;
  private readonly stop = new AbortController();

  constructor(private readonly opts: RunProcessPoolOptions) {}

  /** The pids of the pool's processes. */
  pids(): number[] {
    return [...this.members].map((m) => m.child.pid ?? -1);
  }

  /** Train a run in a free process of the pool (waiting for one when all are busy). */
  run(request: Omit<RunRequest, 'type'>, onEvent: (e: RunEvent) => void): PoolRun {
    let member: Member | null = null;
    let cancelled = false;
    let resolveDone!: (r: PoolRunResult) => void;
    const done = new Promise<PoolRunResult>((r) => (resolveDone = r));
    const sendCancel = () => {
      if (member?.child.connected) member.child.send({ type: 'cancel' }, () => undefined);
    };
    const poll = setInterval(() => cancelled && sendCancel(), 1000);
    void done.then(() => clearInterval(poll));
    const never = (why: string) => resolveDone({ final: null, refused: why, how: 'never started' });
    const give = (m: Member) => {
      if (m.idle) clearTimeout(m.idle);
      m.idle = null;
      member = m;
      m.current = { runId: request.runId, onEvent, resolve: resolveDone };
      m.child.send({ type: 'run', ...request } satisfies RunRequest, () => undefined);
    };
    const start = () => {
      if (cancelled) return never('cancelled before it started');
      const free = this.free();
      if (free) return give(free);
      this.starting++;
      acquireHostSlot({
        cap: maxHostRunProcesses(this.opts.size),
        signal: this.stop.signal,
        who: `the run process for ${request.runId}`,
      }).then(
        (slot) => {
          this.starting--;
          if (this.closed || cancelled) {
            slot.release();
            never(this.closed ? 'the pool closed before it started' : 'cancelled before it started');
            return this.next();
          }
          give(this.spawn(slot));
        },
        (e: unknown) => {
          this.starting--;
          never(this.closed ? 'the pool closed before it started' : `no run slot: ${(e as Error).message}`);
        },
      );
    };
    if (this.members.size + this.starting < this.opts.size || this.free()) start();
    else this.waiting.push(start);
    return {
      done,
      cancel: () => {
        cancelled = true;
        sendCancel();
      },
      kill: (signal = 'SIGKILL') => member?.child.kill(signal) ?? false,
      get pid() {
        return member?.child.pid;
      },
    };
  }

  /** Stop every process (their runs stop at once; the queue's resume continues them). */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    this.stop.abort(new Error('the pool closed'));
    for (const m of this.members) if (!m.exited) m.child.kill('SIGTERM');
  }

  private free(): Member | null {
    for (const m of this.members) if (!m.current && !m.exited) return m;
    return null;
  }

  private spawn(slot: HostSlot): Member {
    const child = spawnProcess(
      new URL('./run-process.ts', import.meta.url),
      runProcessArgv({ workspace: this.opts.workspace, backend: this.opts.backend, oneCorePerRun: this.opts.oneCorePerRun, pool: true }),
      { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], ...(this.opts.detached ? { detached: true } : {}) },
    );
    if (child.pid !== undefined) slot.hold(child.pid);
    const m: Member = { child, runs: 0, current: null, exited: false, slot, idle: null };
    this.members.add(m);
    child.on('message', (msg: RunProcessMessage) => {
      const c = m.current;
      if (!c) return;
      if (msg.type === 'event') return c.onEvent(msg.event);
      if (msg.runId !== undefined && msg.runId !== c.runId) return;
      m.current = null;
      m.runs += 1;
      c.resolve(
        msg.type === 'done' ? { final: msg.status, refused: null, how: 'ended' } : { final: null, refused: msg.message, how: 'refused' },
      );
      if (m.runs >= (this.opts.runsPerProcess ?? RUNS_PER_PROCESS)) this.retire(m);
      this.next();
      if (!m.current && this.members.has(m)) {
        m.idle = setTimeout(() => !m.current && this.retire(m), this.opts.idleMs ?? 2000);
        m.idle.unref();
      }
    });
    const gone = (how: string) => {
      if (m.exited) return;
      m.exited = true;
      if (m.idle) clearTimeout(m.idle);
      m.slot.release();
      this.members.delete(m);
      const c = m.current;
      m.current = null;
      c?.resolve({ final: null, refused: null, how });
      this.next();
    };
    child.on('error', (e) => gone(`could not run: ${e.message}`));
    child.on('exit', (code, signal) => gone(signal ? `was killed (${signal})` : `exited with code ${code}`));
    return m;
  }

  private retire(m: Member): void {
    if (m.idle) clearTimeout(m.idle);
    m.idle = null;
    this.members.delete(m);
    if (m.child.connected) m.child.send({ type: 'stop' }, () => undefined);
    else m.child.kill('SIGTERM');
  }

  /** A process is free, or one fewer runs: the next waiting run starts. */
  private next(): void {
    if (this.closed) return;
    const start = this.waiting.shift();
    if (start) start();
  }
}
