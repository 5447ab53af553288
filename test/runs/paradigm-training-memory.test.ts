import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/contract/config';
import { estimateRunMemory } from '../../main/runs/preflight';

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
