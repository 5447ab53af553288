import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, validateConfig, type ExperimentConfig, type ExperimentConfigInput } from '../../main/contract/config';
import { encodeNpy } from '../../main/data/npy';
import { findPreset } from '../../main/presets/index';
import { checkRunInputs, preflightRun } from '../../main/runs/preflight';
import { RunManager } from '../../main/runs/run-manager';

/** Issue 11, defect 2: "MNIST subset 70000" is refused before launch, at the field, naming the dataset's real size. */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-subset-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function issuesOf(f: () => unknown): { path: string; message: string }[] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

const smoke = findPreset('smoke').config as ExperimentConfigInput;

describe('a subset beyond the data', () => {
  it('the config (every door: wizard, import, CLI, API) refuses MNIST subset 70000 at dataset.subset', () => {
    const input = { ...smoke, dataset: { kind: 'mnist', subset: 70_000 } } as ExperimentConfigInput;
    expect(issuesOf(() => validateConfig(input))).toEqual([
      { path: 'dataset.subset', message: '70,000 is more than the 60,000 training images of mnist' },
    ]);
    const manager = new RunManager(path.join(tmp, 'ws'), 'cpu');
    expect(() => manager.start(input)).toThrow('dataset.subset: 70,000 is more than the 60,000 training images of mnist');
    expect(fs.existsSync(path.join(tmp, 'ws')) ? fs.readdirSync(path.join(tmp, 'ws')).filter((f) => !f.startsWith('.')) : []).toEqual([]);
  });

  it('the quick preflight refuses it too for a config that skipped the schema', () => {
    const config = validateConfig({ ...smoke, dataset: { kind: 'mnist' } } as ExperimentConfigInput);
    const bad = { ...config, dataset: { kind: 'mnist', subset: 70_000, testSubset: 20_000 } } as ExperimentConfig;
    expect(issuesOf(() => checkRunInputs(bad))).toEqual([
      { path: 'dataset.subset', message: '70,000 is more than the 60,000 training images of mnist' },
      { path: 'dataset.testSubset', message: '20,000 is more than the 10,000 test images of mnist' },
    ]);
  });

  it('the full preflight (in its worker) answers a subset beyond a file’s rows as a field error', async () => {
    const p = path.join(tmp, 'rows.npy');
    fs.writeFileSync(
      p,
      encodeNpy(
        Float32Array.from({ length: 200 }, (_, i) => Math.sin(i)),
        [100, 2],
      ),
    );
    const config = validateConfig({
      ...smoke,
      dataset: { kind: 'npy', path: p, subset: 500 },
      model: { kind: 'gaussian', params: {} },
      loop: { generations: 1, paradigm: 'replace', keep: 20, ratio: 1 },
      metrics: { downstream: false },
    } as ExperimentConfigInput);
    const err = await preflightRun(config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([
      { path: 'dataset.subset', message: `500 is more than the 90 training samples of npy:${p}` },
    ]);
  }, 60_000);
});
