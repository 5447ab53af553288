import { RunManager, type BackendRequest } from './run-manager';
import type { RunProcessArgs, RunProcessMessage } from './run-process-protocol';

/**
 * Entry of a child process that trains one run folder (a study's queue runs each run in its own process, so that a
 * run's crash or memory stays its own). Starts or continues the run `runId` of `workspace`, relays its RunEvents to
 * the parent over IPC, and ends with a `done` message carrying the final status. A `cancel` message stops the run at
 * its next batch; if the parent dies (the IPC channel closes) the process exits at once: the run folder keeps every
 * finished generation and its status says interrupted, so the queue's resume continues it.
 */
async function main(): Promise<void> {
  const args = JSON.parse(process.argv[process.argv.length - 1]) as RunProcessArgs;
  const send = (m: RunProcessMessage) => process.send?.(m);
  let ending = false;
  // the parent died: stop at once; the run folder says interrupted and keeps every finished generation
  process.on('disconnect', () => ending || process.exit(1));
  // the last word, then exit (a library may keep a handle open that would hold the process)
  const end = (m: RunProcessMessage, code: number) => {
    ending = true;
    if (process.send) process.send(m, () => process.exit(code));
    else process.exit(code);
  };
  const manager = new RunManager(args.workspace, args.backend);
  manager.on('event', (event) => send({ type: 'event', event }));
  process.on('message', (m: { type?: string }) => {
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
