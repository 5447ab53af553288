import type { RunEvent } from '../contract/events';
import type { BackendRequest } from './run-manager';
import type { RunStatus } from './run-folder';

/** What a run process (run-process.ts) is given and what it says back over IPC. */
export interface RunProcessArgs {
  workspace: string;
  runId: string;
  backend: BackendRequest;
  /** Extend the run to this many generations. */
  generations?: number;
  /** The queue holds the run's lock: resume it even where its status names another, unreachable process. */
  takeOver?: boolean;
  /** Other runs train beside this one (a study running several at once): one core, even if it starts first. */
  oneCorePerRun?: boolean;
}

export type RunProcessMessage =
  { type: 'event'; event: RunEvent } | { type: 'done'; status: RunStatus } | { type: 'error'; message: string };

export function runProcessArgv(a: RunProcessArgs): string[] {
  return [JSON.stringify(a)];
}
