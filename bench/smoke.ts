/**
 * The smoke preset's wall and CPU time, an older checkout against this one (issue 28's goal: 1.6× faster than when
 * it was filed, at 7d91e45): `collapse-lab run --preset smoke` in each, interleaved old, new, old, new…, each in a
 * fresh workspace, with the host's load before and after each run, and the last generation's metrics of both.
 *
 *   git worktree add --detach ../old 7d91e45 && ln -s "$PWD/node_modules" ../old/node_modules
 *   npm run bench -- smoke --old=../old [--runs=2]
 *
 * The CPU time (user + sys of the whole process, every thread) is the figure to compare on a loaded host: the wall
 * time there says how the host shared its cores (and whether the lone-run rule gave the run every core).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Preloaded into each run's process: its resource usage (every thread) written to fd 3 as it exits. */
const USAGE_HOOK = `data:text/javascript,${encodeURIComponent(
  "import fs from 'node:fs'; process.on('exit', () => { try { fs.writeSync(3, JSON.stringify(process.resourceUsage())); } catch {} });",
)}`;

interface SmokeRun {
  side: 'old' | 'new';
  wall: number;
  cpu: number;
  load: [number, number];
  last: Record<string, unknown>;
}

export async function run(): Promise<void> {
  const oldArg = process.argv.find((a) => a.startsWith('--old='))?.slice('--old='.length);
  if (!oldArg) {
    // `npm run bench` runs every benchmark: this one only when given the older checkout
    console.log('skipped: give --old=DIR, a checkout of the older commit with node_modules (see bench/smoke.ts)');
    return;
  }
  const oldDir = path.resolve(oldArg);
  if (!fs.existsSync(path.join(oldDir, 'bin', 'collapse-lab.mjs'))) throw new Error(`bench smoke: ${oldDir} holds no bin/collapse-lab.mjs`);
  const runsArg = process.argv.find((a) => a.startsWith('--runs='))?.slice('--runs='.length);
  const runs = runsArg === undefined ? 2 : Number(runsArg);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`bench smoke: --runs must be an integer ≥ 1, got "${runsArg}"`);

  const results: SmokeRun[] = [];
  for (let i = 0; i < runs; i++) {
    for (const side of ['old', 'new'] as const) {
      const r = await smokeRun(side, side === 'old' ? oldDir : here);
      results.push(r);
      console.log(
        `${side} ${i + 1}: wall ${r.wall.toFixed(1)} s, CPU ${r.cpu.toFixed(1)} s, load ${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)}; ` +
          `last generation: fid ${fmt(r.last.fid)}, precision ${fmt(r.last.precision)}, downstream ${fmt(r.last.downstreamAccuracy)}`,
      );
    }
  }
  const mean = (side: 'old' | 'new', k: 'wall' | 'cpu') => {
    const of = results.filter((r) => r.side === side);
    return of.reduce((a, r) => a + r[k], 0) / of.length;
  };
  console.log(
    `old / new: CPU ${(mean('old', 'cpu') / mean('new', 'cpu')).toFixed(2)}×, wall ${(mean('old', 'wall') / mean('new', 'wall')).toFixed(2)}× ` +
      `(goal ≥ 1.6× alone on the machine; a loaded host's wall time says how it shared its cores)`,
  );
}

/** One smoke run of the checkout in `dir`, in a fresh workspace. */
async function smokeRun(side: 'old' | 'new', dir: string): Promise<SmokeRun> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), `collapse-lab-bench-smoke-${side}-`));
  try {
    const load0 = os.loadavg()[0];
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      ['--import', USAGE_HOOK, 'bin/collapse-lab.mjs', 'run', '--preset', 'smoke', '--out', workspace, '--json'],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
    );
    let usage = '';
    let stderr = '';
    child.stdio[3]!.on('data', (d: Buffer) => (usage += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const wall = (performance.now() - t0) / 1000;
    if (code !== 0) throw new Error(`bench smoke: the ${side} run exited ${code}: ${stderr.trim().slice(-500)}`);
    const used = JSON.parse(usage) as { userCPUTime: number; systemCPUTime: number };
    const [runDir] = fs.readdirSync(workspace).filter((f) => fs.existsSync(path.join(workspace, f, 'metrics.jsonl')));
    const lines = fs
      .readFileSync(path.join(workspace, runDir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n');
    return {
      side,
      wall,
      cpu: (used.userCPUTime + used.systemCPUTime) / 1e6,
      load: [load0, os.loadavg()[0]],
      last: JSON.parse(lines[lines.length - 1]) as Record<string, unknown>,
    };
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

function fmt(v: unknown): string {
  return typeof v === 'number' ? v.toPrecision(6) : String(v);
}
