import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExperimentConfigInput } from '../../main/contract/config';
import { RunManager } from '../../main/runs/run-manager';
import { liveHostSlots } from '../../main/runs/host-slots';

/**
 * A run alone on the host trains on every core (main/runs/host-runs.ts) and measures each generation while the next
 * trains, a study's run trains on one core and measures in its thread: same results.
 */

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-lone-run-'));
const hostRuns = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-lone-run-host-'));
const saved = process.env.COLLAPSE_LAB_HOST_RUNS_DIR;
// a folder of its own: other runs on this host must not make the lone run share
process.env.COLLAPSE_LAB_HOST_RUNS_DIR = hostRuns;
// and however busy the test machine is
const savedLoad = process.env.COLLAPSE_LAB_LONE_RUN_MAX_LOAD;
process.env.COLLAPSE_LAB_LONE_RUN_MAX_LOAD = '1e9';
afterAll(() => {
  if (saved === undefined) delete process.env.COLLAPSE_LAB_HOST_RUNS_DIR;
  else process.env.COLLAPSE_LAB_HOST_RUNS_DIR = saved;
  if (savedLoad === undefined) delete process.env.COLLAPSE_LAB_LONE_RUN_MAX_LOAD;
  else process.env.COLLAPSE_LAB_LONE_RUN_MAX_LOAD = savedLoad;
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.rmSync(hostRuns, { recursive: true, force: true });
});

const config: ExperimentConfigInput = {
  name: 'lone',
  seed: 3,
  dataset: { kind: 'mnist', subset: 300, testSubset: 200 },
  islands: { count: 2, split: 'iid' },
  model: { kind: 'vae-mlp', params: { epochs: 1, batchSize: 32, hidden: [64], latent: 8 } },
  loop: { generations: 2, paradigm: 'replace', keep: 150, ratio: 2 },
  selection: { scheme: 'random' },
  gridSamples: 16,
};

function withoutTimes(lines: Record<string, unknown>[]) {
  return lines.map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !/seconds$/i.test(k))));
}

describe.skipIf(os.availableParallelism() < 2 || process.env.COLLAPSE_LAB_WASM_THREADS)('a lone run', () => {
  it('uses every core, records it, and writes what a one-core run writes', async () => {
    const lone = new RunManager(workspace, 'wasm');
    const a = lone.start(config);
    expect((await lone.wait(a)).state).toBe('completed');
    const shared = new RunManager(workspace, 'wasm', { oneCorePerRun: true });
    const b = shared.start(config);
    expect((await shared.wait(b)).state).toBe('completed');
    const ra = lone.get(a);
    const rb = shared.get(b);
    expect(ra.environment?.threads).toBe(os.availableParallelism());
    expect(rb.environment?.threads).toBe(1);
    // alone, its metrics were computed while the next generation trained (main/metrics/metrics-thread.ts)
    expect(ra.environment?.metricsOverlap).toBe(true);
    expect(rb.environment?.metricsOverlap).toBe(false);
    expect(withoutTimes(rb.metrics)).toEqual(withoutTimes(ra.metrics));
    for (const g of ['gen-000', 'gen-001']) {
      expect(fs.readFileSync(path.join(rb.dir, g, 'kept.npy')).equals(fs.readFileSync(path.join(ra.dir, g, 'kept.npy')))).toBe(true);
    }
    // both left the host's list (the `slots` folder is the host's cap: main/runs/host-slots.ts), and freed their slots
    expect(fs.readdirSync(hostRuns).filter((n) => n !== 'slots')).toEqual([]);
    expect(liveHostSlots()).toEqual([]);
  }, 240_000);
});
