import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { LabApi } from '../../main/api/lab-api';
import { api, type ApiEvent, type ApiOperation } from '../../main/contract/api';
import { expandStudy } from '../../main/studies/expand-study';

/** Studies through the one API that every door (server, Electron IPC) serves. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-studies-api-'));
const lab = new LabApi({ workspace: dir, backend: 'cpu', openPath: async () => ({ opened: false }) });
afterAll(async () => {
  await lab.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function ok<Op extends ApiOperation>(op: Op, payload: unknown): Promise<z.output<(typeof api)[Op]['response']>> {
  const env = await lab.call(op, payload);
  if (!env.ok) throw new Error(`${op} failed: ${JSON.stringify(env.error)}`);
  return (api[op].response as z.ZodType).parse(env.result) as z.output<(typeof api)[Op]['response']>;
}

const study = {
  name: 'api grid',
  base: {
    dataset: { kind: 'gaussian', dim: 4, trainSize: 200, testSize: 100 },
    islands: { count: 2, split: 'iid' },
    model: { kind: 'gaussian' },
    loop: { generations: 3, keep: 40, ratio: 2 },
    gridSamples: 16,
  },
  axes: [{ path: 'selection.scheme', values: ['random', 'topalpha'] }],
  seeds: 2,
};

describe('studies through the API', () => {
  it('lists the study presets, each a valid study', async () => {
    const { presets } = await ok('studies.presets', {});
    expect(presets.map((p) => p.name)).toContain('selection-bias-islands');
    for (const p of presets) expect(expandStudy(p.study).runs.length).toBeGreaterThan(0);
    const selection = presets.find((p) => p.name === 'selection-bias-islands')!;
    expect(expandStudy(selection.study).runs).toHaveLength(7 * 3);
  });

  it('plans a study: runs, cells and the estimated time at a parallelism', async () => {
    const one = await ok('studies.plan', { study, parallel: 1 });
    const two = await ok('studies.plan', { study, parallel: 2 });
    expect(one).toMatchObject({ studyId: 'api-grid', runs: 4, cells: 2, seeds: [0, 1], fieldPaths: ['selection.scheme'], completed: 0 });
    expect(one.estimatedSeconds).toBeGreaterThan(0);
    expect(two.estimatedSeconds).toBeCloseTo(one.estimatedSeconds / 2, 6);
  });

  it('refuses a bad study naming the field', async () => {
    const env = await lab.call('studies.start', { study: { ...study, axes: [{ path: 'loop.keep', values: [-1] }] } });
    expect(env.ok).toBe(false);
    if (!env.ok) {
      expect(env.error.code).toBe('invalid-config');
      expect(env.error.issues?.[0].path).toBe('base.loop.keep');
    }
    const bad = await lab.call('studies.start', { study, parallel: 0 });
    expect(bad.ok).toBe(false);
  });

  it('starts a study, streams its progress, and serves its status, table and aggregate', async () => {
    const events: ApiEvent[] = [];
    const off = lab.onEvent((e) => events.push(e));
    const planned = await ok('studies.plan', { study });
    const { studyId } = await ok('studies.start', { study, parallel: 2 });
    expect(studyId).toBe('api-grid');
    const running = await ok('studies.get', { studyId });
    expect(running.runs).toHaveLength(4);
    // a live study carries the estimate `study plan` gives (the early ETA), in its status and in the listing
    expect(running.state).toBe('running');
    expect(running.estimatedSeconds).toBeGreaterThan(0);
    expect(running.estimatedSeconds).toBe(planned.estimatedSeconds);
    expect((await ok('studies.list', {})).studies.find((s) => s.id === studyId)?.estimatedSeconds).toBe(planned.estimatedSeconds);
    const done = await new Promise<ApiEvent>((resolve) => {
      const stop = lab.onEvent((e) => e.type === 'study' && e.state !== 'running' && (stop(), resolve(e)));
    });
    off();
    expect(done).toMatchObject({ type: 'study', studyId, state: 'completed', progress: { total: 4, completed: 4 } });
    expect(events.some((e) => e.type === 'study' && e.run?.state === 'completed')).toBe(true);

    const status = await ok('studies.get', { studyId });
    expect(status.state).toBe('completed');
    expect(status.runs.every((r) => r.state === 'completed')).toBe(true);
    expect(status.estimatedSeconds).toBeUndefined();
    // each run is an ordinary run that the runs API opens
    const run = await ok('runs.get', { runId: status.runs[0].runId });
    expect(run.metrics).toHaveLength(3);
    expect((await ok('studies.list', {})).studies.map((s) => s.id)).toEqual([studyId]);
    const { text } = await ok('studies.table', { studyId, metrics: ['fid', 'varianceTrace'], format: 'md' });
    expect(text.split('\n')[0]).toBe('| selection.scheme | FD (raw data) | Tr(Σ) of the kept samples |');
    expect(text).toMatch(/\| random \| .* \(2\) \|/);
    const aggregate = await ok('studies.aggregate', { studyId });
    expect((aggregate.cells as unknown[]).length).toBe(2);
    const { correlations } = await ok('studies.correlate', { studyId, x: ['varianceTrace'], y: ['fid', 'recall'] });
    expect(correlations.map((c) => [c.x, c.y, c.n])).toEqual([
      ['varianceTrace', 'fid', 4],
      ['varianceTrace', 'recall', 4],
    ]);
    for (const c of correlations) expect(Math.abs(c.spearman ?? 0)).toBeLessThanOrEqual(1);
    // each run as a point (parallel coordinates, scatter): its cell's fields, its seed, its metrics as its last line says
    const points = await ok('studies.runValues', { studyId, metrics: ['fid', 'varianceTrace'] });
    expect(points.fieldPaths).toEqual(['selection.scheme']);
    expect(points.metrics).toContain('recall');
    expect(points.runs.map((r) => `${String(r.fields['selection.scheme'])}:${r.seed}`).sort()).toEqual([
      'random:0',
      'random:1',
      'topalpha:0',
      'topalpha:1',
    ]);
    for (const p of points.runs) {
      const last = (await ok('runs.get', { runId: p.runId })).metrics.at(-1)!;
      expect(p.generation).toBe(2);
      expect(p.values).toEqual({ fid: last.fid ?? null, varianceTrace: last.varianceTrace ?? null });
    }
    const first = await ok('studies.runValues', { studyId, metrics: ['varianceTrace'], generation: 0 });
    expect(first.runs.every((r) => r.generation === 0)).toBe(true);
    const badMetric = await lab.call('studies.runValues', { studyId, metrics: ['nope'] });
    expect(badMetric.ok ? '' : badMetric.error.message).toMatch(/unknown metric nope/);
    const unknown = await lab.call('studies.correlate', { studyId, x: ['nope'], y: ['fid'] });
    expect(unknown.ok ? '' : unknown.error.message).toMatch(/unknown metric nope/);
    // planned again, every run is complete and nothing is left to run
    expect(await ok('studies.plan', { study })).toMatchObject({ completed: 4, estimatedSeconds: 0 });
    const env = await lab.call('studies.cancel', { studyId });
    expect(env.ok ? '' : env.error.message).toMatch(/not running/);
  });
});
