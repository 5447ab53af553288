import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../main/util/random';
import { initBackend } from '../../main/backend/select-backend';

/** Helpers for backend tests: seeded inputs, running one computation on a named backend, relative error. */

export function randomArray(n: number, seed: number, scale = 1): Float32Array {
  const r = new Rng(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = r.normal() * scale;
  return a;
}

/** Run `f` on `backend` and read every returned tensor back as a Float32Array (inputs are built inside f). */
export async function runOn(backend: 'wasm' | 'cpu', f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await initBackend(backend);
  const outs = f();
  const list = Array.isArray(outs) ? outs : [outs];
  const values = list.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(list);
  return values;
}

export function maxRelErr(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  let err = 0;
  let scale = 1e-12;
  for (let i = 0; i < expected.length; i++) {
    err = Math.max(err, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return err / scale;
}
