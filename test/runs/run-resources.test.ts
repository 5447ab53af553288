import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateConfig, type ExperimentConfigInput } from '../../main/contract/config';
import type { RunEvent } from '../../main/contract/events';
import { estimateRunMemory } from '../../main/runs/preflight';
import { RunManager } from '../../main/runs/run-manager';

/**
 * Issue 14, item 3: validated configs that would exhaust the machine are refused before they start, naming the field
 * (keep × ratio = 1e10 gives a field error, not "Invalid typed array length"); huge PNGs are refused from their
 * headers; cancel takes effect within seconds even inside a long loop that checks no signal; runs beyond the
 * manager's limit wait in its queue (state queued) and start as others end, and a queued run can be cancelled.
 */
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-resources-'));
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

function toy(generations: number, extra: Partial<ExperimentConfigInput> = {}): ExperimentConfigInput {
  return {
    name: 'toy',
    seed: 5,
    dataset: { kind: 'gaussian', dim: 4, trainSize: 200, testSize: 100 },
    model: { kind: 'gaussian' },
    loop: { generations, paradigm: 'replace', keep: 40, ratio: 2 },
    selection: { scheme: 'random' },
    metrics: { downstream: false },
    gridSamples: 4,
    ...extra,
  };
}

const runFolders = () => fs.readdirSync(workspace).filter((f) => fs.existsSync(path.join(workspace, f, 'config.json')));

describe('memory estimated from the config, before the run starts', () => {
  const saved = process.env.COLLAPSE_LAB_MEMORY_LIMIT;
  beforeEach(() => {
    process.env.COLLAPSE_LAB_MEMORY_LIMIT = '8GB';
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.COLLAPSE_LAB_MEMORY_LIMIT;
    else process.env.COLLAPSE_LAB_MEMORY_LIMIT = saved;
  });
  const manager = new RunManager(workspace, 'cpu');

  it('keep × ratio = 1e10 is a field error, not "Invalid typed array length"; no run folder is made', () => {
    const before = runFolders().length;
    const start = () => manager.start(toy(2, { loop: { generations: 2, keep: 10_000_000, ratio: 1000 } }));
    expect(start).toThrow(/loop\.ratio: N = loop\.keep × loop\.ratio = 10000000000 candidates/);
    expect(start).not.toThrow(/Invalid typed array length/);
    expect(runFolders().length).toBe(before);
  });

  it('keep 1e7, ratio 100 (16 GB of candidates) is refused naming loop.ratio and the limit', () => {
    expect(() => manager.start(toy(2, { loop: { generations: 2, keep: 10_000_000, ratio: 100 } }))).toThrow(
      /loop\.ratio: this run needs about \d+ GB of memory, more than the 8\.0 GB available \(COLLAPSE_LAB_MEMORY_LIMIT\)/,
    );
  });

  it('a Gaussian of dim 4096 and 1e6 training rows is refused naming dataset.trainSize', () => {
    expect(() => manager.start(toy(2, { dataset: { kind: 'gaussian', dim: 4096, trainSize: 1_000_000, testSize: 1000 } }))).toThrow(
      /dataset\.trainSize: this run needs about \d+ GB.*the largest part: the dataset/,
    );
  });

  it('accumulate keeps every generation: the training pool counts', () => {
    const config = validateConfig(toy(1000, { loop: { generations: 1000, paradigm: 'accumulate', keep: 100_000, ratio: 1 } }));
    const parts = estimateRunMemory(config, { dim: 4, trainN: 200, testN: 100, fileBytes: 0, field: 'dataset.trainSize' });
    expect(parts.find((p) => p.field === 'loop.paradigm')!.bytes).toBe((200 + 999 * 100_000) * 4 * 4);
    expect(parts.find((p) => p.field === 'loop.generations')!.bytes).toBe(1000 * 100_000 * 4 * 4);
  });

  it('an image folder of three 8000 × 8000 PNGs is refused from the first header, naming the file', () => {
    const root = path.join(workspace, 'huge-images');
    for (const cls of ['a', 'b']) fs.mkdirSync(path.join(root, cls), { recursive: true });
    const tiny = PNG.sync.write(new PNG({ width: 1, height: 1 }));
    for (const f of ['a/0.png', 'a/1.png', 'b/0.png']) {
      const buf = Buffer.from(tiny);
      buf.writeUInt32BE(8000, 16);
      buf.writeUInt32BE(8000, 20);
      fs.writeFileSync(path.join(root, f), buf);
    }
    expect(() => manager.start(toy(2, { dataset: { kind: 'image-folder', path: root }, model: { kind: 'gaussian' } }))).toThrow(
      /PNG file .*a\/0\.png is 8000×8000 pixels/,
    );
  });

  it('the Gaussian model and a generated toy each add their covariance and Cholesky factor, from their entries', () => {
    const facts = { dim: 64, trainN: 200, testN: 100, fileBytes: 0, field: 'dataset.trainSize' };
    const covariance = (parts: { what: string; bytes: number }[]) => parts.filter((p) => /covariance and Cholesky/.test(p.what));
    const gaussianModel = estimateRunMemory(validateConfig(toy(3, { model: { kind: 'gaussian' } })), facts);
    expect(covariance(gaussianModel).map((p) => p.bytes)).toEqual([2 * 64 * 64 * 8]);
    const withGenerator = estimateRunMemory(validateConfig(toy(3, { model: { kind: 'gaussian' } })), {
      ...facts,
      generator: { what: 'the generator’s 64 × 64 covariance and Cholesky factor', bytes: 2 * 64 * 64 * 8, values: 64 * 64 },
    });
    expect(covariance(withGenerator)).toHaveLength(2);
    const kde = estimateRunMemory(validateConfig(toy(3, { model: { kind: 'kde' } })), facts);
    expect(covariance(kde)).toHaveLength(0);
  });

  it('a good config passes', () => {
    const config = validateConfig(toy(3));
    const total = estimateRunMemory(config, { dim: 4, trainN: 200, testN: 100, fileBytes: 0, field: 'dataset.trainSize' }).reduce(
      (s, p) => s + p.bytes,
      0,
    );
    expect(total).toBeLessThan(1e6);
  });
});

function firstEvent(manager: RunManager, test: (e: RunEvent) => boolean): Promise<RunEvent> {
  return new Promise((resolve) => {
    const on = (e: RunEvent) => {
      if (test(e)) {
        manager.off('event', on);
        resolve(e);
      }
    };
    manager.on('event', on);
  });
}

describe('cancel inside a long loop', () => {
  it('takes effect within seconds, though the loop checks no signal (the worker is stopped from outside)', async () => {
    const manager = new RunManager(workspace, 'cpu', { cancelGraceMs: 1000 });
    // drawing 20,000 rows of a full 2048-dimensional Gaussian: tens of seconds in one synchronous loop
    const id = manager.start(toy(2, { dataset: { kind: 'gaussian', dim: 2048, trainSize: 20_000, testSize: 100 } }));
    await firstEvent(manager, (e) => e.runId === id && e.type === 'progress' && e.phase === 'load');
    await new Promise((r) => setTimeout(r, 500));
    const t0 = Date.now();
    manager.cancel(id);
    const status = await manager.wait(id);
    expect(status.state).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(manager.get(id).state).toBe('cancelled');
  });
});

describe('SIGTERM of the CLI inside a long loop', () => {
  it.skipIf(process.platform === 'win32')('ends the run as cancelled within seconds', async () => {
    const cfg = path.join(workspace, 'long.json');
    fs.writeFileSync(cfg, JSON.stringify(toy(2, { dataset: { kind: 'gaussian', dim: 2048, trainSize: 20_000, testSize: 100 } })));
    const ws = path.join(workspace, 'sigterm');
    const bin = path.resolve(__dirname, '../../bin/collapse-lab.mjs');
    const child = spawn(process.execPath, [bin, 'run', '--config', cfg, '--out', ws, '--backend', 'cpu', '--json'], { stdio: 'pipe' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    await new Promise<void>((resolve) => {
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
        if (/"phase":"load"/.test(err)) resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 500));
    const t0 = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(1);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(JSON.parse(stdout).state).toBe('cancelled');
  });
});

describe('a queue of runs', () => {
  it('with room for two, the third of three runs waits (queued) and starts when one ends', async () => {
    const manager = new RunManager(workspace, 'cpu', { maxConcurrent: 2 });
    const order: string[] = [];
    manager.on('event', (e) => {
      if (e.type === 'status') order.push(`${e.runId}:${e.state}`);
    });
    const a = manager.start(toy(3));
    const b = manager.start(toy(3));
    const c = manager.start(toy(3));
    expect([manager.isQueued(a), manager.isQueued(b), manager.isQueued(c)]).toEqual([false, false, true]);
    expect(manager.list().find((r) => r.id === c)?.state).toBe('queued');
    const [sa, sb, sc] = await Promise.all([manager.wait(a), manager.wait(b), manager.wait(c)]);
    expect([sa.state, sb.state, sc.state]).toEqual(['completed', 'completed', 'completed']);
    const firstEnd = Math.min(order.indexOf(`${a}:completed`), order.indexOf(`${b}:completed`));
    expect(order.indexOf(`${c}:running`)).toBeGreaterThan(firstEnd);
  });

  it('a queued run can be cancelled: it never starts, and the queue goes on', async () => {
    const manager = new RunManager(workspace, 'cpu', { maxConcurrent: 1 });
    const a = manager.start(toy(3));
    const b = manager.start(toy(3));
    const c = manager.start(toy(2));
    expect(manager.isQueued(b)).toBe(true);
    manager.cancel(b);
    expect((await manager.wait(b)).state).toBe('cancelled');
    expect(fs.existsSync(path.join(workspace, b, 'environment.json'))).toBe(false);
    expect(manager.get(b).state).toBe('cancelled');
    expect((await manager.wait(a)).state).toBe('completed');
    expect((await manager.wait(c)).state).toBe('completed');
  });
});
