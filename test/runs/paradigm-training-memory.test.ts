import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig, type ExperimentConfigInput } from '../../main/contract/config';
import { checkRunMemory, estimateRunMemory } from '../../main/runs/preflight';
import { RunManager } from '../../main/runs/run-manager';

/** The training set each paradigm holds at its largest, in the run's memory estimate (4 values a row, float32). */
describe('memory of the training set by paradigm', () => {
  const facts = { dim: 4, trainN: 200, testN: 100, fileBytes: 0, field: 'dataset.trainSize' };
  const trainingPart = (paradigm: string) => {
    const config = validateConfig({
      dataset: { kind: 'gaussian', dim: 4, trainSize: 200, testSize: 100 },
      model: { kind: 'gaussian' },
      loop: { generations: 1000, paradigm, keep: 100_000, ratio: 1 },
    });
    return estimateRunMemory(config, facts).find((p) => p.field === 'loop.paradigm');
  };

  it('accumulate-synthetic holds every kept sample of the generations before the last, without the real data', () => {
    const part = trainingPart('accumulate-synthetic')!;
    expect(part.bytes).toBe(999 * 100_000 * 4 * 4);
    expect(part.what).toBe('the training set (every kept sample, no real data: 99900000 samples)');
    // accumulate holds the same plus the 200 real rows
    expect(trainingPart('accumulate')!.bytes - part.bytes).toBe(200 * 4 * 4);
  });

  it('replace adds no training set of its own (it trains on the kept samples already counted)', () => {
    expect(trainingPart('replace')).toBeUndefined();
  });
});

/**
 * Issue 22's bug: mixed:1 with loop.syntheticPerReal = 100 and 1,000 real rows trains on 101,000 rows from generation
 * 1 on; the memory check counted 1,000. Now the run plan gives it, and the run is refused before its folder is made.
 */
describe('memory of mixed training with syntheticPerReal', () => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-plan-memory-'));
  const saved = process.env.COLLAPSE_LAB_MEMORY_LIMIT;
  beforeAll(() => {
    process.env.COLLAPSE_LAB_MEMORY_LIMIT = '1GB';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.COLLAPSE_LAB_MEMORY_LIMIT;
    else process.env.COLLAPSE_LAB_MEMORY_LIMIT = saved;
    fs.rmSync(workspace, { recursive: true, force: true });
  });
  const config = (syntheticPerReal: number | undefined): ExperimentConfigInput => ({
    name: 'mixed',
    seed: 1,
    dataset: { kind: 'gaussian', dim: 4096, trainSize: 1000, testSize: 100 },
    model: { kind: 'kde' },
    loop: { generations: 3, paradigm: 'mixed:1', keep: 100, ratio: 1, syntheticPerReal },
    selection: { scheme: 'random' },
    metrics: { downstream: false },
  });

  it('counts the 101,000 rows the loop builds, naming loop.syntheticPerReal', () => {
    const facts = { dim: 4096, trainN: 1000, testN: 100, fileBytes: 0, field: 'dataset.trainSize' };
    const part = estimateRunMemory(validateConfig(config(100)), facts).find((p) => p.field === 'loop.syntheticPerReal')!;
    expect(part.what).toBe('the training set (1000 real + 100000 synthetic samples, loop.syntheticPerReal = 100)');
    expect(part.bytes).toBe(101_000 * 4096 * 4);
  });

  it('is refused before a run folder exists; without syntheticPerReal the same run fits', () => {
    const manager = new RunManager(workspace, 'cpu');
    expect(() => manager.start(config(100))).toThrow(
      /loop\.syntheticPerReal: this run needs about 1\.\d GB of memory, more than the 1\.0 GB available .*1000 real \+ 100000 synthetic/,
    );
    expect(fs.readdirSync(workspace)).toEqual([]);
    expect(() =>
      checkRunMemory(validateConfig(config(undefined)), { dim: 4096, trainN: 1000, testN: 100, fileBytes: 0, field: 'x' }),
    ).not.toThrow();
  });
});
