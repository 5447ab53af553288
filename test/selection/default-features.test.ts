import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../main/backend/select-backend';
import { validateConfig, type ExperimentConfigInput } from '../../main/contract/config';
import { runExperiment } from '../../main/loop/run-experiment';
import { defaultFeatureSpec } from '../../main/metrics/reference-dir';
import { RunFolder } from '../../main/runs/run-folder';

/** selection.features defaults to the dataset's reference-classifier features where one is shipped, else raw. */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-features-'));
beforeAll(() => initBackend('auto'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(name: string, input: ExperimentConfigInput) {
  const config = validateConfig(input);
  const folder = new RunFolder(path.join(tmp, name));
  fs.mkdirSync(folder.dir);
  folder.writeJson('config.json', config);
  const now = new Date().toISOString();
  folder.writeJson('status.json', { state: 'queued', lastGeneration: -1, generations: 1, startedAt: now, updatedAt: now });
  await runExperiment(folder);
  return { config, lines: folder.readMetrics() };
}

describe('default selection feature space', () => {
  it('is reference for the built-in image datasets with a shipped classifier, raw otherwise', () => {
    expect(defaultFeatureSpec('mnist', true)).toBe('reference');
    expect(defaultFeatureSpec('fashion-mnist', true)).toBe('reference');
    expect(defaultFeatureSpec('mnist', false)).toBe('raw');
    expect(defaultFeatureSpec('gaussian', false)).toBe('raw');
    expect(defaultFeatureSpec('my-pngs', true)).toBe('raw');
  });

  it('a config without selection.features keeps it absent (resolved by the run, not the contract)', () => {
    const c = validateConfig({
      dataset: { kind: 'mnist' },
      model: { kind: 'vae-mlp' },
      loop: { generations: 1, keep: 100 },
      selection: { scheme: 'center' },
    });
    expect(c.selection.features).toBeUndefined();
  });

  it('an MNIST run selects in reference-classifier features and records it; a Gaussian run in raw values', async () => {
    const mnist = await run('mnist', {
      name: 'mnist-default-features',
      dataset: { kind: 'mnist', subset: 400, testSubset: 100 },
      islands: { count: 2, split: 'iid' },
      model: { kind: 'vae-mlp', params: { epochs: 1, hidden: [64], latent: 4 } },
      loop: { generations: 1, keep: 40, ratio: 2 },
      selection: { scheme: 'center', reference: 'local' },
      metrics: { downstream: false, maxSamples: 100 },
      gridSamples: 4,
    });
    expect(mnist.lines[0].selection?.features).toBe('reference');
    expect(mnist.lines[0].selectionSeconds).toBeGreaterThan(0); // the loop's own timing of the selection
    const gauss = await run('gauss', {
      name: 'gaussian-default-features',
      dataset: { kind: 'gaussian', dim: 4, trainSize: 200, testSize: 100 },
      islands: { count: 2, split: 'iid' },
      model: { kind: 'gaussian' },
      loop: { generations: 1, keep: 20, ratio: 2 },
      selection: { scheme: 'center' },
      metrics: { downstream: false },
      gridSamples: 4,
    });
    expect(gauss.lines[0].selection?.features).toBe('raw');
  });
});
