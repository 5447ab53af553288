import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { RunFolder } from '../../main/runs/run-folder';
import { StudyManager } from '../../main/studies/study-manager';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-study-folders-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const study = {
  name: 'folders',
  base: {
    dataset: { kind: 'gaussian', dim: 2, trainSize: 10, testSize: 20 },
    model: { kind: 'gaussian' },
    loop: { generations: 2, paradigm: 'replace', keep: 10, ratio: 1 },
    selection: { scheme: 'none' },
    metrics: { downstream: false },
  },
  axes: [{ path: 'loop.paradigm', values: ['replace', 'accumulate'] }],
  seeds: 1,
  storage: 'metrics',
  metrics: ['meanDistance'],
};

it('a study run folder whose start a machine crash cut (unsynced config and status lost) is written again, and the study finishes', async () => {
  const ws = path.join(tmp, 'ws');
  const manager = new StudyManager(ws, 'auto');
  // what a crash right after the unsynced writes of the queued folders can leave: empty files, no generation
  const { plan } = manager.plan(study);
  const cut = path.join(ws, `${plan.studyId}-${plan.runs[0].key}`);
  fs.mkdirSync(cut, { recursive: true });
  fs.writeFileSync(path.join(cut, 'config.json'), '');
  fs.writeFileSync(path.join(cut, 'status.json'), '');
  const status = await manager.wait(manager.start(study, { queue: { parallel: 1 } }));
  await manager.close();
  expect(status.state).toBe('completed');
  expect(status.runs.map((r) => r.state)).toEqual(['completed', 'completed']);
  const mended = new RunFolder(cut);
  expect(mended.readConfig().loop.paradigm).toBe(plan.runs[0].config.loop.paradigm);
  expect(mended.readMetrics()).toHaveLength(2);
});
