import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig, type ExperimentConfigInput } from '../../main/contract/config';
import { runExperiment } from '../../main/loop/run-experiment';
import { queuedRunFolder } from './queued-run-folder';

/**
 * Collapse-or-Thrive's KDE loop in the engine: a fixed-bandwidth KDE on the 2-D moons, its test NLL recorded per
 * generation when the selection lists it (and only then), byte-identical for the same config and seed.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-kde-nll-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const input = (compute: string[]): ExperimentConfigInput => ({
  name: 'kde-nll',
  seed: 4,
  dataset: { kind: 'toy-2d', shape: 'moons', trainSize: 60, testSize: 80 },
  model: { kind: 'kde', params: { bandwidth: 0.1, kernel: 'isotropic' } },
  loop: { generations: 4, paradigm: 'replace', keep: 60, ratio: 1 },
  selection: { scheme: 'none' },
  metrics: { downstream: false, maxSamples: 80, compute },
  gridSamples: 1,
});

async function lines(name: string, compute: string[]) {
  const f = queuedRunFolder(path.join(tmp, name), validateConfig(input(compute)));
  await runExperiment(f);
  return f.readMetrics().map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !/seconds|Seconds/.test(k))));
}

describe('test NLL in the loop', () => {
  it('is recorded each generation when listed, grows under replace here, and repeats exactly for the same seed', async () => {
    const a = await lines('a', ['modelTestNll']);
    const b = await lines('b', ['modelTestNll']);
    expect(a).toEqual(b);
    const nll = a.map((l) => l.modelTestNll as number);
    expect(nll).toHaveLength(4);
    nll.forEach((v) => expect(Number.isFinite(v)).toBe(true));
    expect(nll[3]).toBeGreaterThan(nll[0]);
    const without = await lines('c', ['varianceTrace']);
    expect(without[0].modelTestNll).toBeUndefined();
  });
});
