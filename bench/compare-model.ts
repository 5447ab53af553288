/**
 * One neural model's steps on TensorFlow.js wasm beside its PyTorch reference, at one thread and at all cores: ours
 * through main/bench/train-throughput.ts (median of blocks), PyTorch through bench/reference/<script> run by
 * bench/reference-env.ts (OpenBLAS overrides unset, thread count set). Prints a table per model with each step's rate,
 * the ratios, the load range of the blocks, FLOPs per image and the fraction of the wasm matMul peak, checks that
 * both sides have the same number of parameters, and records the figures of issue 15's table.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../main/backend/select-backend';
import { describeAdapter, probeWebgpu } from '../main/backend/webgpu';
import { measureMatmulPeak } from '../main/bench/matmul-peak';
import type { BlockRate } from '../main/bench/timed-blocks';
import { measureTrainThroughput, type TrainThroughput } from '../main/bench/train-throughput';
import { recordFigure, type Figure } from './issue-table';
import { anyBusy, benchTiming, kernelLine, loadRange, runReference, threadCounts } from './reference-env';

export interface TorchModelResult {
  params: number;
  imagesPerSecond?: number;
  blocks: Record<string, BlockRate[]>;
  torch: string;
  threads: number;
  [rate: string]: unknown;
}

export interface ModelComparisonSpec {
  model: 'vae-mlp' | 'vae-conv' | 'wgan-gp' | 'ddpm';
  batch: number;
  samples: number;
  params?: Record<string, unknown>;
  /** bench/reference/<script> and its arguments (without --threads, --seconds, --blocks). */
  torchScript: string;
  torchArgs: string[];
  /** Ours on all cores: vae-mlp's data-parallel trainer (workers 2); other models have no threaded path. */
  oursAllCoresWorkers?: 2;
  /** Issue-table rows: step → [work label, goal]. */
  figures: Record<string, [string, number | undefined]>;
}

let peak: { gflops: number; shape: string } | null = null;

/** The wasm matMul peak, GFLOP/s on one thread, measured once per process. */
export async function wasmPeak(): Promise<{ gflops: number; shape: string }> {
  if (peak === null) {
    await initBackend('wasm');
    const p = await measureMatmulPeak();
    peak = { gflops: p.median, shape: p.shape.join('×') };
  }
  return peak;
}

/** Each step's images/s of `collapse-lab bench train` run with COLLAPSE_LAB_WASM_THREADS = threads, or null on failure. */
function oursWithWasmThreads(spec: ModelComparisonSpec, threads: number, seconds: number, blocks: number): Record<string, number> | null {
  const bin = fileURLToPath(new URL('../bin/collapse-lab.mjs', import.meta.url));
  const args = [bin, 'bench', 'train', '--model', spec.model, '--batch', String(spec.batch), '--samples', String(spec.samples)];
  args.push('--backend', 'wasm', '--seconds', String(seconds), '--blocks', String(blocks), '--json');
  if (spec.params) args.push('--params', JSON.stringify(spec.params));
  const r = spawnSync(process.execPath, args, {
    env: { ...process.env, COLLAPSE_LAB_WASM_THREADS: String(threads) },
    encoding: 'utf8',
    timeout: Math.max(180, 60 * seconds) * 1000,
  });
  try {
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
    if (out.threads !== threads) throw new Error(`ran with ${String(out.threads)} threads`);
    const rates: Record<string, number> = {};
    for (const [k, v] of Object.entries(out))
      if (k.endsWith('ImagesPerSecond') && typeof v === 'number') rates[k.slice(0, -'ImagesPerSecond'.length)] = v;
    return rates;
  } catch (err) {
    console.log(`  ours at ${threads} wasm threads failed: ${(err as Error).message}; ${r.stderr?.trim().split('\n').at(-1) ?? ''}`);
    return null;
  }
}

function fmtRate(v: number | null): string {
  return v === null ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

/** Two runs of the same reference merged: each rate the faster of the two, the blocks of both. */
export function fasterOf(a: TorchModelResult, b: TorchModelResult): TorchModelResult {
  const out: TorchModelResult = { ...b, blocks: { ...b.blocks } };
  for (const [k, v] of Object.entries(a)) {
    if ((k.endsWith('ImagesPerSecond') || k === 'imagesPerSecond') && typeof v === 'number') {
      const w = b[k];
      out[k] = typeof w === 'number' ? Math.max(v, w) : v;
    }
  }
  for (const [step, blocks] of Object.entries(a.blocks ?? {})) out.blocks[step] = [...blocks, ...(b.blocks?.[step] ?? [])];
  return out;
}

function torchRate(r: TorchModelResult, step: string): number | null {
  const v = r[`${step}ImagesPerSecond`] ?? (step === 'train' ? r.imagesPerSecond : undefined);
  return typeof v === 'number' ? v : null;
}

export async function compareModel(spec: ModelComparisonSpec): Promise<void> {
  const { seconds, blocks } = benchTiming();
  const threads = threadCounts();
  const all = threads.at(-1)!;
  const base = { model: spec.model, batch: spec.batch, samples: spec.samples, params: spec.params, seconds, blocks, backend: 'wasm' };
  const torchArgs = [...spec.torchArgs, '--seconds', String(seconds / blocks), '--blocks', String(blocks)];
  const torchTimeout = Math.max(120, 40 * seconds);
  // The reference at one thread runs before ours and again after: this host's speed drifts by up to 2× over minutes,
  // so each step is compared with the faster of the two (a ratio that favours the reference), and both are printed.
  process.stderr.write(`${spec.model}: PyTorch, 1 thread (before ours)…\n`);
  const torchBefore = runReference<TorchModelResult>(spec.torchScript, torchArgs, 1, torchTimeout);
  process.stderr.write(`${spec.model}: tfjs wasm, 1 thread…\n`);
  const ours1 = await measureTrainThroughput(base);
  let oursAll: TrainThroughput | null = null;
  if (spec.oursAllCoresWorkers && all > 1) {
    process.stderr.write(`${spec.model}: tfjs wasm, ${spec.oursAllCoresWorkers} threads…\n`);
    oursAll = await measureTrainThroughput({ ...base, workers: spec.oursAllCoresWorkers });
  }
  // the conv models use every core through the threaded wasm build (main/backend/wasm-threads.ts): a fresh process,
  // since the thread count is fixed when the backend starts
  let oursThreads: Record<string, number> | null = null;
  if (!spec.oursAllCoresWorkers && all > 1) {
    process.stderr.write(`${spec.model}: tfjs wasm, ${all} threads (COLLAPSE_LAB_WASM_THREADS)…\n`);
    oursThreads = oursWithWasmThreads(spec, all, seconds, blocks);
  }
  // a webgpu column where Dawn finds an adapter, labelled with it (here: llvmpipe, a software one)
  const probe = await probeWebgpu();
  const gpuLabel = 'adapter' in probe ? describeAdapter(probe.adapter) : null;
  let gpu: TrainThroughput | null = null;
  if (gpuLabel) {
    process.stderr.write(`${spec.model}: tfjs webgpu (${gpuLabel})…\n`);
    try {
      gpu = await measureTrainThroughput({ ...base, backend: 'webgpu' });
    } catch (err) {
      console.log(`  webgpu failed: ${(err as Error).message}`);
    }
  }
  const torch = new Map<number, TorchModelResult | string>();
  for (const t of threads) {
    process.stderr.write(`${spec.model}: PyTorch, ${t} thread${t > 1 ? 's' : ''}…\n`);
    const r = runReference<TorchModelResult>(spec.torchScript, torchArgs, t, torchTimeout);
    torch.set(t, r.ok ? r.value : r.error);
  }
  const after1 = torch.get(1);
  if (torchBefore.ok && typeof after1 === 'object') {
    const steps = Object.keys(ours1.steps);
    const pair = (name: string) => `${name} ${fmtRate(torchRate(torchBefore.value, name))} / ${fmtRate(torchRate(after1, name))}`;
    console.log(`  PyTorch 1 thread before / after ours (img/s): ${steps.map(pair).join(', ')}; the faster is compared`);
    torch.set(1, fasterOf(torchBefore.value, after1));
  }
  const { gflops: gflopsPeak, shape: peakShape } = await wasmPeak();
  const t1 = torch.get(1);
  const tAll = threads.length > 1 ? torch.get(all) : undefined;
  const ref1 = typeof t1 === 'object' ? t1 : null;
  const refAll = typeof tAll === 'object' ? tAll : null;

  console.log(
    `\n${spec.model}: ${ours1.setting}; params ours ${ours1.params}, PyTorch ${ref1?.params ?? '–'}${ref1 && ref1.params !== ours1.params ? '  — MISMATCH: not the same architecture' : ''}`,
  );
  for (const t of threads) console.log(`  reference ${kernelLine(t)}`);
  for (const [t, v] of torch) if (typeof v === 'string') console.log(`  PyTorch ${t} thread(s) failed: ${v}`);
  const head = [
    'step',
    'wasm 1',
    'torch 1',
    'ratio',
    `wasm ${all}`,
    `torch ${all}`,
    'ratio',
    'MFLOP/img',
    'wasm GFLOP/s',
    '% peak',
    'load wasm',
    'load torch 1',
    'webgpu',
    '× wasm 1',
  ];
  const rows: string[][] = [];
  for (const [name, s] of Object.entries(ours1.steps)) {
    const r1 = ref1 ? torchRate(ref1, name) : null;
    const rA = refAll ? torchRate(refAll, name) : null;
    const oA = oursThreads?.[name] ?? (oursAll && name === 'train' ? oursAll.steps.train.imagesPerSecond : null);
    const f = (v: number | null) => (v === null ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
    const q = (a: number | null, b: number | null) => (a !== null && b !== null ? `${(a / b).toFixed(2)}×` : '–');
    rows.push([
      name,
      f(s.imagesPerSecond),
      f(r1),
      q(s.imagesPerSecond, r1),
      oA === null ? '(1 thr)' : f(oA),
      f(rA),
      q(oA ?? s.imagesPerSecond, rA),
      s.flopsPerImage === undefined ? '–' : (s.flopsPerImage / 1e6).toFixed(1),
      s.gflops === undefined ? '–' : s.gflops.toFixed(2),
      s.gflops === undefined ? '–' : `${((100 * s.gflops) / gflopsPeak).toFixed(0)}%`,
      loadRange(s.blocks),
      loadRange(ref1?.blocks?.[name]),
      f(gpu?.steps[name]?.imagesPerSecond ?? null),
      q(gpu?.steps[name]?.imagesPerSecond ?? null, s.imagesPerSecond),
    ]);
    const fig = spec.figures[name];
    if (fig) {
      const figure: Figure = {
        work: fig[0],
        unit: 'images/s',
        ours1: s.imagesPerSecond,
        ref1: r1,
        oursAll: oA,
        oursAllThreads: oA === null ? undefined : oursThreads ? all : oursAll?.workers,
        refAll: rA,
        refAllThreads: rA === null ? undefined : all,
        goal: fig[1],
        busy: anyBusy(s.blocks) || anyBusy(ref1?.blocks?.[name]),
      };
      recordFigure(figure);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  if (gpuLabel) console.log(`  webgpu: ${gpuLabel}${gpu ? '' : ' (failed)'}`);
  console.log(
    `  images/s, median of ${blocks} blocks of ${(seconds / blocks).toFixed(1)} s; wasm matMul peak ${gflopsPeak.toFixed(1)} GFLOP/s (best shape ${peakShape}, 1 thread); "!" = busy block`,
  );
}
