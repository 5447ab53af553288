import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/contract/config';
import type { RunEvent } from '../../main/contract/events';
import { ExternalRunWatcher } from '../../main/runs/external-run-watcher';
import { RunFolder } from '../../main/runs/run-folder';
import { RunManager } from '../../main/runs/run-manager';

/**
 * A run trained by another process (here: a folder whose status names a live child process as its owner, written to
 * by the test as that process's worker would) shows live in this process: status, progress and each generation.
 */
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-external-'));
let owner: ChildProcess;
beforeAll(() => {
  owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
});
afterAll(() => {
  owner.kill('SIGKILL');
  fs.rmSync(ws, { recursive: true, force: true });
});

function externalRun(id: string, pid: number): RunFolder {
  const folder = new RunFolder(path.join(ws, id));
  fs.mkdirSync(folder.dir);
  folder.writeJson(
    'config.json',
    validateConfig({ name: id, dataset: { kind: 'gaussian' }, model: { kind: 'gaussian' }, loop: { generations: 3, keep: 10 } }),
  );
  const now = new Date().toISOString();
  folder.writeJson('status.json', {
    state: 'running',
    lastGeneration: -1,
    generations: 3,
    startedAt: now,
    updatedAt: now,
    pid,
    backend: 'cpu',
  });
  return folder;
}

describe('runs of other processes, watched', () => {
  it('relays status, progress and each new generation, then the final state, and nothing after', () => {
    const manager = new RunManager(ws);
    const events: RunEvent[] = [];
    const watcher = new ExternalRunWatcher(manager, (e) => events.push(e));
    const folder = externalRun('run-a', owner.pid!);

    watcher.poll();
    expect(events).toEqual([{ type: 'status', runId: 'run-a', state: 'running', backend: 'cpu' }]);

    events.length = 0;
    folder.writeJson('progress.json', {
      type: 'progress',
      runId: 'run-a',
      generation: 0,
      generations: 3,
      phase: 'train',
      epoch: 2,
      epochs: 5,
      fraction: 0.12,
      at: 'x',
    });
    folder.appendMetrics({ generation: 0, fid: 12.5 });
    watcher.poll();
    expect(events).toEqual([
      { type: 'generation', runId: 'run-a', generation: 0, metrics: { generation: 0, fid: 12.5 } },
      { type: 'progress', runId: 'run-a', generation: 0, generations: 3, phase: 'train', epoch: 2, epochs: 5, fraction: 0.12 },
    ]);

    events.length = 0;
    watcher.poll(); // nothing changed
    expect(events).toEqual([]);

    folder.appendMetrics({ generation: 1, fid: 14 });
    folder.appendMetrics({ generation: 2, fid: 15 });
    folder.updateStatus({ state: 'completed', lastGeneration: 2 });
    watcher.poll();
    expect(events.map((e) => e.type)).toEqual(['generation', 'generation', 'status']);
    expect(events.map((e) => (e.type === 'generation' ? e.generation : e.type === 'status' ? e.state : null))).toEqual([1, 2, 'completed']);

    events.length = 0;
    watcher.poll();
    expect(events).toEqual([]);
  });

  it('reports a run whose owning process died as interrupted', async () => {
    const doomed = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const manager = new RunManager(ws);
    const events: RunEvent[] = [];
    const watcher = new ExternalRunWatcher(manager, (e) => events.push(e));
    externalRun('run-b', doomed.pid!);
    watcher.poll();
    expect(events.filter((e) => e.runId === 'run-b')).toEqual([{ type: 'status', runId: 'run-b', state: 'running', backend: 'cpu' }]);
    await new Promise<void>((resolve) => {
      doomed.on('exit', () => resolve());
      doomed.kill('SIGKILL');
    });
    events.length = 0;
    watcher.poll();
    const b = events.filter((e) => e.runId === 'run-b');
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ type: 'status', state: 'interrupted' });
  });

  it('leaves finished runs and runs of its own manager alone', () => {
    const manager = new RunManager(ws);
    const events: RunEvent[] = [];
    const watcher = new ExternalRunWatcher(manager, (e) => events.push(e));
    const own = externalRun('run-own', process.pid); // this process, but no worker here: interrupted, never watched
    own.updateStatus({ state: 'completed' });
    watcher.poll();
    expect(events.filter((e) => e.runId === 'run-own')).toEqual([]);
  });

  it('reads a settled run’s status once, and again only when its file changes (a resume elsewhere)', () => {
    const manager = new RunManager(ws);
    const reads: string[] = [];
    const effective = manager.effectiveStatus.bind(manager);
    manager.effectiveStatus = (f) => {
      reads.push(f.id);
      return effective(f);
    };
    const events: RunEvent[] = [];
    const watcher = new ExternalRunWatcher(manager, (e) => events.push(e));
    const done = externalRun('run-settled', owner.pid!);
    done.updateStatus({ state: 'completed' });
    watcher.poll();
    watcher.poll();
    watcher.poll();
    expect(reads.filter((id) => id === 'run-settled')).toHaveLength(1);
    done.updateStatus({ state: 'running' }); // resumed by the owner process
    watcher.poll();
    expect(reads.filter((id) => id === 'run-settled')).toHaveLength(2);
    expect(events.filter((e) => e.runId === 'run-settled')).toEqual([
      { type: 'status', runId: 'run-settled', state: 'running', backend: 'cpu' },
    ]);
  });

  it('reads none of the runs the runs list keeps as final at its first look (a workspace of thousands), and a resumed one again', () => {
    const kept = externalRun('run-kept', owner.pid!);
    kept.updateStatus({ state: 'completed' });
    new RunManager(ws).list(); // an earlier process listed the workspace and kept its final runs' summaries
    const manager = new RunManager(ws);
    const reads: string[] = [];
    const effective = manager.effectiveStatus.bind(manager);
    manager.effectiveStatus = (f) => {
      reads.push(f.id);
      return effective(f);
    };
    const events: RunEvent[] = [];
    const watcher = new ExternalRunWatcher(manager, (e) => events.push(e));
    watcher.poll();
    expect(reads).not.toContain('run-kept');
    kept.updateStatus({ state: 'running' }); // resumed by the owner process
    watcher.poll();
    expect(reads).toContain('run-kept');
    expect(events.filter((e) => e.runId === 'run-kept')).toEqual([{ type: 'status', runId: 'run-kept', state: 'running', backend: 'cpu' }]);
  });
});
