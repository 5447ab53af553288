import { availableParallelism, loadavg } from 'node:os';

/**
 * Timing in blocks, the way every benchmark of the project reports a rate: a warm-up, then several blocks of about
 * `blockSeconds` each, the median of the blocks' rates as the figure, and the machine's 1-minute load average before
 * and after each block so that a figure measured while other processes shared the cores says so. The Python twin is
 * bench/reference/reference_timing.py.
 */
export interface BlockRate {
  /** Items per second in this block. */
  rate: number;
  loadBefore: number;
  loadAfter: number;
}

export interface BlockedRate {
  /** Median of the blocks' rates, items per second. */
  median: number;
  blocks: BlockRate[];
}

export interface TimedBlocksOptions {
  blockSeconds: number;
  blocks: number;
  /** Calls before the first block (default 1). */
  warmup?: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

export function load1(): number {
  return loadavg()[0];
}

export function cores(): number {
  return availableParallelism();
}

/** Busy: the 1-minute load average is above half the cores (the other half of the machine is not idle). */
export function isBusy(load: number, coreCount = cores()): boolean {
  return load > coreCount * 0.5;
}

/** Times `step` (which handles `perCall` items) in blocks; see the module comment. */
export async function timeBlocks(step: () => unknown, perCall: number, opts: TimedBlocksOptions): Promise<BlockedRate> {
  if (!(opts.blockSeconds > 0)) throw new RangeError(`timeBlocks: blockSeconds must be positive, got ${opts.blockSeconds}`);
  if (!Number.isInteger(opts.blocks) || opts.blocks < 1)
    throw new RangeError(`timeBlocks: blocks must be a positive integer, got ${opts.blocks}`);
  for (let i = 0; i < (opts.warmup ?? 1); i++) await step();
  const blocks: BlockRate[] = [];
  for (let b = 0; b < opts.blocks; b++) {
    const loadBefore = load1();
    let calls = 0;
    const t0 = performance.now();
    let elapsed = 0;
    while (calls === 0 || elapsed < opts.blockSeconds * 1000) {
      await step();
      calls++;
      elapsed = performance.now() - t0;
    }
    blocks.push({ rate: (calls * perCall) / (elapsed / 1000), loadBefore, loadAfter: load1() });
  }
  return { median: median(blocks.map((b) => b.rate)), blocks };
}

/** "load 1.9→2.3" over the blocks, with " BUSY" when any block started or ended busy. */
export function describeLoad(blocks: readonly BlockRate[], coreCount = cores()): string {
  if (!blocks.length) return 'load –';
  const first = blocks[0].loadBefore;
  const last = blocks.at(-1)!.loadAfter;
  const busy = blocks.some((b) => isBusy(b.loadBefore, coreCount) || isBusy(b.loadAfter, coreCount));
  return `load ${first.toFixed(1)}→${last.toFixed(1)}${busy ? ' BUSY' : ''}`;
}
