import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, killedOnExit, requireRedis, skipRedisTests, startRedisServer, until, withoutSeconds } from './redis-test-kit';
import { StudyManager } from '../../main/studies/study-manager';

/**
 * One study through all three kills: a small Gaussian study (18 runs, `metrics` storage) on BullMQ with two
 * `collapse-lab worker` processes survives a SIGKILL of a worker (a new one joins), a SIGKILL of redis-server
 * (started again on the same port with its append-only file) and a SIGKILL of the coordinator (`study run`), after
 * which `study resume` finishes it. Its aggregate is then byte for byte the aggregate of the same study run
 * uninterrupted on the embedded engine (wall-clock timings aside: they are measured, not computed), and so is every
 * run's metrics file. Skipped only where redis-server is not installed and CI is not set.
 */
const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin', 'collapse-lab.mjs');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-three-kills-'));
const ws = path.join(tmp, 'shared');
const refWs = path.join(tmp, 'reference');
const children = killedOnExit();

// the test's own host registry and cap: other test files' run processes neither delay these nor are counted with them
const hostEnv = { COLLAPSE_LAB_HOST_RUNS_DIR: path.join(tmp, 'host-runs'), COLLAPSE_LAB_MAX_RUN_PROCESSES: '4' };
const env: NodeJS.ProcessEnv = {
  ...process.env,
  ...hostEnv,
  // a dead worker's job is free within seconds
  COLLAPSE_LAB_QUEUE_LOCK_MS: '3000',
  COLLAPSE_LAB_QUEUE_STALLED_MS: '1000',
  COLLAPSE_LAB_QUEUE_POLL_MS: '500',
};

const STUDY_ID = 'three-kills';
const spec = {
  name: 'three kills',
  base: {
    dataset: { kind: 'gaussian', dim: 8, trainSize: 200, testSize: 100, truth: 'generating' },
    model: { kind: 'gaussian', params: { ridge: 1e-6 } },
    loop: { generations: 20, paradigm: 'replace', keep: 200, ratio: 1 },
    selection: { scheme: 'none' },
    metrics: { downstream: false, maxSamples: 100 },
    gridSamples: 1,
  },
  axes: [
    { path: 'dataset.dim', values: [2, 8] },
    { path: 'loop.paradigm', values: ['replace', 'accumulate', 'accumulate-subsample'] },
  ],
  seeds: 3,
  storage: 'metrics',
  metrics: ['modelMeanSqError', 'modelVarianceTrace', 'modelCovarianceLogDet'],
};

function runIdsOf(workspace: string): string[] {
  const f = path.join(workspace, 'studies', STUDY_ID, 'index.json');
  try {
    return (JSON.parse(fs.readFileSync(f, 'utf8')).runs as { runId: string }[]).map((r) => r.runId);
  } catch {
    return []; // not written yet, or caught mid-rename
  }
}

/** Runs whose folders say completed, as any process sees them. */
function completedRuns(): number {
  return runIdsOf(ws).filter((id) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(ws, id, 'status.json'), 'utf8')).state === 'completed';
    } catch {
      return false;
    }
  }).length;
}

/** A file's text with its wall-clock timings removed: JSON, or JSON lines. */
function timeless(file: string, lines = false): string {
  const text = fs.readFileSync(file, 'utf8');
  if (!lines) return JSON.stringify(withoutSeconds(JSON.parse(text)), null, 1);
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.stringify(withoutSeconds(JSON.parse(l))))
    .join('\n');
}

function spawnCli(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, ...args], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'], env });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, out: () => out, err: () => err.slice(-3000), exited };
}

describe.skipIf(skipRedisTests)('a study through three kills: a worker, Redis and the coordinator', () => {
  let redis: ChildProcess | null = null;
  let port = 0;
  const workers: ChildProcess[] = [];
  const workerLog: string[] = [];

  async function startRedis(): Promise<void> {
    // every write on disk before it is acknowledged: a SIGKILL loses nothing the queue was told
    redis = await startRedisServer(port, tmp, ['--appendonly', 'yes', '--appendfsync', 'always'], children);
  }

  async function startWorker(url: string): Promise<ChildProcess> {
    const w = spawn(process.execPath, [bin, 'worker', '--queue', url, '--out', ws, '--concurrency', '1', '--backend', 'cpu', '--json'], {
      cwd: tmp,
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    children.add(w);
    w.once('exit', () => children.delete(w));
    let ready = false;
    readline.createInterface({ input: w.stdout! }).on('line', (l) => {
      if (l.includes('"ready"')) ready = true;
    });
    readline.createInterface({ input: w.stderr! }).on('line', (l) => workerLog.push(`${w.pid}: ${l}`));
    workers.push(w);
    await until('a worker to be ready', () => ready || w.exitCode !== null);
    if (w.exitCode !== null) throw new Error(`worker exited with ${w.exitCode}: ${workerLog.join('\n')}`);
    return w;
  }

  afterAll(async () => {
    for (const c of children) if (c !== redis) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    for (const c of children) c.kill('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 30_000);

  it('survives a SIGKILL of a worker, of Redis and of the coordinator, and `study resume` ends with the uninterrupted aggregate', async () => {
    requireRedis();
    const t0 = Date.now();
    port = await freePort();
    await startRedis();
    const url = `redis://127.0.0.1:${port}`;
    const [first] = await Promise.all([startWorker(url), startWorker(url)]);
    const file = path.join(tmp, 'study.json');
    fs.writeFileSync(file, JSON.stringify(spec));

    // the reference: the same study uninterrupted, on the embedded engine, meanwhile (in this process's own host cap)
    Object.assign(process.env, hostEnv);
    const reference = new StudyManager(refWs, 'cpu');
    const referenceId = reference.start(spec, { queue: { parallel: 1 } });

    const coordinator = spawnCli(['study', 'run', file, '--queue', url, '--out', ws, '--backend', 'cpu', '--json']);
    const total = 18;
    const say = (what: string) =>
      console.log(`three kills: ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s, ${completedRuns()} of ${total} runs complete`);

    // 1. a worker, mid-study: its run process follows it (parent watch); a new worker joins
    await until('3 runs complete', () => completedRuns() >= 3);
    first.kill('SIGKILL');
    say('worker SIGKILLed');
    await startWorker(url);

    // 2. Redis, killed outright and started again on the same port with its append-only file
    await until('7 runs complete', () => completedRuns() >= 7);
    redis!.kill('SIGKILL');
    say('redis-server SIGKILLed');
    await new Promise((r) => setTimeout(r, 1000));
    await startRedis();

    // 3. the coordinator, once the queue works again
    await until('11 runs complete', () => completedRuns() >= 11);
    coordinator.child.kill('SIGKILL');
    expect(await coordinator.exited).toBeNull();
    say('coordinator SIGKILLed');
    expect(completedRuns()).toBeLessThan(total); // something was left for the resume to do

    const resumed = spawnCli(['study', 'resume', STUDY_ID, '--out', ws, '--backend', 'cpu', '--json']);
    const code = await resumed.exited;
    say('study resume exited');
    expect(code, `${resumed.out().slice(-2000)}\n${resumed.err()}\nworkers:\n${workerLog.join('\n')}`).toBe(0);
    const result = JSON.parse(resumed.out());
    expect(result).toMatchObject({ id: STUDY_ID, state: 'completed', queue: url });
    expect(result.runs).toHaveLength(total);
    for (const r of result.runs) expect(r).toMatchObject({ state: 'completed', lastGeneration: 19 });

    expect((await reference.wait(referenceId)).state).toBe('completed');
    await reference.close();
    say('reference complete');
    // the aggregate, and every run's metrics, as if nothing had happened
    const aggregate = (w: string) => path.join(w, 'studies', STUDY_ID, 'aggregate.json');
    expect(timeless(aggregate(ws))).toBe(timeless(aggregate(refWs)));
    for (const id of runIdsOf(ws)) {
      expect(timeless(path.join(ws, id, 'metrics.jsonl'), true), id).toBe(timeless(path.join(refWs, id, 'metrics.jsonl'), true));
    }
    // no run process outlived the kills: the host's slots are all free once the workers idle
    const slots = path.join(hostEnv.COLLAPSE_LAB_HOST_RUNS_DIR, 'slots');
    const held = () =>
      fs.existsSync(slots)
        ? fs
            .readdirSync(slots)
            .filter((n) => /^slot-\d+$/.test(n))
            .map((n) => Number(fs.readFileSync(path.join(slots, n), 'utf8')))
            .filter((pid) => {
              try {
                process.kill(pid, 0);
                return true;
              } catch {
                return false;
              }
            })
        : [];
    await until('every run process to exit', () => held().length === 0, 10_000);
  }, 180_000);
});
