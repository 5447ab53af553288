import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

/** A stand-in for Electron's UtilityProcess: records what is posted, and lets the test play the child. */
class FakeUtilityChild extends EventEmitter {
  pid = 4242;
  posted: unknown[] = [];
  killed = false;
  postMessage(m: unknown) {
    this.posted.push(m);
  }
  kill() {
    this.killed = true;
    return true;
  }
}

const forks: { file: string; args: string[]; options: Record<string, unknown>; child: FakeUtilityChild }[] = [];
vi.mock('electron', () => ({
  utilityProcess: {
    fork: (file: string, args: string[], options: Record<string, unknown>) => {
      const child = new FakeUtilityChild();
      forks.push({ file, args, options, child });
      return child;
    },
  },
}));

const { launchUtilityProcess } = await import('../../electron/engine-processes');
const { setProcessLauncher, spawnProcess } = await import('../../main/util/spawn-process');

describe('engine processes in the desktop app (utilityProcess, for the RunAsNode fuse off)', () => {
  it('the adapter gives the engine the ChildProcess surface it uses', () => {
    const p = launchUtilityProcess('/app/out/main/run-process.js', ['{"runId":"r"}']);
    const { child, file, args, options } = forks[0];
    expect([file, args, options.stdio]).toEqual(['/app/out/main/run-process.js', ['{"runId":"r"}'], 'inherit']);
    expect(p.pid).toBe(4242);
    const got: unknown[] = [];
    const exits: unknown[][] = [];
    p.on('message', (m) => got.push(m));
    p.on('exit', (code, signal) => exits.push([code, signal]));
    const acks: unknown[] = [];
    expect(p.send({ type: 'cancel' }, (e) => acks.push(e))).toBe(true);
    expect(child.posted).toEqual([{ type: 'cancel' }]);
    child.emit('message', { type: 'done' });
    expect(got).toEqual([{ type: 'done' }]);
    expect(p.connected).toBe(true);
    child.emit('exit', 0);
    expect(exits).toEqual([[0, null]]);
    expect(p.connected).toBe(false);
    // after the end, a message is refused with an error, not thrown
    expect(p.send({ type: 'cancel' }, (e) => acks.push(e))).toBe(false);
    expect(acks[0]).toBeNull();
    expect(String(acks[1])).toMatch(/has exited/);
    expect(p.kill()).toBe(true);
    expect(child.killed).toBe(true);
  });

  it('spawnProcess uses the launcher for a built module and fork from sources', () => {
    const launched: string[] = [];
    setProcessLauncher((file) => {
      launched.push(file);
      return launchUtilityProcess(file, []);
    });
    try {
      // a .ts module that exists runs from sources (fork through tsx): the launcher is only for the bundle's .js
      const fromSources = spawnProcess(new URL('../../main/runs/run-process.ts', import.meta.url), ['{}'], { stdio: 'ignore' });
      fromSources.kill();
      expect(launched).toEqual([]);
      spawnProcess(new URL('file:///app/out/main/run-process.js'));
      expect(launched).toEqual(['/app/out/main/run-process.js']);
    } finally {
      setProcessLauncher(null);
    }
  });
});
