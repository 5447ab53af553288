import type { RunEvent } from '../contract/events';
import type { BackendRequest } from './run-manager';
import type { RunStatus } from './run-folder';

/**
 * What a run process (run-process.ts) is given and what it says back over IPC. A process started with `runId`
 * trains that run and exits; one started with `pool` stays and trains the runs its parent sends, one after another
 * (`run` messages; main/runs/run-process-pool.ts), answering each with `done` or `error` naming the run.
 */
export interface RunProcessArgs {
  workspace: string;
  /** The run to train at once (a one-run process). */
  runId?: string;
  backend: BackendRequest;
  /** Extend the run to this many generations. */
  generations?: number;
  /** The queue holds the run's lock: resume it even where its status names another, unreachable process. */
  takeOver?: boolean;
  /** Other runs train beside this one (a study running several at once): one core, even if it starts first. */
  oneCorePerRun?: boolean;
  /** Stay after a run and take the next one from a `run` message (a member of a RunProcessPool). */
  pool?: boolean;
}

/** A run for a pool process. */
export interface RunRequest {
  type: 'run';
  runId: string;
  generations?: number;
  takeOver?: boolean;
}

/** What the parent sends: a run (pool processes), a cancel of the running run, or `stop` (end once idle). */
export type RunProcessCommand = RunRequest | { type: 'cancel' } | { type: 'stop' };

export type RunProcessMessage =
  | { type: 'event'; event: RunEvent }
  | { type: 'done'; runId?: string; status: RunStatus }
  | { type: 'error'; runId?: string; message: string };

export function runProcessArgv(a: RunProcessArgs): string[] {
  return [JSON.stringify(a)];
}
