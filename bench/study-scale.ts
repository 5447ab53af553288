/**
 * The Collapse-or-Thrive Gaussian grid (issue 23): d ∈ {1, 3, 10, 31, 100} × n ∈ {10, 32, 100, 316, 1000} × replace |
 * accumulate | accumulate-subsample × seeds, 100 generations, as a study on the embedded queue with --parallel 2
 * (storage `metrics`, the metrics the paper reads), beside the same grid as a NumPy loop on two processes of one thread
 * (bench/reference/gaussian_grid_numpy.py), run before and after ours. Prints wall time, runs per second, files and
 * bytes written, the coordinator's peak memory (this process: it is the study's coordinator; its own high-water mark,
 * not its children's) and each run process's peak apart (bench/process-peaks.ts), also as one JSON line
 * (`study-scale-memory {…}`); and each side's CPU
 * seconds (its processes' user + system time, from /proc: what a loaded machine changes least), the ratios, the full
 * grid's time on two idle cores extrapolated from those CPU seconds, and the issue's goals, met or not.
 *
 *   npm run bench -- study-scale          (1 seed: 75 runs; COLLAPSE_LAB_BENCH_SCALE_SEEDS=N for N seeds)
 *   npm run bench -- study-scale --full   (the paper's 100 seeds: 7,500 runs)
 *   COLLAPSE_LAB_BENCH_SCALE_GENERATIONS (default 100), …_DIMS and …_NS (comma lists) narrow or shorten the grid.
 *   --no-reference                        (ours alone: no NumPy loop, no start cost; e.g. to measure memory)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StudyManager } from '../main/studies/study-manager';
import { RUNS_PER_PROCESS } from '../main/runs/run-process-pool';
import { loadLine, runReference } from './reference-env';
import { ProcessPeaks } from './process-peaks';

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

/**
 * CPU seconds (user + system) of this process and of its children that have ended and been waited for (with theirs),
 * from /proc/self/stat (clock ticks of 1/100 s); null where there is no /proc.
 */
function cpuSeconds(): { self: number; children: number } | null {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields 14–17 of proc(5): utime, stime, cutime, cstime (f[0] is field 3)
    return { self: (Number(f[11]) + Number(f[12])) / 100, children: (Number(f[13]) + Number(f[14])) / 100 };
  } catch {
    return null;
  }
}

/** This process's live children (every thread's), from /proc; [] where there is no /proc. */
function liveChildren(): number[] {
  try {
    return fs
      .readdirSync('/proc/self/task')
      .flatMap((t) => fs.readFileSync(`/proc/self/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

/** Wait until the study's run processes have ended (and been waited for, so that their CPU time is counted). */
async function childrenGone(timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (liveChildren().length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 200));
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

interface Measured {
  seconds: number;
  cpu: number | null;
}

function numpy(dims: number[], ns: number[], seeds: number, generations: number): Measured | string {
  const args = ['--dims', dims.join(','), '--ns', ns.join(','), '--paradigms', PARADIGMS.join(','), '--seeds', String(seeds)];
  const before = cpuSeconds();
  const r = runReference<{ seconds: number; runs: number }>(
    'gaussian_grid_numpy.py',
    [...args, '--generations', String(generations), '--workers', '2'],
    1,
    7200,
  );
  const after = cpuSeconds();
  if (!r.ok) return r.error;
  return { seconds: r.value.seconds, cpu: before && after ? after.children - before.children : null };
}

/** CPU seconds of a study of 3 one-generation runs of the grid's smallest cell: the engine's start, next to no science. */
async function startCost(): Promise<number | null> {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-bench-scale-start-'));
  try {
    const cpu0 = cpuSeconds();
    const manager = new StudyManager(ws, 'auto');
    await manager.wait(manager.start({ ...gridStudy([1], [10], 1, 1), name: 'bench-study-scale-start' }, { queue: { parallel: 2 } }));
    await manager.close();
    await childrenGone();
    const cpu1 = cpuSeconds();
    return cpu0 && cpu1 ? cpu1.self - cpu0.self + cpu1.children - cpu0.children : null;
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

function describe(m: Measured | string, runs: number): string {
  if (typeof m === 'string') return m;
  const cpu = m.cpu === null ? '' : `, ${m.cpu.toFixed(1)} CPU s`;
  return `${m.seconds.toFixed(1)} s for ${runs} runs (${(runs / m.seconds).toFixed(2)} runs/s${cpu})`;
}

const FULL_RUNS = 7500;
const GOAL_RATIO = 3;
const GOAL_FULL_SECONDS = 15 * 60;
const GOAL_FILES_PER_RUN = 5;
const GOAL_COORDINATOR_MB = 500;

export async function run(): Promise<void> {
  const full = process.argv.includes('--full');
  const reference = !process.argv.includes('--no-reference');
  const seeds = Number(process.env.COLLAPSE_LAB_BENCH_SCALE_SEEDS ?? (full ? 100 : 1));
  const generations = Number(process.env.COLLAPSE_LAB_BENCH_SCALE_GENERATIONS ?? 100);
  const dims = list('COLLAPSE_LAB_BENCH_SCALE_DIMS', [1, 3, 10, 31, 100]);
  const ns = list('COLLAPSE_LAB_BENCH_SCALE_NS', [10, 32, 100, 316, 1000]);
  const runs = dims.length * ns.length * PARADIGMS.length * seeds;
  const wholeGrid = dims.length === 5 && ns.length === 5 && generations === 100;
  console.log(
    `study-scale: d ∈ {${dims}} × n ∈ {${ns}} × ${PARADIGMS.join(' | ')} × ${seeds} seed(s) = ${runs} runs, ${generations} generations`,
  );
  console.log(loadLine('before NumPy'));
  const numpyBefore = reference ? numpy(dims, ns, seeds, generations) : 'not run (--no-reference)';
  console.log(`  NumPy loop (2 processes × 1 thread), before: ${describe(numpyBefore, runs)}`);

  // what starting the engine costs (the study, two pool processes loading it), from 3 one-generation runs of the
  // smallest cell: a slice pays it once, the full grid once per RUNS_PER_PROCESS runs of each process
  let start: number | null = null;
  if (seeds < 100 && reference) {
    await startCost(); // loads what this coordinator loads once, as ours then finds it loaded: the second one counts
    start = await startCost();
  }
  if (start !== null) console.log(`  our start (a study of 3 one-generation runs, two pool processes): ${start.toFixed(1)} CPU s`);

  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-bench-scale-'));
  const peaks = new ProcessPeaks();
  let ours: Measured | null = null;
  let filesPerRun = 0;
  let coordinatorMb = 0;
  // its peak up to the moment its last run settled: the rest is its end (the digest from nothing, aggregate.csv, the
  // kept status and run summaries), whose memory is bounded by a cell's runs
  let whileRunsMb: number | null = null;
  try {
    console.log(loadLine('before ours'));
    const cpu0 = cpuSeconds();
    const manager = new StudyManager(ws, 'auto');
    manager.on('study', (e) => {
      if (whileRunsMb === null && e.progress.total > 0 && e.progress.completed === e.progress.total) whileRunsMb = ProcessPeaks.self();
    });
    const t0 = performance.now();
    const status = await manager.wait(manager.start(gridStudy(dims, ns, seeds, generations), { queue: { parallel: 2 } }));
    const seconds = (performance.now() - t0) / 1000;
    peaks.sample();
    peaks.stop();
    // before this bench walks the folders below: the coordinator's own, up to the study's end and its report
    coordinatorMb = ProcessPeaks.self();
    await manager.close();
    await childrenGone();
    const cpu1 = cpuSeconds();
    const cpu = cpu0 && cpu1 ? cpu1.self - cpu0.self + cpu1.children - cpu0.children : null;
    ours = { seconds, cpu };
    const { files, bytes } = footprint(ws);
    const runFolders = fs.readdirSync(ws).filter((n) => n.startsWith('bench-study-scale-')).length;
    const perRun = footprint(
      path.join(
        ws,
        fs.readdirSync(ws).find((n) => n.startsWith('bench-study-scale-'))!,
      ),
    );
    filesPerRun = perRun.files;
    console.log(`  ours (--parallel 2, storage metrics): ${describe(ours, runs)}, ${status.state}`);
    console.log(
      `  written: ${files} files, ${(bytes / 2 ** 20).toFixed(1)} MiB in ${runFolders} run folders and the study folder; one run: ${perRun.files} files, ${(perRun.bytes / 1024).toFixed(1)} KiB`,
    );
    const pool = peaks.descendants();
    console.log(
      `  coordinator peak memory (this process's own maxRSS, its children apart): ${coordinatorMb.toFixed(0)} MB; ${whileRunsMb === null ? '' : `${(whileRunsMb as number).toFixed(0)} MB up to its last run's end, the rest its end (the digest, aggregate.csv)`}`,
    );
    for (const p of pool) {
      console.log(
        `  run process ${p.pid} (${p.command}): peak ${p.peakMb.toFixed(0)} MB; resident ${p.firstMb.toFixed(0)} → ${p.lastMb.toFixed(0)} MB over ${p.seconds.toFixed(0)} s`,
      );
    }
    console.log(
      `study-scale-memory ${JSON.stringify({ runs, generations, coordinatorMb: Math.round(coordinatorMb), coordinatorWhileRunsMb: whileRunsMb === null ? null : Math.round(whileRunsMb), processes: pool.map((p) => ({ ...p, peakMb: Math.round(p.peakMb), firstMb: Math.round(p.firstMb), lastMb: Math.round(p.lastMb), seconds: Math.round(p.seconds) })) })}`,
    );
  } finally {
    peaks.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
  console.log(loadLine('before NumPy again'));
  const numpyAfter = reference ? numpy(dims, ns, seeds, generations) : 'not run (--no-reference)';
  console.log(`  NumPy loop (2 processes × 1 thread), after: ${describe(numpyAfter, runs)}`);
  console.log(loadLine('after'));

  // the ratios and the goals of issue 23
  const refs = [numpyBefore, numpyAfter].filter((m): m is Measured => typeof m !== 'string');
  if (!ours || refs.length === 0) return;
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const refSeconds = mean(refs.map((r) => r.seconds));
  const refCpus = refs.map((r) => r.cpu).filter((c): c is number => c !== null);
  const ratio = ours.seconds / refSeconds;
  const cpuRatio = ours.cpu !== null && refCpus.length ? ours.cpu / mean(refCpus) : null;
  console.log(
    `  ours / NumPy: ${ratio.toFixed(2)}× wall (NumPy's mean of before and after)${cpuRatio === null ? '' : `, ${cpuRatio.toFixed(2)}× CPU seconds`}`,
  );
  // two idle cores run two processes' CPU seconds in half the time (an extrapolation: the grid's runs are many and
  // small, and each side keeps both cores busy to its end)
  const scale = FULL_RUNS / runs;
  const fullIdle = (cpu: number | null) => (cpu === null ? null : (cpu * scale) / 2);
  // the slice's engine start once, the grid's once per RUNS_PER_PROCESS runs of each of the two processes
  const starts = Math.ceil(FULL_RUNS / (2 * RUNS_PER_PROCESS));
  const oursFull =
    !wholeGrid || ours.cpu === null ? null : start === null ? fullIdle(ours.cpu) : ((ours.cpu - start) * scale + start * starts) / 2;
  const refFull = wholeGrid && refCpus.length ? fullIdle(mean(refCpus)) : null;
  if (oursFull !== null && refFull !== null) {
    const how =
      seeds === 100
        ? 'its CPU seconds on two idle cores'
        : `extrapolated from ${runs} runs' CPU seconds to ${FULL_RUNS} on two idle cores${start === null ? '' : `, the engine's start counted ${starts} times`}`;
    console.log(`  full grid (${how}): ours ${(oursFull / 60).toFixed(1)} min, NumPy ${(refFull / 60).toFixed(1)} min`);
  }
  const mark = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'met' : 'NOT met');
  console.log('  goals (issue 23):');
  console.log(
    `    ≤ ${GOAL_RATIO}× the NumPy loop: ${ratio.toFixed(2)}× wall${cpuRatio === null ? '' : `, ${cpuRatio.toFixed(2)}× CPU`} — ${mark(ratio <= GOAL_RATIO && (cpuRatio === null || cpuRatio <= GOAL_RATIO))}`,
  );
  console.log(
    `    full grid ≤ ${GOAL_FULL_SECONDS / 60} min on this 2-core machine: ${
      seeds === 100 && wholeGrid ? `${(ours.seconds / 60).toFixed(1)} min wall` : 'not run (this slice)'
    }${oursFull === null ? '' : `, ${(oursFull / 60).toFixed(1)} min idle by CPU seconds`} — ${mark(oursFull === null ? null : oursFull <= GOAL_FULL_SECONDS)}`,
  );
  console.log(`    ≤ ${GOAL_FILES_PER_RUN} files per run (metrics): ${filesPerRun} — ${mark(filesPerRun <= GOAL_FILES_PER_RUN)}`);
  console.log(
    `    coordinator ≤ ${GOAL_COORDINATOR_MB} MB: ${coordinatorMb.toFixed(0)} MB at ${runs} runs — ${mark(coordinatorMb <= GOAL_COORDINATOR_MB)}`,
  );
}
