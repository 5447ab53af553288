import { z } from 'zod';

/**
 * The one state machine of a run (and of a study, whose state takes the same names). Every door, the engine and the
 * renderer use these names; the engine derives a run's state from its folder and the live processes of any door
 * (main/runs/derive-run-state.ts) and moves it only along `runTransitions`.
 *
 *   queued      waiting for a process (a door's queue, a study's queue); nothing of it runs yet
 *   starting    a process took it and prepares it (backend, dataset, islands); no generation trains yet
 *   running     its generation loop runs
 *   cancelling  someone asked it to stop; its process still runs and stops at its next batch
 *   cancelled   it stopped on request, keeping every finished generation
 *   interrupted its process died before it finished (the evidence: the pid that is gone, the last heartbeat)
 *   failed      it stopped on an error, named in its status
 *   completed   every generation is written
 */
export const runStateNames = ['queued', 'starting', 'running', 'cancelling', 'cancelled', 'interrupted', 'failed', 'completed'] as const;

export const runState = z.enum(runStateNames);
export type RunState = z.infer<typeof runState>;

/** Every run state, in the order lists and filters show them (the states of a study are the same). */
export const runStates: readonly RunState[] = runState.options;

/** The states of a run that a process owns or will own: it is not over. */
export const activeRunStates: readonly RunState[] = ['queued', 'starting', 'running', 'cancelling'];

/**
 * The states a run stays in until someone acts (resume, delete): it ended (completed, failed, cancelled) or its
 * process died (interrupted). A run in one of these is no longer active.
 */
export const finalRunStates: readonly RunState[] = ['completed', 'failed', 'cancelled', 'interrupted'];

/** The states in which a run's process is alive (it may hold a pid; a queued run has none yet). */
export const liveRunStates: readonly RunState[] = ['starting', 'running', 'cancelling'];

/**
 * The allowed moves of a run, from each state. Staying in a state is always allowed (a status rewritten with a new
 * generation). A final state leaves only by a new start: resume (queued, or straight to starting), or a study that
 * extends a completed run by more generations.
 */
export const runTransitions: { readonly [S in RunState]: readonly RunState[] } = {
  // cancelled before it started; failed when it cannot start (its inputs are gone); interrupted when the process
  // whose queue held it died (a standalone run: no one will start it)
  queued: ['starting', 'cancelled', 'failed', 'interrupted'],
  starting: ['running', 'cancelling', 'cancelled', 'failed', 'interrupted', 'completed'],
  running: ['cancelling', 'completed', 'failed', 'interrupted'],
  // a cancel that came too late lets the run end as it would have
  cancelling: ['cancelled', 'completed', 'failed', 'interrupted'],
  cancelled: ['queued', 'starting'],
  interrupted: ['queued', 'starting'],
  failed: ['queued', 'starting'],
  completed: ['queued', 'starting'],
};

export function isRunState(s: string): s is RunState {
  return (runStateNames as readonly string[]).includes(s);
}

export function isFinalRunState(state: string): boolean {
  return (finalRunStates as readonly string[]).includes(state);
}

export function isActiveRunState(state: string): boolean {
  return (activeRunStates as readonly string[]).includes(state);
}

/** Whether a run may move from `from` to `to` (staying is allowed). */
export function canTransition(from: RunState, to: RunState): boolean {
  return from === to || runTransitions[from].includes(to);
}

/** The error of a move the machine forbids, naming both states and the allowed ones. */
export function transitionError(from: RunState, to: RunState, what = 'a run'): string | null {
  if (canTransition(from, to)) return null;
  return `${what} cannot go from ${from} to ${to} (from ${from}: ${runTransitions[from].join(', ')})`;
}

/**
 * Why a run reads as interrupted: the process that owned it is gone. Recorded in its status when a process sees it
 * (and shown beside the state), so that "interrupted" is never a guess.
 */
export const interruptionEvidence = z.object({
  /** The process that owned the run (status.json `pid`). */
  pid: z.number().int(),
  /** Its host, when recorded: a process of another host is never judged from here. */
  host: z.string().optional(),
  /** The run's last sign of life (status or progress written), ISO time. */
  lastHeartbeat: z.string(),
  /** When a process found the pid gone, ISO time. */
  seenAt: z.string(),
});
export type InterruptionEvidence = z.infer<typeof interruptionEvidence>;

/** The evidence as one sentence for a status line. */
export function describeInterruption(e: InterruptionEvidence): string {
  return `the process running this run (pid ${e.pid}${e.host ? ` on ${e.host}` : ''}) is gone; its last heartbeat was at ${e.lastHeartbeat}`;
}
