import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireHostSlot, liveHostSlots, maxHostRunProcesses, pidAlive, tryAcquireHostSlot } from '../../main/runs/host-slots';

/** main/runs/host-slots.ts: one cap on the run processes alive on this host. */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-host-slots-test-'));
const saved = process.env.COLLAPSE_LAB_HOST_RUNS_DIR;
process.env.COLLAPSE_LAB_HOST_RUNS_DIR = dir;
afterAll(() => {
  if (saved === undefined) delete process.env.COLLAPSE_LAB_HOST_RUNS_DIR;
  else process.env.COLLAPSE_LAB_HOST_RUNS_DIR = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A stand-in run process: lives `ms`, then exits. */
function runProcess(ms: number): ChildProcess {
  return spawn(process.execPath, ['-e', `setTimeout(() => {}, ${ms})`], { stdio: 'ignore' });
}

const exited = (c: ChildProcess) =>
  new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

describe('host run slots', () => {
  it('takes its cap from COLLAPSE_LAB_MAX_RUN_PROCESSES, else the cores or the parallel granted above them', () => {
    expect(maxHostRunProcesses(0, { COLLAPSE_LAB_MAX_RUN_PROCESSES: '3' })).toBe(3);
    expect(maxHostRunProcesses(0, {})).toBe(os.availableParallelism());
    expect(maxHostRunProcesses(os.availableParallelism() + 5, {})).toBe(os.availableParallelism() + 5);
    expect(() => maxHostRunProcesses(0, { COLLAPSE_LAB_MAX_RUN_PROCESSES: '0' })).toThrow(/COLLAPSE_LAB_MAX_RUN_PROCESSES.*"0"/);
  });

  it('two pools asking for 2 processes each on a cap of 2 never have more than 2 alive at once', async () => {
    const lines: string[] = [];
    const live = new Set<ChildProcess>();
    let most = 0;
    const sampler = setInterval(() => {
      most = Math.max(most, [...live].filter((c) => c.pid !== undefined && pidAlive(c.pid)).length);
    }, 5);
    // a pool: `size` slots at once, each starting a process per run as soon as it holds a slot
    const pool = async (name: string, size: number, runs: number) => {
      let left = runs;
      const member = async () => {
        while (left-- > 0) {
          const slot = await acquireHostSlot({ cap: 2, pollMs: 20, who: name, log: (l) => lines.push(l) });
          const child = runProcess(150);
          live.add(child);
          slot.hold(child.pid!);
          await exited(child);
          live.delete(child);
          slot.release();
        }
      };
      await Promise.all(Array.from({ length: size }, member));
    };
    await Promise.all([pool('pool A', 2, 3), pool('pool B', 2, 3)]);
    clearInterval(sampler);
    expect(most).toBe(2);
    expect(lines.some((l) => /waits for a free run slot: 2 run processes already run/.test(l))).toBe(true);
    expect(liveHostSlots()).toEqual([]);
  });

  it('reclaims the slot of a holder killed outright', async () => {
    const holder = runProcess(60_000);
    const slot = tryAcquireHostSlot(1)!;
    slot.hold(holder.pid!);
    expect(liveHostSlots()).toEqual([holder.pid]);
    expect(tryAcquireHostSlot(1)).toBeNull();
    holder.kill('SIGKILL');
    await exited(holder);
    const next = tryAcquireHostSlot(1);
    expect(next?.index).toBe(0);
    expect(liveHostSlots()).toEqual([process.pid]);
    slot.release(); // the killed holder's owner releasing late never frees the slot another took since
    expect(liveHostSlots()).toEqual([process.pid]);
    next!.release();
    expect(liveHostSlots()).toEqual([]);
  });
});
