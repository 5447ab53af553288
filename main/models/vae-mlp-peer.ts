import { parentPort } from 'node:worker_threads';
import { initBackend } from '../backend/select-backend';
import { adamStep } from './adam-flat';
import { VaeMlpShard } from './vae-mlp-net';
import {
  CMD_STOP,
  CTL_COMMAND,
  META_BATCH,
  META_LOSS1,
  META_STEP,
  adamSplit,
  shardSplit,
  type SharedTrainingState,
} from './vae-mlp-shared-state';
import { BrokenBarrierError, SharedBarrier } from '../util/shared-barrier';

/**
 * The second thread of data-parallel VAE-MLP training (see main/models/vae-mlp-trainer.ts): on its own wasm backend
 * it computes shard 1 of every batch and applies Adam to the upper half of the shared parameters, in lock step with
 * the trainer through a SharedBarrier. Posts 'ready' once the backend is up, then 'done' (or 'error') per session.
 */

function train(state: SharedTrainingState): void {
  const ctl = new Int32Array(state.ctl);
  const meta = new Float64Array(state.meta);
  const data = new Float32Array(state.data);
  const params = new Float32Array(state.params);
  const m = new Float32Array(state.m);
  const v = new Float32Array(state.v);
  const grads = [new Float32Array(state.grad0), new Float32Array(state.grad1)];
  const rows = new Int32Array(state.rows);
  const eps = new Float32Array(state.eps);
  const latent = state.arch.latent;
  const barrier = new SharedBarrier(ctl, 2);
  const shard = new VaeMlpShard(state.arch);
  try {
    for (;;) {
      barrier.arrive(); // a step (or the stop) is posted
      if (Atomics.load(ctl, CTL_COMMAND) === CMD_STOP) break;
      // read the step's settings now: once both shards are done the trainer may already post the next step
      const b = meta[META_BATCH];
      const t = meta[META_STEP];
      const h = shardSplit(b);
      shard.setParams(params);
      meta[META_LOSS1] = shard.lossAndGrads(data, rows.subarray(h, b), eps.subarray(h * latent, b * latent), b, grads[1]);
      barrier.arrive(); // both shards' gradients are ready
      adamStep(state.adam, t, params, m, v, grads, adamSplit(params.length), params.length);
    }
  } catch (err) {
    if (!(err instanceof BrokenBarrierError)) {
      barrier.break();
      throw err;
    }
  } finally {
    shard.dispose();
  }
}

const port = parentPort;
if (!port) throw new Error('vae-mlp-peer must run in a worker thread');
await initBackend('wasm');
port.on('message', (msg: { type: string; state: SharedTrainingState }) => {
  if (msg.type !== 'train') return;
  try {
    train(msg.state);
    port.postMessage({ type: 'done' });
  } catch (err) {
    port.postMessage({ type: 'error', message: (err as Error).stack ?? String(err) });
  }
});
port.postMessage({ type: 'ready' });
