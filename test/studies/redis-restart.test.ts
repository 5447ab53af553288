import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, killedOnExit, requireRedis, skipRedisTests, startRedisServer, until, withoutSeconds } from './redis-test-kit';
import { StudyManager } from '../../main/studies/study-manager';

/**
 * A Redis restart mid-study: redis-server (append-only file on, in a temp dir) is stopped while the study's runs are
 * running and started again on the same port; the workers and the coordinator (the CLI) reconnect, and the study
 * completes with no `study resume`, with the same aggregate as an uninterrupted run. Skipped only where redis-server
 * is not installed and CI is not set.
 */
const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin', 'collapse-lab.mjs');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-redis-restart-'));
const ws = path.join(tmp, 'shared');
const children = killedOnExit();

function generationsOf(runId: string): number {
  const f = path.join(ws, runId, 'metrics.jsonl');
  return fs.existsSync(f)
    ? fs
        .readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => l.trim()).length
    : 0;
}

/** How long Redis stays away. */
const OUTAGE_MS = 2000;

describe.skipIf(skipRedisTests)('a Redis restart mid-study', () => {
  let port = 0;
  let redis: ChildProcess | null = null;
  let url = '';
  let env: NodeJS.ProcessEnv = {};
  const workerErr: string[] = [];

  async function startRedis(): Promise<void> {
    // the append-only file keeps the queue across the restart, as a Redis with persistence does
    redis = await startRedisServer(port, tmp, ['--appendonly', 'yes'], children);
  }

  async function stopRedis(): Promise<void> {
    const r = redis!;
    if (r.exitCode !== null || r.signalCode !== null) return;
    const gone = new Promise((res) => r.once('exit', res));
    r.kill('SIGTERM');
    await gone;
  }

  afterAll(async () => {
    for (const c of children) if (c !== redis) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    if (redis) await stopRedis();
    for (const c of children) c.kill('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 30_000);

  beforeAll(async () => {
    requireRedis();
    port = await freePort();
    await startRedis();
    url = `redis://127.0.0.1:${port}`;
    env = {
      ...process.env,
      COLLAPSE_LAB_QUEUE_LOCK_MS: '4000',
      COLLAPSE_LAB_QUEUE_STALLED_MS: '1500',
      COLLAPSE_LAB_QUEUE_POLL_MS: '500',
    };
    const ready: boolean[] = [];
    for (let i = 0; i < 2; i++) {
      const w = spawn(process.execPath, [bin, 'worker', '--queue', url, '--out', ws, '--concurrency', '1', '--backend', 'cpu', '--json'], {
        cwd: tmp,
        stdio: ['ignore', 'pipe', 'pipe'],
        env,
      });
      children.add(w);
      w.once('exit', () => children.delete(w));
      readline.createInterface({ input: w.stdout! }).on('line', (l) => {
        if (l.includes('"ready"')) ready.push(true);
      });
      readline.createInterface({ input: w.stderr! }).on('line', (l) => workerErr.push(l));
    }
    await until('two workers to be ready', () => ready.length === 2);
  }, 90_000);

  it.each([
    ['with its data (append-only file)', false],
    ['without its data (the runs are queued again)', true],
  ])(
    'Redis restarted mid-study %s: workers and coordinator reconnect, the study completes as if uninterrupted',
    async (_, dataLost) => {
      const name = dataLost ? 'restart lost' : 'restart kept';
      const id = dataLost ? 'restart-lost' : 'restart-kept';
      const spec = {
        name,
        base: {
          dataset: { kind: 'gaussian', dim: 32, trainSize: 2000, testSize: 400 },
          model: { kind: 'gaussian' },
          loop: { generations: 10, paradigm: 'replace', keep: 500, ratio: 4 },
          selection: { scheme: 'random' },
          gridSamples: 16,
        },
        seeds: 2,
      };
      const file = path.join(tmp, 'study.json');
      fs.writeFileSync(file, JSON.stringify(spec));
      // the same study on the embedded engine, uninterrupted, for reference
      const embedded = new StudyManager(path.join(tmp, 'embedded'), 'cpu');
      const embeddedId = embedded.start(spec, { queue: { parallel: 1 } });

      const cli = spawn(process.execPath, [bin, 'study', 'run', file, '--queue', url, '--out', ws, '--backend', 'cpu', '--json'], {
        cwd: tmp,
        stdio: ['ignore', 'pipe', 'pipe'],
        env,
      });
      children.add(cli);
      let stdout = '';
      let stderr = '';
      cli.stdout!.on('data', (d) => (stdout += d));
      cli.stderr!.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => cli.once('exit', resolve));

      const runIds = () => {
        const dir = path.join(ws, 'studies', id, 'index.json');
        return fs.existsSync(dir) ? (JSON.parse(fs.readFileSync(dir, 'utf8')).runs as { runId: string }[]).map((r) => r.runId) : [];
      };
      await until('two runs to finish a generation', () => runIds().filter((r) => generationsOf(r) >= 1).length >= 2);
      await stopRedis();
      // a Redis restarted without its data (no persistence, or its files lost): the coordinator queues the runs again
      if (dataLost) fs.rmSync(path.join(tmp, 'appendonlydir'), { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      await startRedis();

      const code = await exited;
      children.delete(cli);
      expect(code, `${stdout.slice(0, 3000)}\n${stderr}\nworkers:\n${workerErr.join('\n')}`).toBe(0);
      const result = JSON.parse(stdout);
      expect(result).toMatchObject({ id, state: 'completed' });
      expect(result.runs).toHaveLength(2);
      for (const r of result.runs) {
        expect(r).toMatchObject({ state: 'completed', lastGeneration: 9 });
        expect(generationsOf(r.runId)).toBe(10);
      }
      expect((await embedded.wait(embeddedId)).state).toBe('completed');
      await embedded.close();
      const read = (w: string) => JSON.parse(fs.readFileSync(path.join(w, 'studies', id, 'aggregate.json'), 'utf8'));
      expect(withoutSeconds(read(ws))).toEqual(withoutSeconds(read(path.join(tmp, 'embedded'))));
    },
    120_000,
  );
});
