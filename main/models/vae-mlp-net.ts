import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/random';
import { vaeLossAndGrads } from './vae-mlp-backward';
import { modelEntry } from '../contract/models/catalog';

/** Rows per sampling call (the kind's entry: the GPU memory check reads the same number). */
const SAMPLE_CHUNK = modelEntry('vae-mlp').sampleChunk!;

/**
 * The VAE-MLP network as functions of one flat Float32 parameter vector, so that trainers can move parameters and
 * gradients between threads as plain (shared) arrays and apply Adam in place (main/models/adam-flat.ts).
 *
 * Layers (weights [in, out] then bias [out], in this order): encoder dim → hidden[0] → … → hidden[k−1]
 * (LeakyReLU 0.2 after each), one head hidden[k−1] → 2·latent (the mean and the log-variance side by side: the same
 * function as two separate heads), decoder latent → hidden[k−1] → … → hidden[0] (LeakyReLU 0.2) → dim (sigmoid).
 * Loss per batch: (BCE summed over pixels + KL) / batch size, with the BCE computed from the logits as
 * softplus(l) − x·l (the same value as −x·log σ(l) − (1 − x)·log(1 − σ(l)), stable, and one op fewer than the sigmoid
 * form).
 */

export interface VaeMlpArch {
  dim: number;
  hidden: number[];
  latent: number;
}

export interface ParamSlot {
  name: string;
  shape: [number, number] | [number];
  offset: number;
  size: number;
}

export const LEAK = 0.2;

/** The layers as [in, out] pairs, in parameter order. */
export function layerDims(arch: VaeMlpArch): [number, number][] {
  const dims: [number, number][] = [];
  let prev = arch.dim;
  for (const h of arch.hidden) {
    dims.push([prev, h]);
    prev = h;
  }
  dims.push([prev, 2 * arch.latent]);
  prev = arch.latent;
  for (const h of [...arch.hidden].reverse()) {
    dims.push([prev, h]);
    prev = h;
  }
  dims.push([prev, arch.dim]);
  return dims;
}

/** Where each weight and bias lives in the flat parameter vector. */
export function paramLayout(arch: VaeMlpArch): ParamSlot[] {
  const slots: ParamSlot[] = [];
  let offset = 0;
  const enc = arch.hidden.length;
  layerDims(arch).forEach(([i, o], l) => {
    const name = l < enc ? `enc${l}` : l === enc ? 'head' : `dec${l - enc - 1}`;
    slots.push({ name: `${name}.w`, shape: [i, o], offset, size: i * o });
    offset += i * o;
    slots.push({ name: `${name}.b`, shape: [o], offset, size: o });
    offset += o;
  });
  return slots;
}

export function paramCount(arch: VaeMlpArch): number {
  const last = paramLayout(arch).at(-1)!;
  return last.offset + last.size;
}

/** PyTorch's default nn.Linear initialisation (weights and biases uniform in ±1/√fan-in), from the seeded Rng. */
export function initParams(arch: VaeMlpArch, rng: Rng): Float32Array {
  const p = new Float32Array(paramCount(arch));
  for (const s of paramLayout(arch)) {
    const bound = 1 / Math.sqrt(s.shape.length === 2 ? s.shape[0] : fanInOfBias(arch, s));
    for (let i = 0; i < s.size; i++) p[s.offset + i] = (2 * rng.uniform() - 1) * bound;
  }
  return p;
}

function fanInOfBias(arch: VaeMlpArch, bias: ParamSlot): number {
  const w = paramLayout(arch).find((s) => s.name === bias.name.replace(/\.b$/, '.w'))!;
  return w.shape[0];
}

/** Parameter tensors made from the flat vector (copies; the caller disposes them). */
export function paramTensors(arch: VaeMlpArch, flat: Float32Array): tf.Tensor[] {
  // the wasm backend copies a tensor's values into its heap when the tensor is made, so views suffice there (3.1 →
  // 0.3 ms for the 1.1 M parameters of 784-400-400-20, measured); other backends may keep the array they are given
  const view = tf.getBackend() === 'wasm';
  return paramLayout(arch).map((s) =>
    tf.tensor(view ? flat.subarray(s.offset, s.offset + s.size) : flat.slice(s.offset, s.offset + s.size), s.shape),
  );
}

function dense(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return tf.add(tf.matMul(x, w as tf.Tensor2D), b);
}

/** Mean and log-variance of q(z | x). */
export function encode(arch: VaeMlpArch, p: tf.Tensor[], x: tf.Tensor2D): { mu: tf.Tensor2D; logVar: tf.Tensor2D } {
  let h = x;
  let k = 0;
  for (let i = 0; i < arch.hidden.length; i++, k += 2) h = tf.leakyRelu(dense(h, p[k], p[k + 1]), LEAK);
  const head = dense(h, p[k], p[k + 1]);
  return {
    mu: tf.slice(head, [0, 0], [-1, arch.latent]),
    logVar: tf.slice(head, [0, arch.latent], [-1, arch.latent]),
  };
}

/** Decoder logits (apply a sigmoid for pixel means). */
export function decodeLogits(arch: VaeMlpArch, p: tf.Tensor[], z: tf.Tensor2D): tf.Tensor2D {
  let h = z;
  let k = 2 * (arch.hidden.length + 1);
  for (let i = 0; i < arch.hidden.length; i++, k += 2) h = tf.leakyRelu(dense(h, p[k], p[k + 1]), LEAK);
  return dense(h, p[k], p[k + 1]);
}

/**
 * Σ over the rows of (BCE summed over pixels + KL), divided by `divisor` (the full batch size: a batch split into
 * shards sums the shards' losses and gradients). `eps` is the reparameterisation noise, one row per sample.
 */
export function vaeLoss(arch: VaeMlpArch, p: tf.Tensor[], x: tf.Tensor2D, eps: tf.Tensor2D, divisor: number): tf.Scalar {
  const { mu, logVar } = encode(arch, p, x);
  const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D;
  const logits = decodeLogits(arch, p, z);
  const bce = tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits)));
  const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mu)), tf.exp(logVar))));
  return tf.div(tf.add(bce, kl), divisor) as tf.Scalar;
}

/**
 * Loss and gradients of one shard of a batch, on the current tfjs backend. Parameters are uploaded with
 * `setParams` (after every optimiser step); gradients are written into a flat array laid out like the parameters.
 */
export class VaeMlpShard {
  private params: tf.Tensor[] = [];
  private readonly layout: ParamSlot[];

  constructor(readonly arch: VaeMlpArch) {
    this.layout = paramLayout(arch);
  }

  setParams(flat: Float32Array): void {
    tf.dispose(this.params);
    this.params = paramTensors(this.arch, flat);
  }

  /**
   * Rows `rows` of `data` ([n, dim] row-major) with noise `eps` ([rows.length, latent]); the loss is divided by
   * `divisor`. Writes ∂loss/∂params into `gradOut` and returns the loss. With no rows, writes zeros.
   */
  lossAndGrads(data: Float32Array, rows: ArrayLike<number>, eps: Float32Array, divisor: number, gradOut: Float32Array): number {
    const out = this.compute(data, rows, eps, divisor);
    if (!out) {
      gradOut.fill(0);
      return 0;
    }
    // read back outside any tidy: reading inside tidy is ~25× slower (FIELD-NOTES)
    for (let i = 0; i < out.grads.length; i++) gradOut.set(out.grads[i].dataSync() as Float32Array, this.layout[i].offset);
    const loss = out.value.dataSync()[0];
    tf.dispose([out.value, ...out.grads]);
    return loss;
  }

  /** lossAndGrads with asynchronous reads: the same numbers, on any backend (webgpu has no synchronous read in Node). */
  async lossAndGradsAsync(
    data: Float32Array,
    rows: ArrayLike<number>,
    eps: Float32Array,
    divisor: number,
    gradOut: Float32Array,
  ): Promise<number> {
    const out = this.compute(data, rows, eps, divisor);
    if (!out) {
      gradOut.fill(0);
      return 0;
    }
    try {
      const values = await Promise.all(out.grads.map((g) => g.data()));
      for (let i = 0; i < values.length; i++) gradOut.set(values[i] as Float32Array, this.layout[i].offset);
      return (await out.value.data())[0];
    } finally {
      tf.dispose([out.value, ...out.grads]);
    }
  }

  private compute(
    data: Float32Array,
    rows: ArrayLike<number>,
    eps: Float32Array,
    divisor: number,
  ): { value: tf.Scalar; grads: tf.Tensor[] } | null {
    const b = rows.length;
    if (b === 0) return null;
    const dim = this.arch.dim;
    const xs = new Float32Array(b * dim);
    for (let i = 0; i < b; i++) xs.set(data.subarray(rows[i] * dim, (rows[i] + 1) * dim), i * dim);
    const x = tf.tensor2d(xs, [b, dim]);
    const e = tf.tensor2d(eps, [b, this.arch.latent]);
    // wasm: the gradients written out by hand (a third faster; vae-mlp-backward.ts); other backends: tfjs's autograd
    const out =
      tf.getBackend() === 'wasm'
        ? (({ loss, grads }) => ({ value: loss, grads }))(vaeLossAndGrads(this.arch, this.params, x, e, divisor))
        : tf.valueAndGrads((...p: tf.Tensor[]) => vaeLoss(this.arch, p, x, e, divisor))(this.params);
    tf.dispose([x, e]);
    return out;
  }

  dispose(): void {
    tf.dispose(this.params);
    this.params = [];
  }
}

/** Decode latents z ([n, latent]) to pixel means in [0, 1] with the parameters `flat`, in chunks. */
export async function decodeMeans(
  arch: VaeMlpArch,
  flat: Float32Array,
  z: Float32Array,
  n: number,
  chunk = SAMPLE_CHUNK,
): Promise<Float32Array> {
  const out = new Float32Array(n * arch.dim);
  const p = paramTensors(arch, flat);
  try {
    for (let s = 0; s < n; s += chunk) {
      const m = Math.min(chunk, n - s);
      const zt = tf.tensor2d(z.subarray(s * arch.latent, (s + m) * arch.latent), [m, arch.latent]);
      const y = tf.tidy(() => tf.sigmoid(decodeLogits(arch, p, zt)));
      out.set((await y.data()) as Float32Array, s * arch.dim);
      tf.dispose([zt, y]);
    }
  } finally {
    tf.dispose(p);
  }
  return out;
}
