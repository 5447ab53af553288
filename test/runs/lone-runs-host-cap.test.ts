import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../main/contract/events';
import { liveHostSlots } from '../../main/runs/host-slots';
import { RunManager } from '../../main/runs/run-manager';
import { StudyManager } from '../../main/studies/study-manager';

/**
 * Lone runs under the host's cap (main/runs/host-slots.ts): a run started by any door (two RunManagers, as two doors
 * of one host would have) takes one of the same slots as a study's run processes, and waits `queued`, saying why,
 * while the cap is reached. With a cap of 1, three lone runs from two doors and a study's run never train two at once,
 * and all finish.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-lone-cap-'));
const saved = { runs: process.env.COLLAPSE_LAB_HOST_RUNS_DIR, cap: process.env.COLLAPSE_LAB_MAX_RUN_PROCESSES };
process.env.COLLAPSE_LAB_HOST_RUNS_DIR = path.join(dir, 'host');
process.env.COLLAPSE_LAB_MAX_RUN_PROCESSES = '1';
afterAll(() => {
  for (const [k, v] of [
    ['COLLAPSE_LAB_HOST_RUNS_DIR', saved.runs],
    ['COLLAPSE_LAB_MAX_RUN_PROCESSES', saved.cap],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

function config(name: string) {
  return {
    name,
    seed: 3,
    dataset: { kind: 'gaussian', dim: 4, trainSize: 200, testSize: 100 },
    model: { kind: 'gaussian' },
    loop: { generations: 4, paradigm: 'replace', keep: 100, ratio: 1 },
    selection: { scheme: 'none' },
    metrics: { downstream: false },
    gridSamples: 1,
  };
}

describe('lone runs under the host cap', () => {
  it('three lone runs from two doors and a study run, on a cap of 1: never two training at once, all finish', async () => {
    const ws = path.join(dir, 'ws');
    const doorA = new RunManager(ws, 'cpu', { maxConcurrent: 3 });
    const doorB = new RunManager(ws, 'cpu', { maxConcurrent: 3 });
    const studies = new StudyManager(ws, 'cpu');
    const logs: string[] = [];
    const training = new Set<string>();
    let most = 0;
    let mostSlots = 0;
    const onEvent = (e: RunEvent) => {
      if (e.type === 'log' && /free run slot/.test(e.message)) logs.push(e.message);
      if (e.type === 'status') {
        if (e.state === 'starting' || e.state === 'running') training.add(e.runId);
        else training.delete(e.runId);
        most = Math.max(most, training.size);
      }
    };
    doorA.on('event', onEvent);
    doorB.on('event', onEvent);
    const sampler = setInterval(() => (mostSlots = Math.max(mostSlots, liveHostSlots().length)), 5);
    try {
      const ids = [doorA.start(config('a1')), doorA.start(config('a2')), doorB.start(config('b1'))];
      const studyId = studies.start({ name: 'capped study', base: config('s'), seeds: [5] }, { queue: { parallel: 1 } });
      const [a1, a2, b1] = await Promise.all(ids.map((id, i) => (i < 2 ? doorA : doorB).wait(id)));
      const study = await studies.wait(studyId);
      for (const s of [a1, a2, b1]) expect(s).toMatchObject({ state: 'completed', lastGeneration: 3 });
      expect(study.state).toBe('completed');
      // the runs that waited said why, once each
      expect(logs.length).toBeGreaterThanOrEqual(1);
      expect(logs[0]).toMatch(/waiting for a free run slot: 1 runs already train on this host \(cap: COLLAPSE_LAB_MAX_RUN_PROCESSES/);
      expect(most).toBe(1);
      expect(mostSlots).toBe(1);
      // every slot freed once the study's run process has exited
      await expect.poll(() => liveHostSlots()).toEqual([]);
    } finally {
      clearInterval(sampler);
      await Promise.all([doorA.close(), doorB.close(), studies.close()]);
    }
  });

  it('a run waiting for a slot can be cancelled; it never starts and frees nothing it did not hold', async () => {
    const ws = path.join(dir, 'ws-cancel');
    const door = new RunManager(ws, 'cpu', { maxConcurrent: 2 });
    try {
      const first = door.start({ ...config('first'), loop: { generations: 40, paradigm: 'replace', keep: 100, ratio: 1 } });
      const second = door.start(config('second'));
      await expect.poll(() => door.effectiveStatus(door.folder(first)).state).toBe('running');
      expect(door.effectiveStatus(door.folder(second)).state).toBe('queued');
      door.cancel(second);
      expect((await door.wait(second)).state).toBe('cancelled');
      expect(liveHostSlots()).toEqual([process.pid]); // the first run's slot, held by this process
      door.cancel(first);
      await door.wait(first);
      expect(liveHostSlots()).toEqual([]);
    } finally {
      await door.close();
    }
  });
});
