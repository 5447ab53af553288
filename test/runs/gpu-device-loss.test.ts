import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeWebgpu } from '../../main/backend/webgpu';
import type { ExperimentConfigInput } from '../../main/contract/config';
import { RunFolder } from '../../main/runs/run-folder';
import { RunManager } from '../../main/runs/run-manager';

/**
 * A GPU fault in a run (a stand-in device that is lost while generation 1 trains: COLLAPSE_LAB_WEBGPU_LOSE_AT,
 * main/backend/gpu-fault-stand-in.ts) fails that run with a named error, keeps its finished generation, leaves the
 * host and a run beside it untouched, and `resume` completes it. Skipped where Dawn finds no adapter.
 */
const available = 'adapter' in (await probeWebgpu());
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-gpu-loss-'));
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

const onGpu: ExperimentConfigInput = {
  name: 'gpu',
  seed: 5,
  dataset: { kind: 'mnist', subset: 96, testSubset: 32 },
  model: { kind: 'vae-mlp', params: { hidden: [16], latent: 4, epochs: 1, batchSize: 32 } },
  loop: { generations: 3, paradigm: 'replace', keep: 48, ratio: 2 },
  selection: { scheme: 'random', features: 'raw' },
  metrics: { downstream: false, features: 'raw', compute: ['meanDistance'] },
  gridSamples: 4,
};
const beside: ExperimentConfigInput = {
  name: 'beside',
  seed: 3,
  dataset: { kind: 'gaussian', dim: 4, trainSize: 200, testSize: 100 },
  model: { kind: 'gaussian' },
  loop: { generations: 3, paradigm: 'replace', keep: 40, ratio: 2 },
  selection: { scheme: 'random' },
  metrics: { downstream: false },
  gridSamples: 4,
};

describe.skipIf(!available)('a lost GPU device', () => {
  it('fails only its run, with "GPU device lost: …"; resume completes it', async () => {
    const manager = new RunManager(workspace, 'cpu');
    process.env.COLLAPSE_LAB_WEBGPU_LOSE_AT = '1:2';
    let gpuRun: string;
    let other: string;
    try {
      // each run's worker takes a copy of the environment when it starts
      gpuRun = manager.start(onGpu, { backend: 'webgpu' });
      other = manager.start(beside);
    } finally {
      delete process.env.COLLAPSE_LAB_WEBGPU_LOSE_AT;
    }
    const failed = await manager.wait(gpuRun);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/^GPU device lost: /);
    expect(failed.lastGeneration).toBe(0);
    expect(new RunFolder(path.join(workspace, gpuRun)).readMetrics()).toHaveLength(1);
    expect((await manager.wait(other)).state).toBe('completed');

    manager.resume(gpuRun, { backend: 'webgpu' });
    const done = await manager.wait(gpuRun);
    expect(done.state, done.error).toBe('completed');
    expect(done.lastGeneration).toBe(2);
    const folder = new RunFolder(path.join(workspace, gpuRun));
    expect(folder.readMetrics().map((m) => m.generation)).toEqual([0, 1, 2]);
    expect(folder.readEnvironment()?.resumes?.[0]?.adapter).toEqual(folder.readEnvironment()?.adapter);
  });
});
