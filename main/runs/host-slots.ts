import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hostRunsDir } from './host-runs';

/**
 * One cap on the run processes alive on this host, across studies, pools, workers and doors: a run process is started
 * only once it holds one of the cap's slots (and a lone run, trained in a worker thread of its door's process, holds
 * one too while it trains, under its door's pid: run-manager.ts), the files `slot-0` … `slot-<cap-1>` in the `slots` folder of the host-runs
 * registry (host-runs.ts), each holding the pid of its run process. A slot is taken by creating its file exclusively
 * (a hard link of a file already holding the pid: no one ever reads a half-written slot), so two processes never take
 * the same one; a slot whose pid is dead is free again (a process killed outright never blocks the host). A start
 * that finds every slot taken waits, logging once why, and takes the first one freed.
 *
 * The cap: COLLAPSE_LAB_MAX_RUN_PROCESSES, else the core count, or the `parallel` granted above it (--oversubscribe).
 */

export function maxHostRunProcesses(granted = 0, env: NodeJS.ProcessEnv = process.env): number {
  const set = env.COLLAPSE_LAB_MAX_RUN_PROCESSES?.trim();
  if (!set) return Math.max(os.availableParallelism(), granted);
  const n = Number(set);
  if (!Number.isInteger(n) || n < 1) throw new Error(`COLLAPSE_LAB_MAX_RUN_PROCESSES must be a whole number ≥ 1, not "${set}"`);
  return n;
}

export function hostSlotsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(hostRunsDir(env), 'slots');
}

export interface HostSlot {
  /** The slot's number (0 … cap − 1). */
  readonly index: number;
  /** The process the slot now counts (the run process once started; until then the one that asked). */
  hold(pid: number): void;
  /** Give the slot back (safe to call twice; never removes a slot another process took since). */
  release(): void;
}

export interface AcquireOptions {
  /** The cap (default maxHostRunProcesses()). */
  cap?: number;
  /** How often a waiting start looks again (ms; default 250). */
  pollMs?: number;
  /** Stop waiting: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Where the one line saying that a start waits goes (default console.error). */
  log?: (line: string) => void;
  /** Who waits, for that line (e.g. "study abc's run process"). */
  who?: string;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pids holding the slots now (dead holders' slots are freed on the way). */
export function liveHostSlots(env: NodeJS.ProcessEnv = process.env): number[] {
  const dir = hostSlotsDir(env);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const name of names) {
    if (!/^slot-\d+$/.test(name)) continue;
    const pid = holderIfAlive(path.join(dir, name));
    if (pid !== null) pids.push(pid);
  }
  return pids;
}

/** Take a free slot, waiting (and saying so once) while the cap is reached. */
export async function acquireHostSlot(opts: AcquireOptions = {}): Promise<HostSlot> {
  const cap = opts.cap ?? maxHostRunProcesses();
  let said = false;
  for (;;) {
    opts.signal?.throwIfAborted();
    const slot = tryAcquireHostSlot(cap);
    if (slot) return slot;
    if (!said) {
      said = true;
      (opts.log ?? ((l: string) => console.error(l)))(
        `collapse-lab: ${opts.who ?? 'a run process'} waits for a free run slot: ${cap} run processes already run on this host (cap: COLLAPSE_LAB_MAX_RUN_PROCESSES, default the core count)`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
}

/** Take a free slot now, or null when all `cap` are held by live processes. */
export function tryAcquireHostSlot(cap = maxHostRunProcesses()): HostSlot | null {
  const dir = hostSlotsDir();
  fs.mkdirSync(dir, { recursive: true });
  // the pid is written before the slot exists: the link below makes the slot appear whole, or fails
  const draft = path.join(dir, `draft-${process.pid}-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(draft, String(process.pid));
  try {
    for (let k = 0; k < cap; k++) {
      const file = path.join(dir, `slot-${k}`);
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          fs.linkSync(draft, file);
          return heldSlot(k, file);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
        // taken: by a live process (next slot), or by a dead one (freed above, try once more)
        if (holderIfAlive(file) !== null) break;
      }
    }
    return null;
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

function heldSlot(index: number, file: string): HostSlot {
  let ino = fs.statSync(file).ino;
  let released = false;
  return {
    index,
    hold(pid) {
      if (released) return;
      try {
        if (fs.statSync(file).ino !== ino) return void (released = true); // freed meanwhile: the slot is another's
      } catch {
        return void (released = true);
      }
      const draft = `${file}.${process.pid}.hold`;
      fs.writeFileSync(draft, String(pid));
      fs.renameSync(draft, file);
      ino = fs.statSync(file).ino;
    },
    release() {
      if (released) return;
      released = true;
      try {
        if (fs.statSync(file).ino === ino) fs.rmSync(file, { force: true });
      } catch {
        // already freed (its holder died and another process reclaimed it)
      }
    },
  };
}

/**
 * The pid holding the slot file, or null when the file is gone or its holder is dead: then the file is removed, by an
 * atomic rename first, so that a slot re-taken meanwhile by a live process is put back, not lost.
 */
function holderIfAlive(file: string): number | null {
  let ino: number;
  let pid: number;
  try {
    ino = fs.statSync(file).ino;
    pid = Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    return null;
  }
  if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) return pid;
  const tomb = `${file}.dead-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    fs.renameSync(file, tomb);
  } catch {
    return null; // another process freed it first
  }
  try {
    if (fs.statSync(tomb).ino !== ino) {
      // the slot was freed and taken again between the look and the rename: give it back to its live holder
      try {
        fs.linkSync(tomb, file);
      } catch {
        // taken a third time in that instant: the slot is held either way
      }
    }
  } finally {
    fs.rmSync(tomb, { force: true });
  }
  return null;
}
