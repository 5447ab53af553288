import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { SampleShape, Samples } from '../data/samples';
import { dimOf } from '../data/samples';
import { Rng, deriveSeed } from '../util/random';
import { modelEntry, vaeConvParams } from '../contract/models/catalog';

/** Rows per sampling call (the kind's entry: the GPU memory check reads the same number). */
const SAMPLE_CHUNK = modelEntry('vae-conv').sampleChunk!;
import { readModelJson } from './checkpoint-files';
import type { FitOptions, FitResult, GenerativeModel } from './generative-model';
import { trainMinibatches } from './minibatch-training';
import { loadParamSets, saveParamSets } from './param-checkpoint';
import { rowsInBatches } from './rows-in-batches';
import { ParamSet, batchTensor, normalTensor } from './tf-params';

export type VaeConvParams = z.output<typeof vaeConvParams>;

/**
 * A convolutional VAE for h×w×c images with values in [0, 1]. Encoder: per entry of `channels`, a conv k4 s2 p1 (halves
 * h and w) with bias and LeakyReLU(0.2); then a dense layer to the mean and log-variance (2·latent). Decoder: dense
 * latent → (h/2^L)·(w/2^L)·channels[L−1] with LeakyReLU, then transposed convs k4 s2 p1 back through the channels in
 * reverse and a last one to c channels, Bernoulli logits. Loss per sample: BCE summed over pixels (from the logits,
 * softplus(l) − x·l) + KL(q(z|x) ‖ N(0, I)). Adam. h and w must be divisible by 2^L (28×28 with two layers: 28 → 14 → 7).
 */
export class VaeConvModel implements GenerativeModel {
  readonly kind = 'vae-conv';
  readonly params: VaeConvParams;
  /** Trainable weights: enc{i}.w/b, head.w/b, dec.w/b, dect{i}.w/b (tfjs layouts). */
  readonly weights = new ParamSet('vae-conv');
  private initialised = false;
  private readonly h: number;
  private readonly w: number;
  private readonly c: number;

  constructor(
    params: z.input<typeof vaeConvParams>,
    readonly shape: SampleShape,
  ) {
    this.params = vaeConvParams.parse(params);
    if (shape.length !== 3) throw new RangeError(`vae-conv needs images [h, w, c], got shape [${shape.join(', ')}]`);
    [this.h, this.w, this.c] = shape;
    const f = 2 ** this.params.channels.length;
    if (this.h % f !== 0 || this.w % f !== 0) {
      throw new RangeError(
        `vae-conv: ${this.params.channels.length} stride-2 layers need h and w divisible by ${f}, got ${this.h}×${this.w}; ` +
          'use fewer model.params.channels',
      );
    }
  }

  private get bottleneck(): [number, number, number] {
    const f = 2 ** this.params.channels.length;
    return [this.h / f, this.w / f, this.params.channels.at(-1)!];
  }

  private init(seed: number): void {
    if (this.initialised) return;
    const rng = new Rng(deriveSeed(seed, 'vae-conv-init'));
    const ch = this.params.channels;
    const L = ch.length;
    let cin = this.c;
    ch.forEach((cout, i) => {
      const b = 1 / Math.sqrt(cin * 16);
      this.weights.uniform(`enc${i}.w`, [4, 4, cin, cout], b, rng);
      this.weights.uniform(`enc${i}.b`, [cout], b, rng);
      cin = cout;
    });
    const [bh, bw, bc] = this.bottleneck;
    const flat = bh * bw * bc;
    const lat = this.params.latent;
    this.weights.uniform('head.w', [flat, 2 * lat], 1 / Math.sqrt(flat), rng);
    this.weights.uniform('head.b', [2 * lat], 1 / Math.sqrt(flat), rng);
    this.weights.uniform('dec.w', [lat, flat], 1 / Math.sqrt(lat), rng);
    this.weights.uniform('dec.b', [flat], 1 / Math.sqrt(lat), rng);
    // transposed convs: filter [4, 4, out, in]
    for (let i = L - 1; i >= 0; i--) {
      const cinT = ch[i];
      const coutT = i > 0 ? ch[i - 1] : this.c;
      const b = 1 / Math.sqrt(cinT * 16);
      this.weights.uniform(`dect${i}.w`, [4, 4, coutT, cinT], b, rng);
      this.weights.uniform(`dect${i}.b`, [coutT], b, rng);
    }
    this.initialised = true;
  }

  /** Initialise with a seed without training (tests, benchmarks). */
  initialise(seed: number): void {
    this.init(seed);
  }

  /** Mean and log-variance of q(z|x) for images x [B, h, w, c]. */
  encode(x: tf.Tensor4D): { mu: tf.Tensor2D; logvar: tf.Tensor2D } {
    const g = (n: string) => this.weights.get(n);
    let h: tf.Tensor4D = x;
    this.params.channels.forEach((_, i) => {
      h = tf.leakyRelu(tf.add(tf.conv2d(h, g(`enc${i}.w`) as tf.Tensor4D, 2, 1), g(`enc${i}.b`)), 0.2) as tf.Tensor4D;
    });
    const flat = tf.reshape(h, [x.shape[0], -1]) as tf.Tensor2D;
    const out = tf.add(tf.matMul(flat, g('head.w') as tf.Tensor2D), g('head.b')) as tf.Tensor2D;
    const lat = this.params.latent;
    const [mu, logvar] = tf.split(out, [lat, lat], 1) as [tf.Tensor2D, tf.Tensor2D];
    return { mu, logvar };
  }

  /** Bernoulli logits of p(x|z) for latents z [B, latent]. */
  decodeLogits(z: tf.Tensor2D): tf.Tensor4D {
    const g = (n: string) => this.weights.get(n);
    const b = z.shape[0];
    const [bh, bw, bc] = this.bottleneck;
    let h = tf.reshape(tf.leakyRelu(tf.add(tf.matMul(z, g('dec.w') as tf.Tensor2D), g('dec.b')), 0.2), [b, bh, bw, bc]) as tf.Tensor4D;
    const ch = this.params.channels;
    let hh = bh;
    let ww = bw;
    for (let i = ch.length - 1; i >= 0; i--) {
      hh *= 2;
      ww *= 2;
      const cout = i > 0 ? ch[i - 1] : this.c;
      h = tf.add(tf.conv2dTranspose(h, g(`dect${i}.w`) as tf.Tensor4D, [b, hh, ww, cout], 2, 1), g(`dect${i}.b`)) as tf.Tensor4D;
      if (i > 0) h = tf.leakyRelu(h, 0.2);
    }
    return h;
  }

  /** (BCE summed over pixels + KL) averaged over the batch. */
  loss(x: tf.Tensor4D, eps: tf.Tensor2D): tf.Scalar {
    const { mu, logvar } = this.encode(x);
    const zz = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps)) as tf.Tensor2D;
    const l = this.decodeLogits(zz);
    const bce = tf.sum(tf.sub(tf.softplus(l), tf.mul(x, l)));
    const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logvar), tf.square(mu)), tf.exp(logvar))));
    return tf.div(tf.add(bce, kl), x.shape[0]) as tf.Scalar;
  }

  async fit(data: Samples, opts: FitOptions): Promise<FitResult> {
    const d = dimOf(this.shape);
    if (data.dim !== d) throw new RangeError(`vae-conv: data dimension ${data.dim} differs from the model's ${d}`);
    this.init(opts.seed);
    const p = this.params;
    const rng = new Rng(deriveSeed(opts.seed, 'vae-conv-train'));
    const epochLosses = await trainMinibatches(data, p, opts, rng, this.weights.list(), this.batchLossOf(data, rng));
    return { epochLosses };
  }

  /** The loss of rows order[from..to) of `data`, with the latent noise drawn from `rng`: what fit minimises per batch. */
  batchLossOf(data: Samples, rng: Rng): (order: Int32Array, from: number, to: number) => () => tf.Scalar {
    const d = dimOf(this.shape);
    return (order, from, to) => {
      const x = batchTensor(data.x, d, order, from, to, this.shape) as tf.Tensor4D;
      const eps = normalTensor([to - from, this.params.latent], rng) as tf.Tensor2D;
      return () => this.loss(x, eps);
    };
  }

  async sample(n: number, seed: number): Promise<Float32Array> {
    if (!this.initialised) throw new Error('vae-conv: the model has not been fitted or loaded');
    const rng = new Rng(deriveSeed(seed, 'vae-conv-sample'));
    return rowsInBatches(n, dimOf(this.shape), SAMPLE_CHUNK, (from, to) =>
      tf.sigmoid(this.decodeLogits(normalTensor([to - from, this.params.latent], rng) as tf.Tensor2D)),
    );
  }

  async save(dir: string): Promise<void> {
    if (!this.initialised) throw new Error('vae-conv: the model has not been fitted or loaded');
    await saveParamSets(dir, this, { weights: this.weights });
  }

  static async load(dir: string): Promise<VaeConvModel> {
    const doc = await readModelJson(dir, 'vae-conv');
    const m = new VaeConvModel(doc.params as VaeConvParams, doc.shape);
    m.init(0);
    await loadParamSets(dir, doc, { weights: m.weights });
    return m;
  }

  dispose(): void {
    this.weights.dispose();
    this.initialised = false;
  }
}
