import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../main/contract/config';
import { defaultParallelism } from '../../main/studies/embedded-queue';
import { expandStudy } from '../../main/studies/expand-study';
import { estimateRunFiles, plannedRunCount } from '../../main/studies/study-limits';
import { StudyManager } from '../../main/studies/study-manager';

/**
 * Issue 23's caps: each refused before anything is written, naming the limit, the number and the override flag.
 * (Measured before: `parallel: 256` started 8 run processes on 2 cores; 200,000 values on one axis wrote 31,000 run
 * folders in 150 s; 1e6 cells used 1.76 GB with no answer.)
 */
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-limits-'));
afterAll(() => fs.rmSync(ws, { recursive: true, force: true }));

const base = {
  dataset: { kind: 'gaussian', dim: 2, trainSize: 50, testSize: 50 },
  model: { kind: 'gaussian' },
  loop: { generations: 2, keep: 10, ratio: 1 },
};

function refusal(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('not refused');
}

describe('study limits', () => {
  const manager = new StudyManager(ws, 'cpu');

  it('refuses parallel above the cores without --oversubscribe', () => {
    const e = refusal(() => manager.start({ name: 'wide', base }, { queue: { parallel: 256 } }));
    expect(e.issues[0]).toMatchObject({ path: 'parallel' });
    expect(e.message).toMatch(new RegExp(`parallel 256 is above this machine's ${defaultParallelism()} cores.*--oversubscribe`));
    expect(fs.existsSync(path.join(ws, 'studies', 'wide'))).toBe(false);
  });

  it('refuses 200,000 values on one axis and a million cells from the spec alone, in well under a second', () => {
    const t0 = performance.now();
    const big = { name: 'big', base, axes: [{ path: 'loop.keep', values: Array.from({ length: 200_000 }, (_, i) => i + 2) }] };
    const e = refusal(() => manager.start(big));
    expect(e.message).toMatch(/200,000 runs .* above the limit of 20,000 runs \(COLLAPSE_LAB_MAX_STUDY_RUNS\); pass --allow-large/);
    const million = {
      name: 'million',
      base,
      axes: [
        { path: 'loop.keep', values: Array.from({ length: 1000 }, (_, i) => i + 2) },
        { path: 'dataset.dim', values: Array.from({ length: 1000 }, (_, i) => i + 1) },
      ],
    };
    expect(refusal(() => manager.plan(million)).message).toMatch(/1,000,000 runs/);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(fs.readdirSync(ws)).toEqual([]);
    expect(plannedRunCount(expandStudy({ name: 'x', base, seeds: 3, axes: [{ path: 'loop.keep', values: [5, 6] }] }).spec)).toBe(6);
  });

  it('refuses a study whose files would not fit the disk cap, and says how to keep less', () => {
    const env = process.env.COLLAPSE_LAB_MAX_STUDY_DISK;
    process.env.COLLAPSE_LAB_MAX_STUDY_DISK = '100000';
    try {
      const e = refusal(() => manager.start({ name: 'heavy', base: { ...base, loop: { ...base.loop, generations: 50 } }, seeds: 20 }));
      expect(e.issues[0].path).toBe('storage');
      expect(e.message).toMatch(/would write about .* GB, above the limit of 0\.00 GB \(COLLAPSE_LAB_MAX_STUDY_DISK\).*--allow-large/);
      expect(fs.existsSync(path.join(ws, 'studies', 'heavy'))).toBe(false);
    } finally {
      if (env === undefined) delete process.env.COLLAPSE_LAB_MAX_STUDY_DISK;
      else process.env.COLLAPSE_LAB_MAX_STUDY_DISK = env;
    }
  });

  it('estimates fewer files per run in metrics mode', () => {
    const [all] = expandStudy({ name: 'a', base: { ...base, loop: { ...base.loop, generations: 100 } } }).runs;
    const [metrics] = expandStudy({ name: 'a', base: { ...base, loop: { ...base.loop, generations: 100 } }, storage: 'metrics' }).runs;
    expect(estimateRunFiles(metrics.config).files).toBe(5);
    expect(estimateRunFiles(all.config).files).toBeGreaterThan(400);
  });
});
