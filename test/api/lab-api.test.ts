import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createHandlers } from '../../main/api/handlers';
import { LabApi } from '../../main/api/lab-api';
import { PreviewWorkerClient } from '../../main/api/preview-worker-client';
import { api, apiOperations, type ApiOperation } from '../../main/contract/api';
import { validateConfig } from '../../main/contract/config';
import { findPreset } from '../../main/presets';
import { RunFolder } from '../../main/runs/run-folder';

/** The one API: its table, its boundary validation, and each operation's answers matching the contract. */

let dir: string;
let lab: LabApi;
const opened: string[] = [];

async function ok<Op extends ApiOperation>(op: Op, payload: unknown): Promise<z.output<(typeof api)[Op]['response']>> {
  const env = await lab.call(op, payload);
  if (!env.ok) throw new Error(`${op} failed: ${JSON.stringify(env.error)}`);
  // every answer matches the contract's response schema
  return (api[op].response as z.ZodType).parse(env.result) as z.output<(typeof api)[Op]['response']>;
}

function fakeRun(id: string): void {
  const folder = new RunFolder(path.join(dir, id));
  fs.mkdirSync(folder.dir, { recursive: true });
  folder.writeJson('config.json', validateConfig(findPreset('smoke').config));
  const now = new Date().toISOString();
  folder.writeJson('status.json', {
    state: 'completed',
    lastGeneration: 1,
    generations: 2,
    startedAt: now,
    updatedAt: now,
    backend: 'wasm',
  });
  folder.writeJson('islands.json', { split: 'iid', numClasses: 10, classNames: null, islands: [{ size: 5, classCounts: [5] }] });
  fs.mkdirSync(folder.file('islands'));
  fs.writeFileSync(folder.file('islands', 'island-01.png'), 'png');
  fs.writeFileSync(folder.file('islands', 'island-00.png'), 'png');
  for (const g of [0, 1]) {
    fs.mkdirSync(folder.generationDir(g));
    if (g === 0) fs.writeFileSync(path.join(folder.generationDir(g), 'samples.png'), 'png');
    if (g === 0) fs.writeFileSync(path.join(folder.generationDir(g), 'rejected.png'), 'png');
    folder.appendMetrics({ generation: g, trainLoss: 10 - g, epochLosses: [12, 10 - g] });
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-api-'));
  lab = new LabApi({ workspace: dir, openPath: async (p) => (opened.push(p), { opened: false, reason: 'no display in tests' }) });
  fakeRun('20240101-000000-fake-aaaaaa');
});

afterAll(async () => {
  await lab.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the contract table', () => {
  // (that the table and the operation list agree is checked when main/contract/api.ts loads; these check the rest)
  it('every listed operation has its handler, and no handler serves an unlisted one', () => {
    const handlers = createHandlers({
      manager: lab.manager,
      studies: lab.studies,
      backend: 'auto',
      openPath: async () => ({ opened: false, reason: 'test' }),
      progress: new Map(),
      previews: new PreviewWorkerClient(),
    });
    expect(Object.keys(handlers).sort()).toEqual([...apiOperations].sort());
    for (const op of apiOperations) expect(typeof handlers[op], op).toBe('function');
  });

  it('every listed operation reaches its own request check through the API object', async () => {
    for (const op of apiOperations) {
      const env = await lab.call(op, 42);
      expect(env.ok, op).toBe(false);
      if (!env.ok) {
        expect(env.error.code, op).toBe('invalid-request');
        expect(env.error.message.startsWith(`invalid ${op} request`), env.error.message).toBe(true);
      }
    }
  });
});

describe('boundary validation', () => {
  it('refuses unknown operations', async () => {
    const env = await lab.call('runs.explode', {});
    expect(env).toMatchObject({ ok: false, error: { code: 'unknown-operation' } });
    expect((await lab.call({}, {})).ok).toBe(false);
  });

  it('refuses invalid requests with per-field issues, before any handler runs', async () => {
    const env = await lab.call('runs.get', { runId: '../../etc' });
    expect(env.ok).toBe(false);
    if (!env.ok) {
      expect(env.error.code).toBe('invalid-request');
      expect(env.error.issues?.[0].path).toBe('runId');
    }
    const extra = await lab.call('presets.list', { surprise: 1 });
    expect(extra.ok).toBe(false);
    const badSplit = await lab.call('split.preview', { dataset: { kind: 'gaussian' }, islands: { count: 2, split: 'dirichlet:-1' } });
    expect(badSplit.ok).toBe(false);
    if (!badSplit.ok) expect(badSplit.error.issues?.some((i) => i.path === 'islands.split')).toBe(true);
  });

  it('answers errors as envelopes, never throws', async () => {
    const env = await lab.call('runs.cancel', { runId: 'not-a-run' });
    expect(env).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

describe('operations', () => {
  it('presets.list and catalog.get (models and schemes with JSON-Schema forms and defaults, datasets)', async () => {
    const p = await ok('presets.list', {});
    expect(p.presets.map((x) => x.name)).toEqual(expect.arrayContaining(['smoke', 'mnist-islands', 'gaussian-collapse']));
    const c = await ok('catalog.get', {});
    expect(c.workspace).toBe(dir);
    const vae = c.models.find((m) => m.kind === 'vae-mlp')!;
    expect(vae.defaults).toMatchObject({ latent: 20, epochs: 10 });
    expect((vae.paramsSchema.properties as Record<string, { type: string }>).latent.type).toBe('integer');
    expect(c.schemes.map((s) => s.name)).toContain('random');
    expect(c.datasets.find((d) => d.kind === 'gaussian')?.available).toBe(true);
  });

  it('config.validate: per-field issues, or the parsed config with an estimate', async () => {
    const bad = await ok('config.validate', { config: { ...findPreset('smoke').config, loop: { generations: 0, keep: 10 } } });
    expect(bad.valid).toBe(false);
    if (!bad.valid) expect(bad.issues.map((i) => i.path)).toContain('loop.generations');
    const good = await ok('config.validate', { config: findPreset('smoke').config });
    expect(good.valid).toBe(true);
    if (good.valid) {
      const smoke = validateConfig(findPreset('smoke').config);
      expect(good.config.loop.generations).toBe(smoke.loop.generations);
      expect(good.estimate.seconds).toBeGreaterThan(0);
      // smoke: its real subset, then accumulate-subsample at the real size; epochs × size each generation
      const epochs = (smoke.model.params as { epochs: number }).epochs;
      const real = (smoke.dataset as { subset: number }).subset;
      expect(smoke.loop.paradigm).toBe('accumulate-subsample');
      expect(good.estimate.trainingSamples).toEqual(Array(smoke.loop.generations).fill(real * epochs));
    }
  });

  it('dataset.preview: summary and a picture of the data as the run will load it', async () => {
    const g = await ok('dataset.preview', { dataset: { kind: 'gaussian', dim: 3, trainSize: 50, testSize: 20 }, seed: 4 });
    expect(g.summary).toMatchObject({ trainSize: 50, testSize: 20, shape: [3], numClasses: 0 });
    expect(g.picture.kind).toBe('scatter');
    expect(Buffer.from(g.picture.png, 'base64').subarray(1, 4).toString()).toBe('PNG');
    const m = await ok('dataset.preview', { dataset: { kind: 'mnist', subset: 300, testSubset: 100 }, seed: 1, samples: 20 });
    expect(m.summary).toMatchObject({ trainSize: 300, testSize: 100, shape: [28, 28, 1], numClasses: 10 });
    expect(m.picture).toMatchObject({ kind: 'images', count: 20 });
  });

  it('split.preview: class counts per island (summing to the training set) and a picture per island', async () => {
    const s = await ok('split.preview', {
      dataset: { kind: 'mnist', subset: 500, testSubset: 100 },
      islands: { count: 3, split: 'dirichlet:0.3' },
      seed: 2,
      maxIslandPictures: 2,
    });
    expect(s.islands).toHaveLength(3);
    expect(s.islands.reduce((a, i) => a + i.size, 0)).toBe(500);
    for (const i of s.islands) expect(i.classCounts.reduce((a, b) => a + b, 0)).toBe(i.size);
    expect(s.islands[0].picture?.kind).toBe('images');
    expect(s.islands[2].picture).toBeNull();
    // the same request gives the same islands (seeded, and memoised)
    const again = await ok('split.preview', {
      dataset: { kind: 'mnist', subset: 500, testSubset: 100 },
      islands: { count: 3, split: 'dirichlet:0.3' },
      seed: 2,
      maxIslandPictures: 2,
    });
    expect(again.islands.map((i) => i.classCounts)).toEqual(s.islands.map((i) => i.classCounts));
  });

  it('runs.list / runs.get: summaries, detail, metrics and the pictures of each generation and island', async () => {
    const l = await ok('runs.list', {});
    expect(l.runs.map((r) => r.id)).toEqual(['20240101-000000-fake-aaaaaa']);
    expect(l.runs[0]).toMatchObject({ state: 'completed', active: false, backend: 'wasm' });
    const d = await ok('runs.get', { runId: '20240101-000000-fake-aaaaaa' });
    expect(d.metrics).toHaveLength(2);
    expect(d.files.generations).toEqual([
      { generation: 0, samples: 'gen-000/samples.png', rejected: 'gen-000/rejected.png' },
      { generation: 1, samples: null, rejected: null },
    ]);
    expect(d.files.islands).toEqual(['islands/island-00.png', 'islands/island-01.png']);
  });

  it('a running run carries the engine’s estimate of it (the early ETA); a finished one does not', async () => {
    const id = '20240101-000001-running-bbbbbb';
    const folder = new RunFolder(path.join(dir, id));
    fs.mkdirSync(folder.dir, { recursive: true });
    const config = validateConfig(findPreset('smoke').config);
    folder.writeJson('config.json', config);
    const now = new Date().toISOString();
    // trained by a process of another host: live, whatever this host's pids are
    folder.writeJson('status.json', {
      state: 'running',
      lastGeneration: -1,
      generations: 3,
      startedAt: now,
      updatedAt: now,
      pid: 1,
      host: 'another-host',
    });
    try {
      const estimate = (await ok('config.validate', { config })) as { estimate: { seconds: number } };
      const l = await ok('runs.list', {});
      const running = l.runs.find((r) => r.id === id)!;
      expect(running.state).toBe('running');
      expect(running.estimatedSeconds).toBeGreaterThan(0);
      expect(running.estimatedSeconds).toBe(estimate.estimate.seconds);
      expect((await ok('runs.get', { runId: id })).estimatedSeconds).toBe(estimate.estimate.seconds);
      expect(l.runs.find((r) => r.id === '20240101-000000-fake-aaaaaa')!.estimatedSeconds).toBeUndefined();
    } finally {
      fs.rmSync(folder.dir, { recursive: true, force: true });
    }
  });

  it('runs.start refuses an invalid config with the engine’s per-field issues', async () => {
    const env = await lab.call('runs.start', { config: { ...findPreset('smoke').config, islands: { count: 2, split: 'nope' } } });
    expect(env.ok).toBe(false);
    if (!env.ok) {
      expect(env.error.code).toBe('invalid-config');
      expect(env.error.issues?.map((i) => i.path)).toContain('islands.split');
    }
    expect((await lab.call('runs.start', { config: [] })).ok).toBe(false);
  });

  it('runs.openFolder hands the run folder to the door’s opener', async () => {
    const r = await ok('runs.openFolder', { runId: '20240101-000000-fake-aaaaaa' });
    expect(r).toEqual({ path: path.join(dir, '20240101-000000-fake-aaaaaa'), opened: false, reason: 'no display in tests' });
    expect(opened).toEqual([path.join(dir, '20240101-000000-fake-aaaaaa')]);
  });

  it('runs.delete removes a finished run', async () => {
    fakeRun('20240101-000000-gone-bbbbbb');
    await ok('runs.delete', { runId: '20240101-000000-gone-bbbbbb' });
    expect(fs.existsSync(path.join(dir, '20240101-000000-gone-bbbbbb'))).toBe(false);
  });

  it('compute.doctor: every backend, available or why not, and what auto picks (in a worker thread)', async () => {
    const r = await ok('compute.doctor', { measure: false });
    expect(r.backends.map((b) => b.backend)).toEqual(['tensorflow', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
    expect(r.backends.filter((b) => !b.available).every((b) => (b.why ?? '').length > 0)).toBe(true);
    expect(r.backends.some((b) => b.available && b.backend === r.auto.backend)).toBe(true);
    expect((await lab.call('compute.doctor', { seconds: -1 })).ok).toBe(false);
  });
});
