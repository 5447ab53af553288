/**
 * How every benchmark runs and describes its reference (PyTorch, NumPy/SciPy, POT), so that each figure stands beside a
 * reference measured at the same thread count under a named kernel:
 *   - the reference runs under /usr/bin/python3 (Debian's numpy/scipy/torch/POT) with OPENBLAS_CORETYPE and
 *     OPENBLAS_L2_SIZE removed from its environment (this machine sets them, which forces OpenBLAS's slower Haswell
 *     kernel) and OMP_NUM_THREADS / OPENBLAS_NUM_THREADS / MKL_NUM_THREADS set to the thread count;
 *   - describeKernels names what then runs (bench/reference/describe_kernels.py: OpenBLAS's kernel and threads,
 *     oneDNN's ISA, ATen's CPU capability);
 *   - thread counts are 1 and all cores (the per-core comparison first);
 *   - load lines: the 1-minute load average before and after a block, with a warning when the machine was busy
 *     (load > cores·0.5); the rates themselves are medians of several blocks (main/bench/timed-blocks.ts and its
 *     Python twin bench/reference/reference_timing.py).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cores, isBusy, load1, type BlockRate } from '../main/bench/timed-blocks';

export const PYTHON = '/usr/bin/python3';
export const OPENBLAS_OVERRIDES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

/** Thread counts every comparison is made at: one thread, then all cores. */
export function threadCounts(): number[] {
  const all = cores();
  return all > 1 ? [1, all] : [1];
}

/** Seconds per timed step and blocks per step, from BENCH_SECONDS / BENCH_BLOCKS (defaults 6 s in 3 blocks). */
export function benchTiming(): { seconds: number; blocks: number } {
  const seconds = Number(process.env.BENCH_SECONDS ?? 6);
  const blocks = Number(process.env.BENCH_BLOCKS ?? 3);
  if (!(seconds > 0)) throw new RangeError(`BENCH_SECONDS must be a positive number, got "${process.env.BENCH_SECONDS}"`);
  if (!Number.isInteger(blocks) || blocks < 1)
    throw new RangeError(`BENCH_BLOCKS must be a positive integer, got "${process.env.BENCH_BLOCKS}"`);
  return { seconds, blocks };
}

/** The environment of a reference process at `threads` threads (see the module comment). */
export function referenceEnv(threads: number, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const k of OPENBLAS_OVERRIDES) delete env[k];
  const t = String(threads);
  env.OMP_NUM_THREADS = t;
  env.OPENBLAS_NUM_THREADS = t;
  env.MKL_NUM_THREADS = t;
  return env;
}

export function referenceScript(name: string): string {
  return fileURLToPath(new URL(`./reference/${name}`, import.meta.url));
}

export type ReferenceResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Runs bench/reference/<script> at `threads` threads and parses the last line of its stdout as JSON. A run longer than
 * `timeoutSeconds` (default 300: PyTorch's OpenMP threads spin-wait, and on a loaded machine a multi-thread run can
 * crawl) is stopped and reported as timed out.
 */
export function runReference<T>(script: string, args: string[], threads: number, timeoutSeconds = 300): ReferenceResult<T> {
  if (!existsSync(PYTHON)) return { ok: false, error: `${PYTHON} not found` };
  const r = spawnSync(PYTHON, [referenceScript(script), ...args, '--threads', String(threads)], {
    encoding: 'utf8',
    env: referenceEnv(threads),
    maxBuffer: 64 * 2 ** 20,
    timeout: timeoutSeconds * 1000,
    killSignal: 'SIGKILL',
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT')
    return { ok: false, error: `${script} timed out after ${timeoutSeconds} s (machine busy?)` };
  if (r.status !== 0) return { ok: false, error: `${script}: ${(r.stderr || r.error?.message || 'failed').trim().split('\n').at(-1)}` };
  try {
    return { ok: true, value: JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as T };
  } catch {
    return { ok: false, error: `${script} printed no JSON line` };
  }
}

export interface KernelInfo {
  threads: number;
  torchThreads: number;
  numpy: string;
  torch: string;
  openblasOverrides: Record<string, string>;
  blas?: { library?: string; version?: string; kernel?: string; threads?: number; threading?: string };
  atenCapability?: string | null;
  onednn?: { version?: string | null; isa?: string | null };
}

const kernelCache = new Map<number, ReferenceResult<KernelInfo>>();

/** What the references run on at `threads` threads (cached per thread count). */
export function describeKernels(threads: number): ReferenceResult<KernelInfo> {
  let k = kernelCache.get(threads);
  if (!k) {
    if (!existsSync(PYTHON)) k = { ok: false, error: `${PYTHON} not found` };
    else {
      const r = spawnSync(PYTHON, [referenceScript('describe_kernels.py'), String(threads)], {
        encoding: 'utf8',
        env: referenceEnv(threads),
      });
      k =
        r.status === 0
          ? { ok: true, value: JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as KernelInfo }
          : { ok: false, error: (r.stderr || r.error?.message || 'failed').trim().split('\n').at(-1) ?? 'failed' };
    }
    kernelCache.set(threads, k);
  }
  return k;
}

/** One line naming the reference's threads and kernels, e.g. "1 thread: PyTorch 1.13, OpenBLAS 0.3.21 Cooperlake …". */
export function kernelLine(threads: number): string {
  const k = describeKernels(threads);
  if (!k.ok) return `${threads} thread${threads > 1 ? 's' : ''}: reference kernels unknown (${k.error})`;
  const v = k.value;
  const parts = [
    `PyTorch ${v.torch} (${v.torchThreads} intra-op thread${v.torchThreads > 1 ? 's' : ''}, ATen ${v.atenCapability ?? '?'})`,
    `NumPy ${v.numpy}`,
    v.blas
      ? `${v.blas.library ?? 'BLAS'} ${v.blas.version ?? ''} ${v.blas.kernel ?? '?'} kernel, ${v.blas.threads ?? '?'} thread${v.blas.threads === 1 ? '' : 's'}`
      : 'BLAS ?',
    v.onednn?.version ? `oneDNN ${v.onednn.version} ${v.onednn.isa ?? '?'}` : 'oneDNN ?',
  ];
  const forced = Object.entries(v.openblasOverrides);
  const warn = forced.length ? ` — WARNING: ${forced.map(([a, b]) => `${a}=${b}`).join(' ')} still set` : '';
  return `${threads} thread${threads > 1 ? 's' : ''}: ${parts.join('; ')}${warn}`;
}

/** "load 1.2 on 2 cores" plus a busy warning, for the start or end of a block of measurements. */
export function loadLine(label: string): string {
  const l = load1();
  return `${label}: load average ${l.toFixed(2)} on ${cores()} cores${isBusy(l) ? ' — WARNING: the machine is busy (load > cores·0.5); figures are lower bounds' : ''}`;
}

/** Whether any block of a measurement started or ended on a busy machine. */
export function anyBusy(blocks: readonly BlockRate[] | undefined): boolean {
  return !!blocks?.some((b) => isBusy(b.loadBefore) || isBusy(b.loadAfter));
}

/** The load range of a measurement's blocks, "1.9–2.3", with a trailing "!" when busy. */
export function loadRange(blocks: readonly BlockRate[] | undefined): string {
  if (!blocks?.length) return '–';
  const all = blocks.flatMap((b) => [b.loadBefore, b.loadAfter]);
  return `${Math.min(...all).toFixed(1)}–${Math.max(...all).toFixed(1)}${anyBusy(blocks) ? '!' : ''}`;
}
