import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig, type ExperimentConfigInput } from '../../main/contract/config';
import { runExperiment } from '../../main/loop/run-experiment';
import { RunFolder } from '../../main/runs/run-folder';
import { queuedRunFolder } from './queued-run-folder';

/**
 * Khelifa et al.'s discounted score-error energy in the loop: each line records B_g = ε²_g + (1 − α)²·B_{g−1} from its
 * own energy (scoreErrorL2) and its training set's real share α, and KL and χ² of the samples to the truth; with randomSign
 * the errors' signs come from the seed, so a resumed run ends with the same lines.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-discounted-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const truth = { weights: [1], means: [[0, 0]], covs: [1] };
const input: ExperimentConfigInput = {
  name: 'discounted',
  seed: 3,
  dataset: { kind: 'gaussian-mixture', dim: 2, ...truth, trainSize: 100, testSize: 50 },
  model: {
    kind: 'diffusion-exact',
    params: {
      components: 1,
      sampler: 'sde',
      integrator: 'heun',
      horizon: 3,
      steps: 40,
      truncation: { kind: 'constant', delta0: 0.01 },
      truth,
      scoreError: { gradient: { magnitude: 0.1, randomSign: true }, evalSamples: 200, evalTimes: 4 },
    },
  },
  loop: { generations: 4, paradigm: 'mixed:0.5', keep: 100, ratio: 1 },
  metrics: { downstream: false, maxSamples: 100, compute: ['klGaussian', 'chiSquareGaussian', 'scoreErrorL2', 'scoreErrorDiscounted'] },
  gridSamples: 1,
};

function folderFor(name: string, generations: number): RunFolder {
  return queuedRunFolder(path.join(tmp, name), validateConfig({ ...input, loop: { ...input.loop, generations } }));
}

describe('discounted score-error energy', () => {
  it('B_g = ε²_g + (1 − α)²·B_{g−1} with α the real share, χ² recorded, and a resumed run gives the same lines', async () => {
    const whole = folderFor('whole', 4);
    await runExperiment(whole);
    const lines = whole.readMetrics();
    expect(lines).toHaveLength(4);
    expect(lines[0].scoreErrorDiscounted).toBe(lines[0].scoreErrorL2);
    for (const l of lines.slice(1)) {
      const previous = lines[l.generation - 1].scoreErrorDiscounted as number;
      const alpha = (l.realInTraining as number) / (l.trainSize as number);
      expect(alpha).toBe(0.5);
      expect(l.scoreErrorDiscounted as number).toBeCloseTo((l.scoreErrorL2 as number) + 0.25 * previous, 12);
    }
    for (const l of lines) {
      expect(l.scoreErrorL2 as number).toBeGreaterThan(0);
      expect(l.chiSquareGaussian as number).toBeGreaterThan(0);
      expect(Number.isFinite(l.chiSquareGaussian)).toBe(true);
      expect(l.klGaussian as number).toBeGreaterThan(0);
    }

    const part = folderFor('part', 2);
    await runExperiment(part);
    part.writeJson('config.json', validateConfig(input));
    await runExperiment(part);
    const strip = (l: Record<string, unknown>) => Object.fromEntries(Object.entries(l).filter(([k]) => !/seconds|Seconds/.test(k)));
    expect(part.readMetrics().map(strip)).toEqual(lines.map(strip));
  }, 120_000);

  it('draws the signs per generation: the same energy, different samples from a fixed-sign run', async () => {
    const fixed = queuedRunFolder(
      path.join(tmp, 'fixed'),
      validateConfig({
        ...input,
        loop: { ...input.loop, generations: 2 },
        model: {
          ...input.model,
          params: {
            ...input.model.params,
            scoreError: { gradient: { magnitude: 0.1, randomSign: false }, evalSamples: 200, evalTimes: 4 },
          },
        },
      }),
    );
    await runExperiment(fixed);
    const random = folderFor('random', 2);
    await runExperiment(random);
    const [a, b] = [fixed.readMetrics(), random.readMetrics()];
    // the energy ∫E‖e‖² does not depend on the signs; the samples (hence χ²) do, unless every sign came out +1
    expect(b[0].scoreErrorL2 as number).toBeCloseTo(a[0].scoreErrorL2 as number, 6);
    expect([0, 1].some((g) => a[g].chiSquareGaussian !== b[g].chiSquareGaussian)).toBe(true);
  }, 120_000);
});
