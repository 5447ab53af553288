import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/random';
import { readFloat32File, writeArrayFile } from './checkpoint-files';

/**
 * Named, seeded trainable tensors for the functional TensorFlow.js models of the zoo (WGAN-GP, conv VAE, DDPM).
 * The models are written as plain functions of these variables rather than tf.LayersModel because the WGAN-GP's
 * gradient penalty differentiates through the critic twice, and because initialisation must come from the seeded Rng
 * (tfjs's own initialisers draw from an unseeded global stream). Saved as one little-endian Float32 file plus a
 * manifest of names and shapes.
 */
export interface ParamManifestEntry {
  name: string;
  shape: number[];
}

export class ParamSet {
  readonly vars = new Map<string, tf.Variable>();

  constructor(private readonly prefix: string) {}

  /** A variable with values uniform in [−bound, bound] (PyTorch's default for conv and linear: bound = 1/√fanIn). */
  uniform(name: string, shape: number[], bound: number, rng: Rng): tf.Variable {
    const size = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(size);
    for (let i = 0; i < size; i++) v[i] = (2 * rng.uniform() - 1) * bound;
    return this.add(name, tf.tensor(v, shape));
  }

  constant(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, tf.fill(shape, value));
  }

  private add(name: string, init: tf.Tensor): tf.Variable {
    if (this.vars.has(name)) throw new Error(`parameter ${name} defined twice`);
    const v = tf.variable(init, true, `${this.prefix}/${name}/${uniqueSuffix()}`);
    init.dispose();
    this.vars.set(name, v);
    return v;
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`unknown parameter ${name}`);
    return v;
  }

  list(): tf.Variable[] {
    return [...this.vars.values()];
  }

  manifest(): ParamManifestEntry[] {
    return [...this.vars.entries()].map(([name, v]) => ({ name, shape: v.shape.slice() }));
  }

  async save(dir: string, file: string): Promise<ParamManifestEntry[]> {
    const entries = this.manifest();
    const total = entries.reduce((s, e) => s + e.shape.reduce((a, b) => a * b, 1), 0);
    const buf = new Float32Array(total);
    let off = 0;
    for (const [, v] of this.vars) {
      const d = await v.data();
      buf.set(d as Float32Array, off);
      off += d.length;
    }
    await writeArrayFile(dir, file, buf);
    return entries;
  }

  /** Assign saved values; the manifest must match this set's names and shapes. */
  async load(dir: string, file: string, manifest: ParamManifestEntry[]): Promise<void> {
    const mine = this.manifest();
    if (
      mine.length !== manifest.length ||
      mine.some((e, i) => e.name !== manifest[i].name || e.shape.join() !== manifest[i].shape.join())
    ) {
      throw new Error(`checkpoint ${dir}/${file}: parameters do not match the model's (${this.prefix})`);
    }
    const total = mine.reduce((s, e) => s + e.shape.reduce((a, b) => a * b, 1), 0);
    const buf = await readFloat32File(dir, file, total);
    let off = 0;
    for (const [, v] of this.vars) {
      const n = v.size;
      const t = tf.tensor(buf.subarray(off, off + n), v.shape);
      v.assign(t);
      t.dispose();
      off += n;
    }
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

let counter = 0;
function uniqueSuffix(): string {
  return String(counter++);
}

/**
 * Instance normalisation (Ulyanov et al.), as PyTorch's InstanceNorm2d with affine = false: each sample's each channel
 * is normalised over height and width, eps 1e-5 (biased variance). Written here because tfjs has no such layer.
 */
export function instanceNorm(x: tf.Tensor4D, eps = 1e-5): tf.Tensor4D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [1, 2], true);
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))) as tf.Tensor4D;
  });
}

/** Standard normals from the seeded Rng as a tensor. */
export function normalTensor(shape: number[], rng: Rng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(size);
  for (let i = 0; i < size; i++) v[i] = rng.normal();
  return tf.tensor(v, shape);
}

/** Uniforms in [lo, hi) from the seeded Rng as a tensor. */
export function uniformTensor(shape: number[], lo: number, hi: number, rng: Rng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(size);
  for (let i = 0; i < size; i++) v[i] = lo + (hi - lo) * rng.uniform();
  return tf.tensor(v, shape);
}

/** Rows `idx` of a row-major [n, dim] array, as a tensor of the given per-sample shape. */
export function batchTensor(x: Float32Array, dim: number, idx: ArrayLike<number>, from: number, to: number, shape: number[]): tf.Tensor {
  const b = to - from;
  const out = new Float32Array(b * dim);
  for (let i = from; i < to; i++) out.set(x.subarray(idx[i] * dim, (idx[i] + 1) * dim), (i - from) * dim);
  return tf.tensor(out, [b, ...shape]);
}

/** Let pending events (an abort, progress messages) run between batches. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
