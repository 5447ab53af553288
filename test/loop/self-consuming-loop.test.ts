import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig, type ExperimentConfigInput } from '../../main/contract/config';
import { runExperiment } from '../../main/loop/run-experiment';
import { RunFolder } from '../../main/runs/run-folder';
import { queuedRunFolder } from './queued-run-folder';

/**
 * The loop with a declared truth and a synthetic amount: every line says it was scored against the truth, records the
 * fitted Gaussian's TV to the truth with its error and the rise over generation 0 (zero there), and the training sets
 * hold all the real rows plus syntheticPerReal times as many synthetic ones; a resumed run ends with the same lines.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-self-consuming-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const input: ExperimentConfigInput = {
  name: 'self-consuming',
  seed: 2,
  dataset: { kind: 'gaussian', dim: 2, trainSize: 50, testSize: 100, truth: 'generating' },
  model: { kind: 'gaussian', params: {} },
  loop: { generations: 4, paradigm: 'mixed:1', keep: 200, ratio: 1, syntheticPerReal: 3 },
  metrics: { downstream: false, maxSamples: 100 },
  gridSamples: 4,
};

function folderFor(name: string, generations: number): RunFolder {
  return queuedRunFolder(path.join(tmp, name), validateConfig({ ...input, loop: { ...input.loop, generations } }));
}

describe('mixed training against a declared truth', () => {
  it('records TV to the truth, its error and its rise; trains on all real rows plus 3× as many synthetic', async () => {
    const whole = folderFor('whole', 4);
    await runExperiment(whole);
    const lines = whole.readMetrics();
    expect(lines).toHaveLength(4);
    for (const l of lines) {
      expect(l.scoredAgainst).toBe('truth');
      expect(l.tvToTruth!).toBeGreaterThan(0);
      expect(l.tvToTruth!).toBeLessThan(0.5);
      expect(l.tvToTruthError!).toBeLessThan(0.01 * l.tvToTruth!);
      expect(l.w2ToTruth!).toBeGreaterThan(0);
      expect(l.tvToTruthRise!).toBeCloseTo(l.tvToTruth! - lines[0].tvToTruth!, 12);
    }
    expect(lines[0].tvToTruthRise).toBe(0);
    expect([lines[0].realInTraining, lines[0].syntheticInTraining]).toEqual([50, 0]);
    for (const l of lines.slice(1)) expect([l.realInTraining, l.syntheticInTraining, l.trainSize]).toEqual([50, 150, 200]);

    // resumed after generation 1: the same lines (the rise reads generation 0's TV from the metrics file)
    const part = folderFor('part', 2);
    await runExperiment(part);
    part.writeJson('config.json', validateConfig(input));
    await runExperiment(part);
    const resumed = part.readMetrics();
    const strip = (l: Record<string, unknown>) => Object.fromEntries(Object.entries(l).filter(([k]) => !/seconds|Seconds/.test(k)));
    expect(resumed.map(strip)).toEqual(lines.map(strip));
  }, 120_000);
});
