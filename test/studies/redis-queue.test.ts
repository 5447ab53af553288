import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, killedOnExit, requireRedis, skipRedisTests, startRedisServer, until, withoutSeconds } from './redis-test-kit';
import type { RunEvent } from '../../main/contract/events';
import { RunManager } from '../../main/runs/run-manager';
import { connectionOf, jobIdOf, RUN_QUEUE } from '../../main/studies/redis-queue';
import { StudyManager } from '../../main/studies/study-manager';

/**
 * The distributed engine end to end: a real redis-server on a free loopback port, `collapse-lab worker` child
 * processes, and a coordinator (the CLI, or a StudyManager in this process). Skipped only where redis-server is not
 * installed and CI is not set; on CI a missing redis-server fails the file (.ci/run installs it).
 */
const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin', 'collapse-lab.mjs');
if (skipRedisTests)
  console.warn('test/studies/redis-queue.test.ts skipped: redis-server is not installed (apt install redis-server); on CI it is required');

interface WorkerLine {
  event: string;
  jobId?: string;
  runId?: string;
  attempt?: number;
  state?: string;
}
interface WorkerProc {
  child: ChildProcess;
  lines: WorkerLine[];
  stderr: string[];
  exited: Promise<number | null>;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-redis-'));
const ws = path.join(tmp, 'shared'); // the workspace every worker and coordinator shares
const children = killedOnExit();

function metricsLines(runId: string): Record<string, unknown>[] {
  const f = path.join(ws, runId, 'metrics.jsonl');
  if (!fs.existsSync(f)) return [];
  return fs
    .readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function environmentOf(dir: string): { resumes?: unknown[] } {
  return JSON.parse(fs.readFileSync(path.join(dir, 'environment.json'), 'utf8'));
}

/** A slow enough Gaussian run to be stopped mid-way: about 0.2 s a generation on one core. */
function slowStudy(name: string, generations: number, seeds: number) {
  return {
    name,
    base: {
      dataset: { kind: 'gaussian', dim: 48, trainSize: 3000, testSize: 800 },
      model: { kind: 'gaussian' },
      loop: { generations, paradigm: 'replace', keep: 800, ratio: 4 },
      selection: { scheme: 'random' },
      gridSamples: 16,
    },
    seeds,
  };
}

describe.skipIf(skipRedisTests)(`studies on BullMQ over Redis${skipRedisTests ? ' (skipped: redis-server is not installed)' : ''}`, () => {
  let redis: ChildProcess;
  let url = '';
  const workers: WorkerProc[] = [];

  function startWorker(): Promise<WorkerProc> {
    const child = spawn(
      process.execPath,
      [bin, 'worker', '--queue', url, '--out', ws, '--concurrency', '1', '--backend', 'cpu', '--json'],
      {
        cwd: tmp,
        stdio: ['ignore', 'pipe', 'pipe'],
        // a dead worker's job is taken over within seconds
        env: { ...process.env, COLLAPSE_LAB_QUEUE_LOCK_MS: '4000', COLLAPSE_LAB_QUEUE_STALLED_MS: '1500' },
      },
    );
    children.add(child);
    const w: WorkerProc = {
      child,
      lines: [],
      stderr: [],
      exited: new Promise((resolve) =>
        child.once('exit', (code) => {
          children.delete(child);
          resolve(code);
        }),
      ),
    };
    readline.createInterface({ input: child.stdout! }).on('line', (l) => {
      try {
        w.lines.push(JSON.parse(l) as WorkerLine);
      } catch {
        w.stderr.push(`(stdout) ${l}`);
      }
    });
    readline.createInterface({ input: child.stderr! }).on('line', (l) => w.stderr.push(l));
    workers.push(w);
    return new Promise((resolve, reject) => {
      void w.exited.then((code) => reject(new Error(`worker exited with code ${code}: ${w.stderr.join('\n')}`)));
      until('a worker to be ready', () => w.lines.some((l) => l.event === 'ready'), 60_000).then(() => resolve(w), reject);
    });
  }

  const live = () => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  const startsOf = (jobId: string) => workers.flatMap((w) => w.lines.filter((l) => l.event === 'start' && l.jobId === jobId));

  beforeAll(async () => {
    requireRedis();
    const port = await freePort();
    redis = await startRedisServer(port, tmp, ['--appendonly', 'no'], children);
    url = `redis://127.0.0.1:${port}`;
    await Promise.all([startWorker(), startWorker()]);
  }, 90_000);

  afterAll(async () => {
    // workers stop gracefully on SIGTERM; one that does not within 10 s is killed
    for (const w of live()) w.child.kill('SIGTERM');
    const timer = setTimeout(() => live().forEach((w) => w.child.kill('SIGKILL')), 10_000);
    await Promise.all(workers.map((w) => w.exited));
    clearTimeout(timer);
    if (redis && redis.exitCode === null) {
      const gone = new Promise((r) => redis.once('exit', r));
      redis.kill('SIGTERM');
      await gone;
    }
    children.delete(redis);
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 30_000);

  it('runs a study on two workers (three runs): every run once, and the same aggregate as the embedded engine', async () => {
    const spec = {
      name: 'queue grid',
      base: {
        dataset: { kind: 'gaussian', dim: 4, trainSize: 300, testSize: 200 },
        islands: { count: 2, split: 'iid' },
        model: { kind: 'gaussian' },
        loop: { generations: 3, keep: 50, ratio: 4, paradigm: 'replace' },
        selection: { scheme: 'random' },
        gridSamples: 16,
      },
      axes: [{ path: 'selection.scheme', values: ['none', 'random', 'topalpha'] }],
      seeds: 1,
    };
    const file = path.join(tmp, 'grid.json');
    fs.writeFileSync(file, JSON.stringify(spec));
    // the embedded engine on the same study, in another workspace, meanwhile
    const embedded = new StudyManager(path.join(tmp, 'embedded'), 'cpu');
    const embeddedId = embedded.start(spec, { queue: { parallel: 2 } });
    const cli = spawn(process.execPath, [bin, 'study', 'run', file, '--queue', url, '--out', ws, '--backend', 'cpu', '--json'], {
      cwd: tmp,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(cli);
    let stdout = '';
    let stderr = '';
    cli.stdout!.on('data', (d) => (stdout += d));
    cli.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    children.delete(cli);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ id: 'queue-grid', state: 'completed', queue: url });
    expect(result.runs).toHaveLength(3);
    for (const r of result.runs) {
      expect(r).toMatchObject({ state: 'completed', lastGeneration: 2, attempts: 1 });
      // each run ran once: started by one worker, never resumed
      expect(startsOf(jobIdOf({ studyId: 'queue-grid', key: r.key }))).toHaveLength(1);
      expect(environmentOf(path.join(ws, r.runId)).resumes).toBeUndefined();
    }
    // both workers took runs
    for (const w of workers) expect(w.lines.filter((l) => l.event === 'start').length).toBeGreaterThan(0);

    expect((await embedded.wait(embeddedId)).state).toBe('completed');
    await embedded.close();
    const read = (w: string) => JSON.parse(fs.readFileSync(path.join(w, 'studies', 'queue-grid', 'aggregate.json'), 'utf8'));
    expect(withoutSeconds(read(ws))).toEqual(withoutSeconds(read(path.join(tmp, 'embedded'))));
  }, 90_000);

  it('cancel from the coordinator stops the study’s jobs, running and waiting; the study resumes from there', async () => {
    const manager = new StudyManager(ws, 'cpu');
    const events: RunEvent[] = [];
    manager.on('run', (e) => events.push(e));
    const id = manager.start(slowStudy('queue cancel', 40, 3), { queue: { queue: url } });
    const runIds = manager.status(id).runs.map((r) => r.runId);
    // two workers: two runs run, one waits
    await until('two runs to finish a generation', () => runIds.filter((r) => metricsLines(r).length >= 1).length >= 2);
    manager.cancel(id);
    const status = await manager.wait(id);
    expect(status.state).toBe('cancelled');
    expect(status.runs.map((r) => r.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const started = status.runs.filter((r) => r.lastGeneration >= 0);
    expect(started).toHaveLength(2);
    for (const r of started) expect(r.lastGeneration).toBeLessThan(39);
    expect(status.runs.filter((r) => r.lastGeneration === -1)).toHaveLength(1);
    // the run folders say so too, and no job of the study is left waiting or running
    for (const r of status.runs) expect(JSON.parse(fs.readFileSync(path.join(ws, r.runId, 'status.json'), 'utf8')).state).toBe('cancelled');
    const { Queue } = await import('bullmq');
    const queue = new Queue(RUN_QUEUE, { connection: connectionOf(url) });
    try {
      for (const r of status.runs) {
        const job = await queue.getJob(jobIdOf({ studyId: id, key: r.key }));
        expect(['completed', 'unknown']).toContain(job ? await job.getState() : 'unknown');
      }
      const kept = new Map(started.map((r) => [r.runId, metricsLines(r.runId).length]));

      // resumable: `study resume` queues the runs again under the same job ids, and the workers continue them
      events.length = 0;
      manager.resume(id, { queue: { queue: url } });
      await until('the workers to run the resumed study', () => events.filter((e) => e.type === 'generation').length >= 2);
      for (const r of status.runs) {
        const job = await queue.getJob(jobIdOf({ studyId: id, key: r.key }));
        expect(['waiting', 'active', 'completed']).toContain(job ? await job.getState() : 'unknown');
      }
      manager.cancel(id);
      const again = await manager.wait(id);
      expect(again.state).toBe('cancelled');
      for (const r of again.runs) expect(r.state).toBe('cancelled');
      // the resumed runs continued from their last generation: nothing finished was lost or done twice
      for (const [runId, n] of kept) {
        const gens = metricsLines(runId).map((l) => l.generation);
        expect(gens.length).toBeGreaterThanOrEqual(n);
        expect(gens).toEqual(Array.from({ length: gens.length }, (_, g) => g));
      }
      expect(events.some((e) => e.type === 'status' && e.state === 'running')).toBe(true);
    } finally {
      await queue.close();
      await manager.close();
    }
  }, 90_000);

  it('a worker killed mid-run leaves its job to the other, which resumes the run from its last generation', async () => {
    expect(live()).toHaveLength(2);
    const manager = new StudyManager(ws, 'cpu');
    const id = manager.start(slowStudy('queue kill', 20, 1), { queue: { queue: url } });
    const [run] = manager.status(id).runs;
    const jobId = jobIdOf({ studyId: id, key: run.key });
    // the same run uninterrupted, meanwhile, for reference
    const reference = new RunManager(path.join(tmp, 'reference'), 'cpu');
    const refId = reference.start(JSON.parse(fs.readFileSync(path.join(ws, run.runId, 'config.json'), 'utf8')));
    try {
      await until('the run to commit 3 generations', () => metricsLines(run.runId).length >= 3);
      const holder = workers.find((w) => w.lines.some((l) => l.event === 'start' && l.jobId === jobId));
      expect(holder).toBeDefined();
      holder!.child.kill('SIGKILL');
      await holder!.exited;
      const killedAt = metricsLines(run.runId).length;

      const status = await manager.wait(id);
      expect(status.state).toBe('completed');
      expect(status.runs[0]).toMatchObject({ state: 'completed', lastGeneration: 19 });
      expect(killedAt).toBeLessThan(20);
      // the other worker took the stalled job and resumed the run
      const other = workers.find((w) => w !== holder && w.child.exitCode === null)!;
      expect(other.lines.filter((l) => l.event === 'start' && l.jobId === jobId)).toHaveLength(1);
      expect(other.lines.find((l) => l.event === 'end' && l.jobId === jobId)).toMatchObject({ state: 'completed' });
      expect(environmentOf(path.join(ws, run.runId)).resumes).toHaveLength(1);
      // no generation lost or done twice: the metrics equal the uninterrupted run's
      const lines = metricsLines(run.runId);
      expect(lines.map((l) => l.generation)).toEqual(Array.from({ length: 20 }, (_, g) => g));
      expect((await reference.wait(refId)).state).toBe('completed');
      expect(withoutSeconds(lines)).toEqual(withoutSeconds(reference.get(refId).metrics));
    } finally {
      await reference.close();
      await manager.close();
    }
  }, 90_000);
});
