import { RunManager } from './run-manager';
import type { RunProcessArgs, RunProcessMessage } from './run-process-protocol';

/**
 * Entry of a child process that trains one run folder (a study's queue runs each run in its own process, so that a
 * run's crash or memory stays its own). Starts or continues the run `runId` of `workspace`, relays its RunEvents to
 * the parent over IPC, and ends with a `done` message carrying the final status. A `cancel` message stops the run at
 * its next batch; if the parent dies (the IPC channel closes) the process exits at once: the run folder keeps every
 * finished generation and its status says interrupted, so the queue's resume continues it.
 */
/** The parent's end of the channel: Node's IPC (fork), or Electron's parentPort in a utility process. */
interface ParentChannel {
  send(m: RunProcessMessage, then?: () => void): void;
  onMessage(listener: (m: { type?: string }) => void): void;
}

function parentChannel(): ParentChannel {
  const port = (process as { parentPort?: { on(e: 'message', l: (e: { data: unknown }) => void): void; postMessage(m: unknown): void } })
    .parentPort;
  if (port) {
    return {
      // postMessage queues the message; the next turn of the event loop has handed it over
      send: (m, then) => (port.postMessage(m), then && setImmediate(then)),
      onMessage: (l) => port.on('message', (e) => l(e.data as { type?: string })),
    };
  }
  return {
    send: (m, then) => (process.send ? process.send(m, () => then?.()) : then?.()),
    onMessage: (l) => process.on('message', l),
  };
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[process.argv.length - 1]) as RunProcessArgs;
  const parent = parentChannel();
  const send = (m: RunProcessMessage) => parent.send(m);
  let ending = false;
  // the parent died: stop at once; the run folder says interrupted and keeps every finished generation (a utility
  // process ends with the app that owns it)
  process.on('disconnect', () => ending || process.exit(1));
  // the last word, then exit (a library may keep a handle open that would hold the process)
  const end = (m: RunProcessMessage, code: number) => {
    ending = true;
    parent.send(m, () => process.exit(code));
  };
  const manager = new RunManager(args.workspace, args.backend, { oneCorePerRun: args.oneCorePerRun });
  manager.on('event', (event) => send({ type: 'event', event }));
  parent.onMessage((m) => {
    if (m?.type === 'cancel' && manager.isActive(args.runId)) manager.cancel(args.runId);
  });
  process.on('SIGTERM', () => manager.isActive(args.runId) && manager.cancel(args.runId));
  try {
    manager.resume(args.runId, { generations: args.generations, takeOver: args.takeOver });
  } catch (e) {
    end({ type: 'error', message: (e as Error).message }, 3);
    return;
  }
  end({ type: 'done', status: await manager.wait(args.runId) }, 0);
}

await main();
