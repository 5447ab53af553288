import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The runs training on this host right now, across processes and doors: one empty file per training run in one folder
 * of the temporary directory (COLLAPSE_LAB_HOST_RUNS_DIR overrides it), named `<pid>.<runId>`. The run manager enters
 * a run when it starts the run's worker and leaves it when the worker ends; a process killed outright leaves its
 * files behind, and they are ignored (and removed) once its pid is dead. This is the one place that answers "is this
 * run alone on the host" (a lone run uses every core: main/backend/wasm-threads.ts).
 */

/**
 * Whether a run may take every core: no other run trains on this host, and the cores are not already busy with other
 * work (the 1-minute load average below COLLAPSE_LAB_LONE_RUN_MAX_LOAD, default the core count). Measured on this
 * 2-core host at load 30: the smoke preset took 219 s on one thread and 309 s on two, which then only competed.
 */
export function runMayUseEveryCore(runId: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const limit = Number(env.COLLAPSE_LAB_LONE_RUN_MAX_LOAD?.trim() || os.availableParallelism());
  if (!(os.loadavg()[0] < limit)) return false;
  return otherHostRuns(runId) === 0;
}

export function hostRunsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.COLLAPSE_LAB_HOST_RUNS_DIR?.trim() || path.join(os.tmpdir(), 'collapse-lab-host-runs');
}

function entryName(runId: string, pid = process.pid): string {
  return `${pid}.${runId}`;
}

/** Record that `runId` trains in this process; returns the function that removes the record (safe to call twice). */
export function enterHostRun(runId: string): () => void {
  const dir = hostRunsDir();
  const file = path.join(dir, entryName(runId));
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, '');
  } catch {
    // an unwritable temporary folder only means other runs cannot see this one: never a reason to stop a run
    return () => undefined;
  }
  return () => fs.rmSync(file, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** How many other runs train on this host now (records of dead processes are removed, not counted). */
export function otherHostRuns(runId: string): number {
  const dir = hostRunsDir();
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  const own = entryName(runId);
  let n = 0;
  for (const name of names) {
    if (name === own) continue;
    const pid = Number(name.slice(0, name.indexOf('.')));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (alive(pid)) n++;
    else fs.rmSync(path.join(dir, name), { force: true });
  }
  return n;
}
