/**
 * The Collapse-or-Thrive Gaussian grid (issue 23): d ∈ {1, 3, 10, 31, 100} × n ∈ {10, 32, 100, 316, 1000} × replace |
 * accumulate | accumulate-subsample × seeds, 100 generations, as a study on the embedded queue with --parallel 2
 * (storage `metrics`, the metrics the paper reads), beside the same grid as a NumPy loop on two processes of one thread
 * (bench/reference/gaussian_grid_numpy.py), run before and after ours. Prints wall time, runs per second, files and
 * bytes written, and the coordinator's peak memory (this process: it is the study's coordinator).
 *
 *   npm run bench -- study-scale     (COLLAPSE_LAB_BENCH_SCALE_SEEDS, default 1: 75 runs; 100 for the paper's 7,500;
 *                                     COLLAPSE_LAB_BENCH_SCALE_GENERATIONS, default 100; …_DIMS and …_NS: comma lists)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StudyManager } from '../main/studies/study-manager';
import { loadLine, runReference } from './reference-env';

const PARADIGMS = ['replace', 'accumulate', 'accumulate-subsample'];

function list(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  return raw ? raw.split(',').map(Number) : fallback;
}

function gridStudy(dims: number[], ns: number[], seeds: number, generations: number) {
  return {
    name: 'bench-study-scale',
    base: {
      dataset: { kind: 'gaussian', dim: 1, trainSize: 10, testSize: 100 },
      model: { kind: 'gaussian' },
      loop: { generations, paradigm: 'replace', keep: 10, ratio: 1 },
      selection: { scheme: 'none' },
      metrics: { downstream: false },
    },
    axes: [
      { path: 'dataset.dim', values: dims },
      {
        zip: [
          { path: 'dataset.trainSize', values: ns },
          { path: 'loop.keep', values: ns },
        ],
      },
      { path: 'loop.paradigm', values: PARADIGMS },
    ],
    seeds,
    storage: 'metrics',
    metrics: ['meanDistance', 'varianceTrace', 'modelVarianceTrace'],
  };
}

/** Files and bytes under a folder. */
function footprint(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
    if (!e.isFile()) continue;
    files += 1;
    bytes += fs.statSync(path.join(e.parentPath, e.name)).size;
  }
  return { files, bytes };
}

function numpy(dims: number[], ns: number[], seeds: number, generations: number): string {
  const args = ['--dims', dims.join(','), '--ns', ns.join(','), '--paradigms', PARADIGMS.join(','), '--seeds', String(seeds)];
  const r = runReference<{ seconds: number; runs: number }>(
    'gaussian_grid_numpy.py',
    [...args, '--generations', String(generations), '--workers', '2'],
    1,
    7200,
  );
  return r.ok
    ? `${r.value.seconds.toFixed(1)} s for ${r.value.runs} runs (${(r.value.runs / r.value.seconds).toFixed(2)} runs/s)`
    : r.error;
}

export async function run(): Promise<void> {
  const seeds = Number(process.env.COLLAPSE_LAB_BENCH_SCALE_SEEDS ?? 1);
  const generations = Number(process.env.COLLAPSE_LAB_BENCH_SCALE_GENERATIONS ?? 100);
  const dims = list('COLLAPSE_LAB_BENCH_SCALE_DIMS', [1, 3, 10, 31, 100]);
  const ns = list('COLLAPSE_LAB_BENCH_SCALE_NS', [10, 32, 100, 316, 1000]);
  const runs = dims.length * ns.length * PARADIGMS.length * seeds;
  console.log(
    `study-scale: d ∈ {${dims}} × n ∈ {${ns}} × ${PARADIGMS.join(' | ')} × ${seeds} seed(s) = ${runs} runs, ${generations} generations`,
  );
  console.log(loadLine('before NumPy'));
  console.log(`  NumPy loop (2 processes × 1 thread), before: ${numpy(dims, ns, seeds, generations)}`);

  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-bench-scale-'));
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
  try {
    console.log(loadLine('before ours'));
    const manager = new StudyManager(ws, 'auto');
    const t0 = performance.now();
    const status = await manager.wait(manager.start(gridStudy(dims, ns, seeds, generations), { queue: { parallel: 2 } }));
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const { files, bytes } = footprint(ws);
    const runFolders = fs.readdirSync(ws).filter((n) => n.startsWith('bench-study-scale-')).length;
    const perRun = footprint(
      path.join(
        ws,
        fs.readdirSync(ws).find((n) => n.startsWith('bench-study-scale-'))!,
      ),
    );
    console.log(
      `  ours (--parallel 2, storage metrics): ${seconds.toFixed(1)} s for ${runs} runs (${(runs / seconds).toFixed(2)} runs/s), ${status.state}`,
    );
    console.log(
      `  written: ${files} files, ${(bytes / 2 ** 20).toFixed(1)} MiB in ${runFolders} run folders and the study folder; one run: ${perRun.files} files, ${(perRun.bytes / 1024).toFixed(1)} KiB`,
    );
    console.log(`  coordinator peak memory (rss): ${(Math.max(peak, process.resourceUsage().maxRSS * 1024) / 2 ** 20).toFixed(0)} MB`);
    await manager.close();
  } finally {
    clearInterval(sampler);
    fs.rmSync(ws, { recursive: true, force: true });
  }
  console.log(loadLine('before NumPy again'));
  console.log(`  NumPy loop (2 processes × 1 thread), after: ${numpy(dims, ns, seeds, generations)}`);
  console.log(loadLine('after'));
}
