import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { validateConfig } from '../../main/contract/config';
import { runExperiment } from '../../main/loop/run-experiment';
import { queuedRunFolder } from './queued-run-folder';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-status-notes-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it('the loop notes finished generations in the status at most once a second, and always the last', async () => {
  const folder = queuedRunFolder(
    path.join(tmp, 'notes'),
    validateConfig({
      name: 'notes',
      dataset: { kind: 'gaussian', dim: 2, trainSize: 20, testSize: 20 },
      model: { kind: 'gaussian' },
      loop: { generations: 40, paradigm: 'replace', keep: 20, ratio: 1 },
      selection: { scheme: 'none' },
      metrics: { downstream: false, compute: ['meanDistance'] },
      storage: 'metrics',
    }),
  );
  const notes: number[] = [];
  const update = folder.updateStatus.bind(folder);
  vi.spyOn(folder, 'updateStatus').mockImplementation((patch, opts) => {
    if (patch.lastGeneration !== undefined) notes.push(patch.lastGeneration);
    return update(patch, opts);
  });
  const t0 = performance.now();
  await runExperiment(folder);
  const seconds = (performance.now() - t0) / 1000;
  expect(folder.readMetrics()).toHaveLength(40);
  expect(notes.at(-1)).toBe(39);
  expect(folder.readStatus().lastGeneration).toBe(39);
  // the first generation, one a second after it, and the last
  expect(notes.length).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
  expect(notes.length).toBeLessThan(40);
});
