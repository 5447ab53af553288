import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { StudyEvent } from '../../main/contract/study';
import { RunFolder } from '../../main/runs/run-folder';
import { StudyManager } from '../../main/studies/study-manager';

const bin = fileURLToPath(new URL('../../bin/collapse-lab.mjs', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-study-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The Gaussian toy: fast generations, so the queue's bookkeeping (not the training) is what is tested. */
function gridStudy(extra: { seeds?: number | number[]; schemes?: string[]; generations?: number; name?: string } = {}) {
  return {
    name: extra.name ?? 'grid',
    base: {
      dataset: { kind: 'gaussian', dim: 6, trainSize: 400, testSize: 200 },
      islands: { count: 2, split: 'iid' },
      model: { kind: 'gaussian' },
      loop: { generations: extra.generations ?? 3, paradigm: 'accumulate-subsample', keep: 50, ratio: 4 },
      gridSamples: 16,
    },
    axes: [{ path: 'selection.scheme', values: extra.schemes ?? ['random', 'topalpha'] }],
    seeds: extra.seeds ?? 2,
  };
}

/** Metrics lines without their wall-clock fields, which legitimately differ between runs. */
function withoutTimes(dir: string) {
  return new RunFolder(dir).readMetrics().map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !/seconds$/i.test(k))));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, f: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The first run of a study's index that is running with at least `generations` committed, and its worker's pid. The
 * committed generations are counted in metrics.jsonl (the commit point): status.json notes a finished generation at
 * most once a second, and quick Gaussian generations can all pass between two notes.
 */
function runningRun(ws: string, studyId: string, generations: number): { dir: string; pid: number } | undefined {
  const index = path.join(ws, 'studies', studyId, 'index.json');
  if (!fs.existsSync(index)) return undefined;
  for (const r of (JSON.parse(fs.readFileSync(index, 'utf8')) as { runs: { runId: string }[] }).runs) {
    const dir = path.join(ws, r.runId);
    try {
      const s = new RunFolder(dir).readStatus();
      if (s.state === 'running' && s.pid && new RunFolder(dir).readMetrics().length >= generations) return { dir, pid: s.pid };
    } catch {
      // not written yet
    }
  }
  return undefined;
}

describe('studies on the embedded queue', () => {
  const ws = path.join(tmp, 'ws');

  it('runs every cell × seed with --parallel 2, in two run processes that take the runs in turn, and writes index and aggregate', async () => {
    const manager = new StudyManager(ws, 'cpu');
    const events: StudyEvent[] = [];
    manager.on('study', (e) => events.push(e));
    const id = manager.start(gridStudy(), { queue: { parallel: 2 } });
    expect(id).toBe('grid');
    const status = await manager.wait(id);
    expect(status.state).toBe('completed');
    expect(status.runs).toHaveLength(4);
    expect(status.runs.every((r) => r.state === 'completed' && r.lastGeneration === 2 && r.attempts === 1)).toBe(true);
    // two at once, never more; the runs in a pool of two long-lived run processes (not the coordinator's)
    expect(Math.max(...events.map((e) => e.progress.running))).toBe(2);
    const pids = status.runs.map((r) => new RunFolder(path.join(ws, r.runId)).readStatus().pid);
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(process.pid);
    // ordinary run folders in the workspace, listed like any run
    expect(
      manager.runs
        .list()
        .map((r) => r.id)
        .sort(),
    ).toEqual(status.runs.map((r) => r.runId).sort());
    const folder = path.join(ws, 'studies', 'grid');
    const index = JSON.parse(fs.readFileSync(path.join(folder, 'index.json'), 'utf8'));
    expect(index.queue).toBe('embedded');
    expect(index.runs.map((r: { state: string }) => r.state)).toEqual(['completed', 'completed', 'completed', 'completed']);
    const aggregate = JSON.parse(fs.readFileSync(path.join(folder, 'aggregate.json'), 'utf8'));
    expect(aggregate.cells.map((c: { fields: Record<string, unknown>; n: number }) => [c.fields['selection.scheme'], c.n])).toEqual([
      ['random', 2],
      ['topalpha', 2],
    ]);
    // the aggregate's mean is the mean of the runs' own values
    const fids = status.runs
      .filter((r) => r.fields['selection.scheme'] === 'random')
      .map((r) => Number(new RunFolder(path.join(ws, r.runId)).readMetrics()[2].fid));
    const cell = aggregate.cells[0].last.metrics.fid;
    expect(cell.mean).toBeCloseTo((fids[0] + fids[1]) / 2, 12);
    expect(fs.readFileSync(path.join(folder, 'aggregate.csv'), 'utf8').split('\n')[0]).toBe(
      'selection.scheme,cell,seed,generation,metric,value',
    );
    expect(events[events.length - 1].state).toBe('completed');
  });

  it('queues seed-major: every cell’s first seed before any cell’s second, so a study stopped early compares its cells', async () => {
    const manager = new StudyManager(path.join(tmp, 'ws-order'), 'cpu');
    const started: string[] = [];
    manager.on('run', (e) => e.type === 'status' && e.state === 'running' && !started.includes(e.runId) && started.push(e.runId));
    const id = manager.start(gridStudy({ name: 'order', seeds: [5, 2], schemes: ['random', 'topalpha', 'kmeans'], generations: 1 }), {
      queue: { parallel: 1 },
    });
    const status = await manager.wait(id);
    expect(status.state).toBe('completed');
    const byId = new Map(status.runs.map((r) => [r.runId, `${r.seed}:${r.fields['selection.scheme']}`]));
    expect(started.map((r) => byId.get(r))).toEqual(['5:random', '5:topalpha', '5:kmeans', '2:random', '2:topalpha', '2:kmeans']);
  });

  it('runs only the new cells when a value or a seed is added, and extends finished runs when generations grow', async () => {
    const manager = new StudyManager(ws, 'cpu');
    const before = manager.status('grid').runs;
    const mtimes = new Map(before.map((r) => [r.runId, fs.statSync(path.join(ws, r.runId, 'metrics.jsonl')).mtimeMs]));
    const started = new Set<string>();
    manager.on('run', (e) => e.type === 'status' && e.state === 'running' && started.add(e.runId));
    await manager.wait(manager.start(gridStudy({ seeds: 3, schemes: ['random', 'topalpha', 'kmeans'] }), { queue: { parallel: 2 } }));
    const after = manager.status('grid');
    expect(after.state).toBe('completed');
    expect(after.runs).toHaveLength(9);
    expect([...started].sort()).toEqual(
      after.runs
        .map((r) => r.runId)
        .filter((id) => !mtimes.has(id))
        .sort(),
    );
    for (const [id, t] of mtimes) expect(fs.statSync(path.join(ws, id, 'metrics.jsonl')).mtimeMs).toBe(t);

    const firstLines = withoutTimes(path.join(ws, before[0].runId));
    await manager.wait(
      manager.start(gridStudy({ seeds: 3, schemes: ['random', 'topalpha', 'kmeans'], generations: 5 }), { queue: { parallel: 2 } }),
    );
    const extended = manager.status('grid');
    expect(extended.runs.map((r) => r.runId)).toEqual(after.runs.map((r) => r.runId));
    expect(extended.runs.every((r) => r.state === 'completed' && r.lastGeneration === 4)).toBe(true);
    const lines = withoutTimes(path.join(ws, before[0].runId));
    expect(lines.map((l) => l.generation)).toEqual([0, 1, 2, 3, 4]);
    expect(lines.slice(0, 3)).toEqual(firstLines);
    expect(new RunFolder(path.join(ws, before[0].runId)).readConfig().loop.generations).toBe(5);
  });

  // 200 quick generations: long enough that a run is seen mid-way (polled every 100 ms) on an idle machine
  const long = (name: string) => gridStudy({ name, seeds: [0], schemes: ['random'], generations: 200 });
  let reference: ReturnType<typeof withoutTimes>;

  it('a run whose process is killed is resumed by the queue, with results equal to an uninterrupted run', async () => {
    const refWs = path.join(tmp, 'reference');
    const ref = new StudyManager(refWs, 'cpu');
    const refStatus = await ref.wait(ref.start(long('long'), { queue: { parallel: 1 } }));
    expect(refStatus.state).toBe('completed');
    reference = withoutTimes(path.join(refWs, refStatus.runs[0].runId));
    expect(reference).toHaveLength(200);

    const killWs = path.join(tmp, 'kill-run');
    const manager = new StudyManager(killWs, 'cpu');
    const id = manager.start(long('long'), { queue: { parallel: 1 } });
    const victim = await until('a run with 3 generations', () => runningRun(killWs, id, 3));
    process.kill(victim.pid, 'SIGKILL');
    const status = await manager.wait(id);
    expect(status.state).toBe('completed');
    expect(status.runs[0].attempts).toBe(2);
    expect(withoutTimes(victim.dir)).toEqual(reference);
    const env = JSON.parse(fs.readFileSync(path.join(victim.dir, 'environment.json'), 'utf8'));
    expect(env.resumes).toHaveLength(1);
  });

  it('a killed coordinator (SIGKILL of `study run`) takes its runs with it, and `study resume` finishes with equal results', async () => {
    const killWs = path.join(tmp, 'kill-coordinator');
    const file = path.join(tmp, 'long.json');
    fs.writeFileSync(file, JSON.stringify(long('long')));
    const child = spawn(process.execPath, [bin, 'study', 'run', file, '--out', killWs, '--parallel', '1', '--backend', 'cpu', '--json'], {
      stdio: 'ignore',
    });
    const victim = await until('a run with 3 generations', () => runningRun(killWs, 'long', 3));
    child.kill('SIGKILL');
    // the run's process sees its parent gone and exits at once
    await until('the run process to exit', () => !processAlive(victim.pid), 20_000);
    const manager = new StudyManager(killWs, 'cpu');
    expect(manager.status('long').state).toBe('interrupted');
    expect(new RunFolder(victim.dir).readMetrics().length).toBeGreaterThanOrEqual(3);
    manager.resume('long', { queue: { parallel: 1 } });
    const status = await manager.wait('long');
    expect(status.state).toBe('completed');
    expect(withoutTimes(victim.dir)).toEqual(reference);
  });

  it('cancel stops a study from another process; resume continues it', async () => {
    const cancelWs = path.join(tmp, 'cancel');
    const file = path.join(tmp, 'cancel.json');
    // 240 generations: the coordinator reads cancel requests each second, and 24 quick Gaussian generations could all
    // finish inside one such second on a fast moment (the study then exits 0, completed)
    fs.writeFileSync(file, JSON.stringify(gridStudy({ name: 'to-cancel', seeds: [0], schemes: ['random'], generations: 240 })));
    const child = spawn(process.execPath, [bin, 'study', 'run', file, '--out', cancelWs, '--parallel', '1', '--backend', 'cpu'], {
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await until('a run with 2 generations', () => runningRun(cancelWs, 'to-cancel', 2), 150_000);
    new StudyManager(cancelWs, 'cpu').cancel('to-cancel');
    expect(await exited).toBe(1);
    const manager = new StudyManager(cancelWs, 'cpu');
    const stopped = manager.status('to-cancel');
    expect(stopped.state).toBe('cancelled');
    expect(stopped.runs[0].state).toBe('cancelled');
    expect(() => manager.cancel('to-cancel')).toThrow(/not running/);
    manager.resume('to-cancel', { queue: { parallel: 1 } });
    expect((await manager.wait('to-cancel')).state).toBe('completed');
  });
});
