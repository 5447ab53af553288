import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ExperimentConfigInput } from '../../main/contract/config';
import type { RunEvent } from '../../main/contract/events';
import { RunFolder } from '../../main/runs/run-folder';
import { RunManager } from '../../main/runs/run-manager';

/**
 * Issue 14, item 1: a run whose worker dies while its status cannot be written (its folder deleted while it trains, a
 * full disk) is that run's failure: marked failed (in memory when the disk refuses), reported through events and by
 * effectiveStatus/list/get, and the host process keeps serving (before, finish() threw in the worker's exit handler
 * and the host exited).
 */
const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin', 'collapse-lab.mjs');
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-host-'));
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

function toy(generations: number, extra: Partial<ExperimentConfigInput> = {}): ExperimentConfigInput {
  return {
    name: 'toy',
    seed: 3,
    dataset: { kind: 'gaussian', dim: 4, trainSize: 200, testSize: 100 },
    model: { kind: 'gaussian' },
    loop: { generations, paradigm: 'replace', keep: 40, ratio: 2 },
    selection: { scheme: 'random' },
    metrics: { downstream: false },
    gridSamples: 4,
    ...extra,
  };
}

function untilGeneration(manager: RunManager, id: string, g: number): Promise<void> {
  return new Promise((resolve) => {
    const on = (e: RunEvent) => {
      if (e.runId === id && e.type === 'generation' && e.generation >= g) {
        manager.off('event', on);
        resolve();
      }
    };
    manager.on('event', on);
  });
}

/** Delete a folder that a worker writes to: moved away at once (atomic), then removed. */
function deleteFolder(dir: string): void {
  const gone = `${dir}.deleted`;
  fs.renameSync(dir, gone);
  fs.rmSync(gone, { recursive: true, force: true, maxRetries: 5 });
}

describe('the host survives a run whose status cannot be written', () => {
  it('a run folder deleted while the run trains: the run fails, the host keeps serving', async () => {
    const manager = new RunManager(workspace, 'cpu');
    const events: RunEvent[] = [];
    manager.on('event', (e) => events.push(e));
    const id = manager.start(toy(400));
    await untilGeneration(manager, id, 1);
    deleteFolder(path.join(workspace, id));
    const status = await manager.wait(id);
    expect(status.state).toBe('failed');
    expect(status.error).toMatch(new RegExp(id));
    expect(events.filter((e) => e.runId === id && e.type === 'status').at(-1)).toMatchObject({ state: 'failed' });
    expect(manager.isActive(id)).toBe(false);
    // issue 26 case 13: the deleted folder stays deleted (no gen-GGG/, metrics.jsonl or progress.json fragment)
    await new Promise((r) => setTimeout(r, 1500));
    expect(fs.existsSync(path.join(workspace, id))).toBe(false);
    // the host still runs runs
    const next = manager.start(toy(2));
    expect((await manager.wait(next)).state).toBe('completed');
  });

  it('a worker killed after its folder was deleted: failed in memory, nothing thrown into the host', async () => {
    const manager = new RunManager(workspace, 'cpu');
    const id = manager.start(toy(400));
    await untilGeneration(manager, id, 0);
    deleteFolder(path.join(workspace, id));
    await manager.killWorker(id);
    const status = await manager.wait(id);
    expect(status.state).toBe('failed');
    // whichever comes first names the run's folder: the host's status write (status.json) or the worker's own next
    // write finding its folder gone (issue 26 case 13)
    expect(status.error).toMatch(new RegExp(`${id}(/status\\.json|.* no longer exists)`));
  });

  it('a status write the disk refuses (ENOSPC, simulated): failed in memory, and get/list/effectiveStatus say so', async () => {
    const manager = new RunManager(workspace, 'cpu');
    const events: RunEvent[] = [];
    manager.on('event', (e) => events.push(e));
    const id = manager.start(toy(400));
    await untilGeneration(manager, id, 0);
    const enospc = vi.spyOn(RunFolder.prototype, 'updateStatus').mockImplementation(function (this: RunFolder) {
      throw new Error(`cannot write ${this.file('status.json')}: ENOSPC: no space left on device, write`);
    });
    try {
      await manager.killWorker(id);
    } finally {
      enospc.mockRestore();
    }
    const status = await manager.wait(id);
    expect(status.state).toBe('failed');
    expect(status.error).toMatch(/status\.json: ENOSPC/);
    // the disk still says running (pid of this process); this process's word wins
    expect(JSON.parse(fs.readFileSync(path.join(workspace, id, 'status.json'), 'utf8')).state).toBe('running');
    expect(manager.get(id)).toMatchObject({ state: 'failed', error: status.error });
    expect(manager.list().find((r) => r.id === id)).toMatchObject({ state: 'failed' });
    expect(manager.effectiveStatus(manager.folder(id)).state).toBe('failed');
    expect(events.filter((e) => e.runId === id && e.type === 'status').at(-1)).toMatchObject({ state: 'failed' });
    // a resume (the disk has room again) continues it
    manager.resume(id, { generations: 3 });
    expect((await manager.wait(id)).state).toBe('completed');
  });
});

/** A small tmpfs, where this test may mount one (root on Linux); elsewhere the simulated ENOSPC above stands in. */
function mountTmpfs(size: string): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-full-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return dir;
}

function unmount(dir: string): void {
  spawnSync('umount', [dir]);
  fs.rmSync(dir, { recursive: true, force: true });
}

const full = mountTmpfs('48k');
afterAll(() => full && unmount(full));

describe.skipIf(!full)('a full disk (a 48 KB tmpfs)', () => {
  it('the CLI prints one line naming the file and ENOSPC, no stack, and leaves no run queued', () => {
    const config = path.join(workspace, 'toy.json');
    fs.writeFileSync(
      config,
      JSON.stringify(toy(50, { gridSamples: 64, loop: { generations: 50, paradigm: 'replace', keep: 400, ratio: 2 } })),
    );
    const ws = path.join(full!, 'ws');
    const r = spawnSync(process.execPath, [bin, 'run', '--config', config, '--out', ws, '--backend', 'cpu'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr + r.stdout).toMatch(/ENOSPC/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const errorLines = r.stdout.split('\n').filter((l) => /ENOSPC/.test(l));
    expect(errorLines.length).toBeLessThanOrEqual(1);
    expect(errorLines.join('')).toMatch(/cannot write \/\S+/);
    const list = spawnSync(process.execPath, [bin, 'list', '--out', ws, '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(list.status).toBe(0);
    const runs = JSON.parse(list.stdout).runs as { state: string }[];
    expect(runs.filter((x) => x.state === 'queued' || x.state === 'running')).toEqual([]);
  });
});
