/**
 * The wall time of one small study on the embedded queue with --parallel 1 and --parallel 2: the speed-up of running
 * a study's runs side by side on this machine (each run in its own process, one training thread each).
 *
 *   npm run bench -- study      (COLLAPSE_LAB_BENCH_STUDY_RUNS=K changes the number of runs, default 4)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StudyManager } from '../main/studies/study-manager';
import { loadLine } from './reference-env';

function benchStudy(runs: number) {
  return {
    name: 'bench-study',
    base: {
      dataset: { kind: 'mnist', subset: 3000, testSubset: 1000 },
      islands: { count: 4, split: 'dirichlet:0.5' },
      model: { kind: 'vae-mlp', params: { epochs: 2 } },
      loop: { generations: 3, paradigm: 'accumulate-subsample', keep: 1000, ratio: 2 },
      selection: { scheme: 'random' },
      metrics: { downstream: false, maxSamples: 500 },
      gridSamples: 16,
    },
    axes: [{ path: 'selection.scheme', values: ['random', 'kmeans'] }],
    seeds: Math.max(1, Math.round(runs / 2)),
  };
}

async function timeStudy(parallel: number, runs: number): Promise<number> {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), `collapse-lab-bench-study-${parallel}-`));
  try {
    const manager = new StudyManager(ws, 'auto');
    const t0 = performance.now();
    const status = await manager.wait(manager.start(benchStudy(runs), { queue: { parallel } }));
    const seconds = (performance.now() - t0) / 1000;
    if (status.state !== 'completed') throw new Error(`the bench study ended ${status.state}`);
    return seconds;
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const runs = Number(process.env.COLLAPSE_LAB_BENCH_STUDY_RUNS ?? 4);
  console.log(`study: ${2 * Math.max(1, Math.round(runs / 2))} runs (mnist 3,000, vae-mlp 2 epochs, 3 generations, random | kmeans)`);
  console.log(loadLine('before --parallel 1'));
  const one = await timeStudy(1, runs);
  console.log(`  --parallel 1: ${one.toFixed(1)} s wall`);
  console.log(loadLine('before --parallel 2'));
  const two = await timeStudy(2, runs);
  console.log(`  --parallel 2: ${two.toFixed(1)} s wall  (speed-up ${(one / two).toFixed(2)}×)`);
  console.log(loadLine('after'));
}
