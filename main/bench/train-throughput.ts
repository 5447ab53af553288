import { initBackend, type BackendRequest } from '../backend/select-backend';
import { measureMatmulPeak } from './matmul-peak';
import { openModelSteps } from './model-steps';
import { describeLoad, timeBlocks, type BlockRate } from './timed-blocks';

/**
 * Per-step throughput of a neural model (images per second, warm-up excluded, median of several blocks) on
 * MNIST-shaped data: each of its timed steps (main/bench/model-steps.ts: train, or wgan-gp's critic and generator;
 * sample), with the FLOPs per image of each step, the GFLOP/s they reach and, when asked, the fraction of the backend's
 * matMul peak on one thread (main/bench/matmul-peak.ts). The load average before and after each block is kept.
 */
export interface TrainThroughputOptions {
  model: string;
  batch: number;
  /** Timed seconds per step, split into `blocks` blocks (default 10 s, 3 blocks). */
  seconds?: number;
  blocks?: number;
  backend?: string;
  /** vae-mlp: 1 or 2 training threads (2 needs wasm). */
  workers?: number;
  /** Candidates drawn by one sampling call (default 512; ddpm 32). */
  samples?: number;
  /** Model param overrides (catalog names), e.g. { width: 64 }. */
  params?: Record<string, unknown>;
  /** Also measure the backend's matMul peak and report each step's fraction of it. */
  peak?: boolean;
}

export interface StepThroughput {
  imagesPerSecond: number;
  /** FLOPs per image and the GFLOP/s they reach, where the bench knows the step's FLOPs (the refined steps). */
  flopsPerImage?: number;
  gflops?: number;
  /** Fraction of the matMul peak (with `peak`). */
  peakFraction?: number;
  blocks: BlockRate[];
}

export interface TrainThroughput {
  model: string;
  /** Training images of data per second through a whole epoch: the train step's rate; for wgan-gp one image costs criticSteps critic steps and one generator step. */
  imagesPerSecond: number;
  backend: string;
  /** Training workers (vae-mlp's data-parallel threads; 1 otherwise). */
  workers: number;
  /** Threads of the backend itself (the wasm backend's thread pool, COLLAPSE_LAB_WASM_THREADS; 1 for cpu). */
  backendThreads: number;
  /** Threads the step uses in all: workers × backend threads. */
  threads: number;
  batch: number;
  samples: number;
  setting: string;
  /** Trainable parameters, where the bench counts them. */
  params?: number;
  steps: Record<string, StepThroughput>;
  peakGflops?: number;
  load: string;
}

export async function measureTrainThroughput(opts: TrainThroughputOptions): Promise<TrainThroughput> {
  const seconds = opts.seconds ?? 10;
  const blocks = opts.blocks ?? 3;
  if (!(seconds > 0)) throw new RangeError(`bench: --seconds must be positive, got ${opts.seconds}`);
  if (!Number.isInteger(blocks) || blocks < 1) throw new RangeError(`bench: --blocks must be a positive integer, got ${opts.blocks}`);
  if (opts.workers !== undefined && opts.workers !== 1 && opts.workers !== 2) {
    throw new RangeError(`bench: --workers must be 1 or 2, got ${opts.workers}`);
  }
  const info = await initBackend((opts.backend ?? 'auto') as BackendRequest);
  const samples = opts.samples ?? (opts.model === 'ddpm' ? 32 : 512);
  const ms = await openModelSteps({
    model: opts.model,
    batch: opts.batch,
    samples,
    workers: opts.workers as 1 | 2 | undefined,
    params: opts.params,
  });
  const steps: Record<string, StepThroughput> = {};
  const allBlocks: BlockRate[] = [];
  try {
    for (const s of ms.steps) {
      const r = await timeBlocks(s.run, s.perCall, { blockSeconds: seconds / blocks, blocks, warmup: s.name === 'sample' ? 1 : 3 });
      const flopsPerImage = ms.flops?.steps[s.name];
      steps[s.name] = {
        imagesPerSecond: r.median,
        ...(flopsPerImage === undefined ? {} : { flopsPerImage, gflops: (flopsPerImage * r.median) / 1e9 }),
        blocks: r.blocks,
      };
      allBlocks.push(...r.blocks);
    }
  } finally {
    await ms.close();
  }
  let peakGflops: number | undefined;
  if (opts.peak) {
    peakGflops = (await measureMatmulPeak()).median;
    for (const s of Object.values(steps)) if (s.gflops !== undefined) s.peakFraction = s.gflops / peakGflops;
  }
  const imagesPerSecond =
    ms.criticSteps !== undefined
      ? 1 / (ms.criticSteps / steps.critic.imagesPerSecond + 1 / steps.generator.imagesPerSecond)
      : steps.train.imagesPerSecond;
  return {
    model: ms.model,
    imagesPerSecond,
    backend: info.name,
    workers: ms.threads,
    backendThreads: info.threads ?? 1,
    threads: ms.threads * (info.threads ?? 1),
    batch: opts.batch,
    samples,
    setting: ms.setting,
    params: ms.params,
    steps,
    peakGflops,
    load: describeLoad(allBlocks),
  };
}
