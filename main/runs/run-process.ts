import { isFinalRunState } from '../contract/run-state';
import { RunManager } from './run-manager';
import { watchParent } from './parent-watch';
import type { RunProcessArgs, RunProcessCommand, RunProcessMessage, RunRequest } from './run-process-protocol';

/**
 * Entry of a child process that trains run folders (a study's queue runs its runs in such processes, so that a run's
 * crash or memory stays out of the coordinator). With `runId` it starts or continues that run of `workspace`, relays
 * its RunEvents to the parent over IPC, and ends with a `done` message carrying the final status. With `pool` it
 * stays, and trains each run a `run` message names, one at a time, in one reused worker thread (the engine loads once
 * per process, not once per run), each ending in its own `done` or `error`. A `cancel` message stops the running run
 * at its next batch. If the parent dies (the IPC channel closes, or the process is handed to another parent) the
 * process exits at once: the run folder keeps every finished generation and its status says interrupted, so the
 * queue's resume continues it.
 */
/** The parent's end of the channel: Node's IPC (fork), or Electron's parentPort in a utility process. */
interface ParentChannel {
  send(m: RunProcessMessage, then?: () => void): void;
  onMessage(listener: (m: RunProcessCommand) => void): void;
}

function parentChannel(): ParentChannel {
  const port = (process as { parentPort?: { on(e: 'message', l: (e: { data: unknown }) => void): void; postMessage(m: unknown): void } })
    .parentPort;
  if (port) {
    return {
      // postMessage queues the message; the next turn of the event loop has handed it over
      send: (m, then) => (port.postMessage(m), then && setImmediate(then)),
      onMessage: (l) => port.on('message', (e) => l(e.data as RunProcessCommand)),
    };
  }
  return {
    send: (m, then) => (process.send ? process.send(m, () => then?.()) : then?.()),
    onMessage: (l) => process.on('message', l),
  };
}

/** Progress events relayed to the parent at most this often per run (ms). */
const PROGRESS_EVERY_MS = 250;

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[process.argv.length - 1]) as RunProcessArgs;
  const parent = parentChannel();
  const send = (m: RunProcessMessage) => parent.send(m);
  let ending = false;
  // the parent died: stop at once; the run folder says interrupted and keeps every finished generation (a utility
  // process ends with the app that owns it)
  watchParent(() => ending || process.exit(1));
  // the last word, then exit (a library may keep a handle open that would hold the process)
  const end = (m: RunProcessMessage, code: number) => {
    ending = true;
    parent.send(m, () => process.exit(code));
  };
  const manager = new RunManager(args.workspace, args.backend, {
    oneCorePerRun: args.oneCorePerRun,
    reuseWorkers: args.pool === true,
    maxConcurrent: 1,
    // the process's slot on the host is its parent's (the pool or the worker took it before starting it)
    hostSlots: false,
  });
  // progress at most every PROGRESS_EVERY_MS per run (a small run's generations report several phases each within
  // milliseconds); status, generation and log events always
  const lastProgress = new Map<string, number>();
  manager.on('event', (event) => {
    if (event.type === 'progress' && event.fraction < 1) {
      const now = performance.now();
      if (now - (lastProgress.get(event.runId) ?? -Infinity) < PROGRESS_EVERY_MS) return;
      lastProgress.set(event.runId, now);
    } else if (event.type === 'status' && isFinalRunState(event.state)) lastProgress.delete(event.runId);
    send({ type: 'event', event });
  });
  let current: string | null = null;
  let stopping = false;
  const cancel = () => current !== null && manager.isActive(current) && manager.cancel(current);
  const train = async (r: RunRequest): Promise<RunProcessMessage> => {
    current = r.runId;
    try {
      manager.resume(r.runId, { generations: r.generations, takeOver: r.takeOver });
    } catch (e) {
      return { type: 'error', runId: r.runId, message: (e as Error).message };
    } finally {
      if (!manager.isActive(r.runId)) current = null;
    }
    const status = await manager.wait(r.runId);
    current = null;
    return { type: 'done', runId: r.runId, status };
  };
  const queue: RunRequest[] = [];
  let busy = false;
  const pump = async () => {
    if (busy) return;
    busy = true;
    while (queue.length > 0) send(await train(queue.shift()!));
    busy = false;
    if (stopping) process.exit(0);
  };
  parent.onMessage((m) => {
    if (m?.type === 'cancel') cancel();
    else if (m?.type === 'run' && args.pool) {
      queue.push(m);
      void pump();
    } else if (m?.type === 'stop') {
      stopping = true;
      if (!busy) process.exit(0);
    }
  });
  process.on('SIGTERM', () => {
    stopping = true;
    queue.length = 0;
    if (!cancel() && !busy) process.exit(0);
  });
  if (args.runId) {
    const last = await train({ type: 'run', runId: args.runId, generations: args.generations, takeOver: args.takeOver });
    if (!args.pool) end(last, last.type === 'error' ? 3 : 0);
    else send(last);
  }
}

await main();
