import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig, type ExperimentConfigInput } from '../../main/contract/config';
import { genName, runExperiment } from '../../main/loop/run-experiment';
import { fitPowerLawWindow } from '../../main/shared/power-law';
import { RunFolder } from '../../main/runs/run-folder';
import { queuedRunFolder } from './queued-run-folder';

/**
 * The loop records Tr(Σ̄) of the fitted model each generation (the Gaussian's exact covariance, as saved in its
 * checkpoint), fits ψ on it from generation 1, aims topalpha at the shifted-real target, and a resumed run takes the
 * earlier traces from its metrics lines, so it ends exactly as an uninterrupted one.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-model-trace-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const input: ExperimentConfigInput = {
  name: 'model-trace',
  seed: 4,
  dataset: { kind: 'gaussian', dim: 3, trainSize: 200, testSize: 100 },
  model: { kind: 'gaussian', params: {} },
  loop: { generations: 6, paradigm: 'replace', keep: 20, ratio: 5 },
  selection: { scheme: 'topalpha', features: 'raw', target: { kind: 'shifted-real' } },
  // ψ over t ∈ [2, T] (generations ≥ 1): the runs here are 6 generations long, the default window t ∈ [10, T]
  metrics: { downstream: false, maxSamples: 50, psiFromT: 2 },
  gridSamples: 4,
};

function folderFor(name: string, generations: number): RunFolder {
  return queuedRunFolder(path.join(tmp, name), validateConfig({ ...input, loop: { ...input.loop, generations } }));
}

describe('modelVarianceTrace and ψ in the loop', () => {
  it('records the fitted Gaussian’s Tr(Σ̄), fits ψ on it over its window (metrics.psiFromT), and resumes to the same numbers', async () => {
    const whole = folderFor('whole', 6);
    await runExperiment(whole);
    const lines = whole.readMetrics();
    expect(lines).toHaveLength(6);
    lines.forEach((l, g) => {
      const saved = JSON.parse(fs.readFileSync(whole.file(genName(g), 'model', 'model.json'), 'utf8')) as { cov: number[] };
      const trace = saved.cov[0] + saved.cov[4] + saved.cov[8];
      expect(l.modelVarianceTrace).toBeCloseTo(trace, 12);
      expect(l.modelVarianceTraceCandidates).toBeUndefined();
      expect(l.selection?.target).toBe('shifted-real');
    });
    // ψ from generation 3 on (three points of the window 1 … g), over the model traces, not the kept samples'
    expect(lines[2].powerLawPsi).toBeUndefined();
    const traces = lines.map((l) => l.modelVarianceTrace as number);
    const fit = fitPowerLawWindow([0, 1, 2, 3, 4, 5], traces, 1)!;
    expect(lines[5].powerLawPsi).toBeCloseTo(fit.psi, 12);
    expect(lines[5].powerLawPsiStderr).toBeCloseTo(fit.stderr, 12);

    const resumed = folderFor('resumed', 4);
    await runExperiment(resumed);
    resumed.writeJson('config.json', validateConfig(input));
    await runExperiment(resumed);
    const again = resumed.readMetrics();
    expect(again.map((l) => l.modelVarianceTrace)).toEqual(traces);
    expect(again[5].powerLawPsi).toBe(lines[5].powerLawPsi);
  }, 120_000);
});
