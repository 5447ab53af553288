import fs from 'node:fs';
import os from 'node:os';
import { describeInterruption, liveRunStates } from '../contract/run-state';
import { CANCEL_REQUEST, type RunFolder, type RunStatus } from './run-folder';

/** What a process can see of a run beyond its status file: the facts its state is derived from. */
export interface RunFacts {
  /** This process's run manager holds the run (queued or training): its own word is the truth. */
  ownedHere: boolean;
  /** A cancel-request file lies in the run folder (another process asked it to stop; the run has not yet stopped). */
  cancelRequested: boolean;
  /** Whether a pid of this host is a living process. */
  alive: (pid: number) => boolean;
  /** This host's name (a pid recorded on another host is never judged from here). */
  host: string;
  /** The run's last sign of life: the later of its status update and its progress note. */
  lastHeartbeat: string;
  /** Now, ISO time. */
  now: string;
}

/**
 * A run's state as every door must show it, from its status file and the live processes (the one place it is
 * derived; RunManager.effectiveStatus gathers the facts):
 * - a run this process holds: as its status says (cancelling once a cancel is asked);
 * - a queued run with no owner yet (a study's run waiting for its queue): queued, never interrupted;
 * - a run whose owning process is alive (or on another host): its state, cancelling while a cancel request waits;
 * - a run whose owning process is gone before the run finished: interrupted, with the evidence (the pid, its last
 *   heartbeat, when it was seen gone). A queued run of a dead door's queue is interrupted too: no one will start it.
 */
export function deriveRunStatus(s: RunStatus, facts: RunFacts): RunStatus {
  const live = (liveRunStates as readonly string[]).includes(s.state);
  if (facts.ownedHere) return live && facts.cancelRequested ? { ...s, state: 'cancelling' } : s;
  if (!live && s.state !== 'queued') return s;
  if (s.pid === undefined) {
    // nobody holds it: a queued run waits for a queue; a live state without a pid was written by an older version
    return s;
  }
  const elsewhere = s.host !== undefined && s.host !== facts.host;
  if (elsewhere || (s.pid !== process.pid && facts.alive(s.pid))) {
    return live && facts.cancelRequested ? { ...s, state: 'cancelling' } : s;
  }
  const interruption = { pid: s.pid, ...(s.host ? { host: s.host } : {}), lastHeartbeat: facts.lastHeartbeat, seenAt: facts.now };
  return { ...s, state: 'interrupted', error: s.error ?? describeInterruption(interruption), interruption };
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The facts of a run folder as this process sees them now. */
export function runFactsOf(folder: RunFolder, s: RunStatus, ownedHere: boolean): RunFacts {
  let heartbeat = s.updatedAt;
  try {
    const progress = new Date(fs.statSync(folder.file('progress.json')).mtimeMs).toISOString();
    if (progress > heartbeat) heartbeat = progress;
  } catch {
    // no progress note yet
  }
  return {
    ownedHere,
    cancelRequested: fs.existsSync(folder.file(CANCEL_REQUEST)),
    alive: pidAlive,
    host: os.hostname(),
    lastHeartbeat: heartbeat,
    now: new Date().toISOString(),
  };
}
