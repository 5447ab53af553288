import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enterHostRun, hostRunsDir, otherHostRuns, runMayUseEveryCore } from '../../main/runs/host-runs';

/** main/runs/host-runs.ts: which runs train on this host, across processes. */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-host-runs-test-'));
const saved = process.env.COLLAPSE_LAB_HOST_RUNS_DIR;
process.env.COLLAPSE_LAB_HOST_RUNS_DIR = dir;
afterAll(() => {
  if (saved === undefined) delete process.env.COLLAPSE_LAB_HOST_RUNS_DIR;
  else process.env.COLLAPSE_LAB_HOST_RUNS_DIR = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('host runs', () => {
  it('counts the other live runs, not the asking one, and forgets a run that left', () => {
    expect(hostRunsDir()).toBe(dir);
    const leaveA = enterHostRun('a');
    expect(otherHostRuns('a')).toBe(0);
    const leaveB = enterHostRun('b');
    expect(otherHostRuns('a')).toBe(1);
    expect(otherHostRuns('b')).toBe(1);
    expect(otherHostRuns('c')).toBe(2);
    leaveB();
    leaveB();
    expect(otherHostRuns('a')).toBe(0);
    leaveA();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('lets a run take every core only when it is alone and the cores are not busy', () => {
    const leave = enterHostRun('a');
    expect(runMayUseEveryCore('a', { COLLAPSE_LAB_LONE_RUN_MAX_LOAD: '1e9' })).toBe(true);
    expect(runMayUseEveryCore('a', { COLLAPSE_LAB_LONE_RUN_MAX_LOAD: '-1' })).toBe(false);
    const leaveB = enterHostRun('b');
    expect(runMayUseEveryCore('a', { COLLAPSE_LAB_LONE_RUN_MAX_LOAD: '1e9' })).toBe(false);
    leaveB();
    leave();
  });

  it('ignores and removes the record of a process that died without leaving', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await new Promise((r) => child.on('exit', r));
    fs.writeFileSync(path.join(dir, `${pid}.killed-run`), '');
    expect(otherHostRuns('mine')).toBe(0);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
