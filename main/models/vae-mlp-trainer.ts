import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { SharedBarrier } from '../util/shared-barrier';
import { IdleWorkerPool } from '../util/idle-worker-pool';
import { adamStep, type AdamConfig } from './adam-flat';
import { AdamArena } from './adam-simd';
import { VaeMlpShard, paramCount, type VaeMlpArch } from './vae-mlp-net';
import { VaeMlpSimdStep } from './vae-mlp-simd';
import {
  CMD_STEP,
  CMD_STOP,
  CTL_COMMAND,
  CTL_CELLS,
  META_BATCH,
  META_LOSS0,
  META_LOSS1,
  META_STEP,
  adamSplit,
  shardSplit,
  type SharedTrainingState,
} from './vae-mlp-shared-state';

/**
 * Optimiser steps of the VAE-MLP, on one thread or data-parallel on two.
 *
 * A batch is processed as one shard, or as two (first ⌈b/2⌉ rows, the rest) whose losses and gradients are computed
 * separately and summed in shard order; Adam then runs over the flat parameters (main/models/adam-flat.ts, or its SIMD
 * form adam-simd.ts on one thread). One thread with one shard on wasm (the default) computes the loss and gradients
 * without TensorFlow.js, in the Adam arena's memory (main/models/vae-mlp-simd.ts); two shards and the cpu backend
 * go through tfjs.
 * With two threads (two shards), a peer worker (main/models/vae-mlp-peer.ts, its own wasm backend) computes shard 1
 * while this thread computes shard 0, and each applies Adam to half of the parameters; parameters, Adam moments,
 * gradients and the batch's rows and noise live in SharedArrayBuffers and the threads meet at a barrier twice per
 * step. One thread with two shards does the same arithmetic in the same order as two threads, so both give the same
 * weights for a seed; one shard differs from two only by float rounding.
 *
 * Measured on the 2-vCPU machine of this project (batch 128, 784-400-400-20, wasm, other jobs running): one thread
 * with one shard was the fastest (1,100–2,400 images/s depending on the load; fastest steps 42 ms ≈ 3,000 images/s),
 * one thread with two shards about 25% slower, two threads 550–2,000 images/s, never faster than one: the two vCPUs
 * share one core's SIMD throughput (two independent wasm matmul processes together ran at 1.0–1.1× one) while every
 * shard repeats the per-parameter work (weight upload and packing, transposes). So the default is one thread; two are an option (the model's
 * `trainingThreads` param, `bench train --workers 2`) for machines with two real cores. The cpu backend always uses
 * one thread.
 */

export interface TrainerData {
  x: Float32Array;
  n: number;
}

export interface TrainerOptions {
  arch: VaeMlpArch;
  data: TrainerData;
  /** Initial parameters (copied). */
  params: Float32Array;
  adam: AdamConfig;
  maxBatch: number;
  /** Training threads (default 1); 2 needs the wasm backend and implies two shards. */
  threads?: 1 | 2;
  /** Shards per batch (default: the number of threads). */
  shards?: 1 | 2;
}

const peers = new IdleWorkerPool(new URL('./vae-mlp-peer.ts', import.meta.url));

function shared(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(8, bytes));
}

export class VaeMlpTrainer {
  private t = 0;
  private readonly shard: VaeMlpShard;
  private readonly params: Float32Array;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private readonly grads: [Float32Array, Float32Array];
  private readonly data: Float32Array;
  // two-thread state
  private peer: Worker | null = null;
  private peerDone: Promise<void> | null = null;
  private barrier: SharedBarrier | null = null;
  private ctl: Int32Array | null = null;
  private meta: Float64Array | null = null;
  private rows: Int32Array | null = null;
  private eps: Float32Array | null = null;
  private closed = false;
  /** One thread: the arrays above and their Adam step in WebAssembly SIMD. */
  private arena: AdamArena | null = null;
  /** One thread, one shard on wasm: the loss and gradients in the arena's memory too (vae-mlp-simd.ts). */
  private simd: VaeMlpSimdStep | null = null;

  private constructor(
    private readonly opts: TrainerOptions,
    readonly threads: 1 | 2,
    readonly shards: 1 | 2,
    state: SharedTrainingState | null,
  ) {
    const p = paramCount(opts.arch);
    if (opts.params.length !== p) throw new RangeError(`vae-mlp trainer: expected ${p} parameters, got ${opts.params.length}`);
    this.shard = new VaeMlpShard(opts.arch);
    if (state) {
      this.params = new Float32Array(state.params);
      this.m = new Float32Array(state.m);
      this.v = new Float32Array(state.v);
      this.grads = [new Float32Array(state.grad0), new Float32Array(state.grad1)];
      this.data = new Float32Array(state.data);
      this.ctl = new Int32Array(state.ctl);
      this.meta = new Float64Array(state.meta);
      this.rows = new Int32Array(state.rows);
      this.eps = new Float32Array(state.eps);
      this.barrier = new SharedBarrier(this.ctl, 2);
    } else {
      // one thread: the flat arrays live in the SIMD Adam kernel's memory (adam-simd.ts: bit-identical, no copies);
      // with one shard on wasm, so do the activations and packed weights of the whole step (vae-mlp-simd.ts)
      const simd = shards === 1 && tf.getBackend() === 'wasm';
      this.arena = new AdamArena(p, 2, simd ? VaeMlpSimdStep.scratchBytes(opts.arch, opts.maxBatch) : 0);
      // on tfjs's threaded wasm build (a lone run: every core), a helper thread takes half of each kernel's work
      if (simd) this.simd = VaeMlpSimdStep.open(opts.arch, opts.maxBatch, this.arena, Math.min(2, getThreadsCount()));
      this.params = this.arena.params;
      this.m = this.arena.m;
      this.v = this.arena.v;
      this.grads = [this.arena.grads[0], this.arena.grads[1]];
      this.data = opts.data.x;
    }
    this.params.set(opts.params);
  }

  static async open(opts: TrainerOptions): Promise<VaeMlpTrainer> {
    const threads = opts.threads ?? 1;
    const shards = opts.shards ?? threads;
    if (threads === 2 && shards !== 2) throw new RangeError('vae-mlp trainer: two threads need two shards');
    if (threads === 1) return new VaeMlpTrainer(opts, 1, shards, null);
    if (tf.getBackend() !== 'wasm') throw new Error(`vae-mlp: two training threads need the wasm backend, not ${tf.getBackend()}`);
    const { arch, data } = opts;
    const p = paramCount(arch);
    const state: SharedTrainingState = {
      arch,
      adam: opts.adam,
      n: data.n,
      maxBatch: opts.maxBatch,
      ctl: shared(4 * CTL_CELLS),
      meta: shared(8 * 8),
      data: data.x.buffer instanceof SharedArrayBuffer && data.x.byteOffset === 0 ? data.x.buffer : shared(4 * data.n * arch.dim),
      params: shared(4 * p),
      m: shared(4 * p),
      v: shared(4 * p),
      grad0: shared(4 * p),
      grad1: shared(4 * p),
      rows: shared(4 * opts.maxBatch),
      eps: shared(4 * opts.maxBatch * arch.latent),
    };
    if (state.data !== data.x.buffer) new Float32Array(state.data).set(data.x.subarray(0, data.n * arch.dim));
    const trainer = new VaeMlpTrainer(opts, 2, 2, state);
    const peer = await peers.acquire();
    trainer.peer = peer;
    trainer.peerDone = new Promise<void>((resolve, reject) => {
      const onMessage = (msg: { type?: string; message?: string }) => {
        if (msg?.type === 'done') {
          cleanup();
          resolve();
        } else if (msg?.type === 'error') {
          cleanup();
          reject(new Error(`vae-mlp training peer: ${msg.message}`));
        }
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`vae-mlp training peer exited with code ${code}`));
      };
      const cleanup = () => {
        peer.off('message', onMessage);
        peer.off('exit', onExit);
      };
      peer.on('message', onMessage);
      peer.on('exit', onExit);
    });
    trainer.peerDone.catch(() => trainer.barrier?.break());
    peer.postMessage({ type: 'train', state });
    return trainer;
  }

  /** The current parameters (a view; copy it to keep it). */
  get currentParams(): Float32Array {
    return this.params;
  }

  /**
   * One Adam step on the batch `rows` (indices into the data) with reparameterisation noise `eps`
   * ([rows.length, latent]). Returns the batch's loss (mean over its samples).
   */
  async step(rows: ArrayLike<number>, eps: Float32Array): Promise<number> {
    if (this.closed) throw new Error('vae-mlp trainer: step after close');
    const b = rows.length;
    if (b < 1 || b > this.opts.maxBatch) throw new RangeError(`vae-mlp trainer: batch of ${b} (max ${this.opts.maxBatch})`);
    const latent = this.opts.arch.latent;
    const h = shardSplit(b);
    this.t += 1;
    const [g0, g1] = this.grads;
    if (this.simd) {
      const l = this.simd.lossAndGrads(this.data, rows, eps.subarray(0, b * latent), b);
      this.arena!.step(this.opts.adam, this.t, 1);
      return l;
    }
    if (this.shards === 1) {
      this.shard.setParams(this.params);
      const l = await this.shard.lossAndGradsAsync(this.data, Int32Array.from(rows), eps.subarray(0, b * latent), b, g0);
      this.arena!.step(this.opts.adam, this.t, 1);
      return l;
    }
    if (this.threads === 1) {
      this.shard.setParams(this.params);
      const r = Int32Array.from(rows);
      const l0 = await this.shard.lossAndGradsAsync(this.data, r.subarray(0, h), eps.subarray(0, h * latent), b, g0);
      const l1 = await this.shard.lossAndGradsAsync(this.data, r.subarray(h, b), eps.subarray(h * latent, b * latent), b, g1);
      this.arena!.step(this.opts.adam, this.t, 2);
      return l0 + l1;
    }
    const rowsBuf = this.rows!;
    for (let i = 0; i < b; i++) rowsBuf[i] = rows[i];
    this.eps!.set(eps.subarray(0, b * latent));
    const meta = this.meta!;
    meta[META_BATCH] = b;
    meta[META_STEP] = this.t;
    Atomics.store(this.ctl!, CTL_COMMAND, CMD_STEP);
    try {
      this.barrier!.arrive(); // the peer starts shard 1
      this.shard.setParams(this.params);
      meta[META_LOSS0] = this.shard.lossAndGrads(this.data, rowsBuf.subarray(0, h), this.eps!.subarray(0, h * latent), b, g0);
      this.barrier!.arrive(); // both shards' gradients are ready
      adamStep(this.opts.adam, this.t, this.params, this.m, this.v, this.grads, 0, adamSplit(this.params.length));
    } catch (err) {
      this.barrier!.break();
      throw err;
    }
    return meta[META_LOSS0] + meta[META_LOSS1];
  }

  /** Finish (waits for the peer's half of the last Adam step) and release the peer and tensors. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.shard.dispose();
    this.simd?.close();
    if (!this.peer) return;
    const peer = this.peer;
    this.peer = null;
    if (!this.barrier!.broken) {
      Atomics.store(this.ctl!, CTL_COMMAND, CMD_STOP);
      try {
        this.barrier!.arrive();
      } catch {
        // the peer failed; its message says why
      }
    }
    try {
      await this.peerDone; // 'done' also after a broken barrier: the peer is then idle and reusable
      peers.release(peer);
    } catch (err) {
      await peers.discard(peer);
      throw err;
    }
  }

  /** Break off a session (e.g. on cancel) without waiting for a step to finish. */
  async abort(): Promise<void> {
    this.barrier?.break();
    await this.close();
  }
}

/** Terminate idle training peers (for tests and clean shutdown; they never keep the process alive anyway). */
export async function closeTrainingPeers(): Promise<void> {
  await peers.close();
}
