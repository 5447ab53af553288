import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig, type ExperimentConfigInput } from '../../main/contract/config';
import { stageSecondsKeys } from '../../main/contract/run-record';
import { runExperiment } from '../../main/loop/run-experiment';
import { CancelledError } from '../../main/models/generative-model';
import { queuedRunFolder } from './queued-run-folder';

/**
 * Storage modes: what each keeps on disk, and a run killed mid-way (here: aborted after generation 2) resumes to the
 * metrics lines of an uninterrupted run, also where the files it would restore from were never kept (replayed).
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-storage-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const input = (storage: string, paradigm: string): ExperimentConfigInput => ({
  name: 'storage',
  seed: 7,
  dataset: { kind: 'gaussian', dim: 2, trainSize: 120, testSize: 60 },
  model: { kind: 'gaussian', params: {} },
  loop: { generations: 6, paradigm, keep: 30, ratio: 2 },
  selection: { scheme: 'random' },
  metrics: { downstream: false, maxSamples: 60, compute: ['meanDistance', 'modelVarianceTrace', 'recall'] },
  gridSamples: 4,
  storage,
});

/** Every file under dir, relative. */
function files(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** The metrics lines without their wall times. */
function science(lines: Record<string, unknown>[]): Record<string, unknown>[] {
  const times = new Set<string>([...stageSecondsKeys, 'seconds']);
  return lines.map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !times.has(k))));
}

describe('storage modes', () => {
  for (const paradigm of ['replace', 'accumulate']) {
    for (const storage of ['all', 'every:2', 'metrics']) {
      it(`${storage}, ${paradigm}: keeps what the mode says, and a killed run resumes to the same lines`, async () => {
        const config = validateConfig(input(storage, paradigm));
        const whole = queuedRunFolder(path.join(tmp, `${storage}-${paradigm}-whole`), config);
        await runExperiment(whole);
        const kept = files(whole.dir);
        const generationFolders = [...new Set(kept.filter((f) => f.startsWith('gen-')).map((f) => f.slice(0, 7)))];
        if (storage === 'all') expect(generationFolders).toEqual(['gen-000', 'gen-001', 'gen-002', 'gen-003', 'gen-004', 'gen-005']);
        if (storage === 'every:2') expect(generationFolders).toEqual(['gen-000', 'gen-002', 'gen-004', 'gen-005']);
        if (storage === 'metrics') {
          expect(kept).toEqual(['config.json', 'gen-005/kept.npy', 'metrics.jsonl', 'status.json']);
        } else expect(kept).toContain('islands.json');

        const killed = queuedRunFolder(path.join(tmp, `${storage}-${paradigm}-killed`), config);
        const controller = new AbortController();
        await expect(
          runExperiment(killed, { signal: controller.signal, onGeneration: (g) => g === 3 && controller.abort() }),
        ).rejects.toBeInstanceOf(CancelledError);
        expect(killed.lastCompletedGeneration()).toBe(3);
        await runExperiment(killed);
        const lines = science(killed.readMetrics());
        expect(lines).toHaveLength(6);
        expect(lines).toEqual(science(whole.readMetrics()));
        expect(lines[0].recall).toBeTypeOf('number');
        expect(lines[0].fid).toBeUndefined();
        expect(files(killed.dir)).toEqual(kept);
        expect(fs.readFileSync(killed.file('gen-005', 'kept.npy'))).toEqual(fs.readFileSync(whole.file('gen-005', 'kept.npy')));
      }, 60_000);
    }
  }
});
