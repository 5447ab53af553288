import * as tf from '@tensorflow/tfjs';
import { timeBlocks, type BlockRate } from './timed-blocks';

/**
 * The multiply-add peak of the current TensorFlow.js backend on this thread: the best GFLOP/s (2·m·k·n per product)
 * over a few large float32 matMuls (512³, 1024³ and 2048×784×400, the shape of a VAE decoder layer; on wasm, XNNPACK's
 * SIMD GEMM, one thread in Node), each the median of its blocks. The figure against which a training step's FLOPs/s is
 * a fraction (main/bench/training-flops.ts).
 */
export const PEAK_SHAPES: [number, number, number][] = [
  [512, 512, 512],
  [1024, 1024, 1024],
  [2048, 784, 400],
];

export interface MatmulPeak {
  /** GFLOP/s of the best shape. */
  median: number;
  shape: [number, number, number];
  blocks: BlockRate[];
  /** Median GFLOP/s of every shape tried. */
  byShape: { shape: [number, number, number]; gflops: number }[];
}

export async function measureMatmulPeak(
  opts: { shapes?: [number, number, number][]; blockSeconds?: number; blocks?: number } = {},
): Promise<MatmulPeak> {
  let best: MatmulPeak | null = null;
  const byShape: MatmulPeak['byShape'] = [];
  for (const shape of opts.shapes ?? PEAK_SHAPES) {
    const [m, k, n] = shape;
    const a = tf.randomUniform([m, k], -1, 1, 'float32', 1);
    const b = tf.randomUniform([k, n], -1, 1, 'float32', 2);
    try {
      const r = await timeBlocks(
        () => {
          const c = tf.matMul(a, b);
          c.dataSync();
          c.dispose();
        },
        (2 * m * k * n) / 1e9,
        { blockSeconds: opts.blockSeconds ?? 0.5, blocks: opts.blocks ?? 3, warmup: 2 },
      );
      byShape.push({ shape, gflops: r.median });
      if (!best || r.median > best.median) best = { median: r.median, shape, blocks: r.blocks, byShape };
    } finally {
      tf.dispose([a, b]);
    }
  }
  if (!best) throw new RangeError('measureMatmulPeak: no shapes');
  return best;
}
