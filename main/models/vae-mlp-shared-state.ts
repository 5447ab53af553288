import { BARRIER_SLOTS } from '../util/shared-barrier';
import type { AdamConfig } from './adam-flat';
import type { VaeMlpArch } from './vae-mlp-net';

/**
 * The memory shared by the two threads of data-parallel VAE-MLP training (main/models/vae-mlp-trainer.ts and its peer
 * main/models/vae-mlp-peer.ts), and how a batch and the parameters are divided between them.
 */

/** The SharedArrayBuffers and settings a peer needs (posted to it once per training session). */
export interface SharedTrainingState {
  arch: VaeMlpArch;
  adam: AdamConfig;
  n: number;
  maxBatch: number;
  ctl: SharedArrayBuffer;
  meta: SharedArrayBuffer;
  data: SharedArrayBuffer;
  params: SharedArrayBuffer;
  m: SharedArrayBuffer;
  v: SharedArrayBuffer;
  grad0: SharedArrayBuffer;
  grad1: SharedArrayBuffer;
  rows: SharedArrayBuffer;
  eps: SharedArrayBuffer;
}

/** Int32 control cells after the barrier's. */
export const CTL_COMMAND = BARRIER_SLOTS;
export const CTL_CELLS = BARRIER_SLOTS + 4;
export const CMD_STEP = 0;
export const CMD_STOP = 1;
/** Float64 meta cells. */
export const META_LOSS0 = 0;
export const META_LOSS1 = 1;
export const META_STEP = 2;
export const META_BATCH = 3;

/** Shard 0's rows of a batch of b: [0, h); shard 1's: [h, b). */
export function shardSplit(b: number): number {
  return Math.ceil(b / 2);
}

/** Thread 0 updates parameters [0, split), thread 1 [split, P). */
export function adamSplit(p: number): number {
  return Math.floor(p / 2);
}
