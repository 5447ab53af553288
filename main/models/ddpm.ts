import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { SampleShape, Samples } from '../data/samples';
import { dimOf } from '../data/samples';
import { Rng, deriveSeed } from '../util/random';
import { ddpmParams, modelEntry } from '../contract/models/catalog';

/** Rows per sampling call (the kind's entry: the GPU memory check reads the same number). */
const SAMPLE_CHUNK = modelEntry('ddpm').sampleChunk!;
import { readModelJson } from './checkpoint-files';
import { DdpmUnet, timestepEmbedding } from './ddpm-unet';
import { CancelledError, type FitOptions, type FitResult, type GenerativeModel } from './generative-model';
import { trainMinibatches } from './minibatch-training';
import { loadParamSets, saveParamSets } from './param-checkpoint';
import { normalTensor, yieldToEventLoop } from './tf-params';

export type DdpmParams = z.output<typeof ddpmParams>;

/**
 * A small DDPM (Ho et al. 2020) for h×w×c images (h and w even): linear β schedule β_1..β_T, ε-prediction with MSE,
 * the compact U-Net of main/models/ddpm-unet.ts. Pixels are mapped from [0, 1] to [−1, 1] for the diffusion and back.
 * Sampling is DDIM (Song et al. 2021) on `samplingSteps` evenly spaced steps with x̂_0 clipped to [−1, 1];
 * η = 0 is deterministic, η = 1 adds DDPM-like noise. Training and sampling cost grow with channels² and pixels:
 * on a 2-core CPU keep channels small and data few (see the ddpm-small preset); on a GPU (the `tensorflow` backend
 * from @tensorflow/tfjs-node-gpu) use channels [64, 128], timesteps 1000, 30+ epochs, 50–100 sampling steps.
 */
export class DdpmModel implements GenerativeModel {
  readonly kind = 'ddpm';
  readonly params: DdpmParams;
  private readonly net: DdpmUnet;
  private initialised = false;
  /** ᾱ_t for t = 0..T−1 (index t is the diffusion step t + 1). */
  readonly alphaBar: Float64Array;

  constructor(
    params: z.input<typeof ddpmParams>,
    readonly shape: SampleShape,
  ) {
    this.params = ddpmParams.parse(params);
    if (shape.length !== 3 || shape[0] % 2 || shape[1] % 2) {
      throw new RangeError(`ddpm needs images [h, w, c] with even h and w, got shape [${shape.join(', ')}]`);
    }
    const p = this.params;
    if (p.samplingSteps > p.timesteps) throw new RangeError(`ddpm: samplingSteps ${p.samplingSteps} exceeds timesteps ${p.timesteps}`);
    if (p.betaEnd < p.betaStart) throw new RangeError('ddpm: betaEnd must be ≥ betaStart');
    this.net = new DdpmUnet({
      h: shape[0],
      w: shape[1],
      c: shape[2],
      c1: p.channels[0],
      c2: p.channels[1],
      timeEmbedding: p.timeEmbedding,
    });
    this.alphaBar = new Float64Array(p.timesteps);
    let ab = 1;
    for (let t = 0; t < p.timesteps; t++) {
      const beta = p.timesteps === 1 ? p.betaStart : p.betaStart + ((p.betaEnd - p.betaStart) * t) / (p.timesteps - 1);
      ab *= 1 - beta;
      this.alphaBar[t] = ab;
    }
  }

  private init(seed: number): void {
    if (this.initialised) return;
    this.net.init(new Rng(deriveSeed(seed, 'ddpm-init')));
    this.initialised = true;
  }

  /** Initialise with a seed without training (tests, benchmarks); a no-op once fitted or loaded. */
  initialise(seed: number): void {
    this.init(seed);
  }

  /** The U-Net's trainable variables (what fit's optimizer updates). */
  trainableVariables(): tf.Variable[] {
    return this.net.p.list();
  }

  /** ε-prediction loss of one batch x0 [B, h, w, c] in [−1, 1] at steps ts with noise eps. */
  loss(x0: tf.Tensor4D, ts: Int32Array, eps: tf.Tensor4D): tf.Scalar {
    const b = x0.shape[0];
    const sa = new Float32Array(b);
    const sb = new Float32Array(b);
    for (let i = 0; i < b; i++) {
      sa[i] = Math.sqrt(this.alphaBar[ts[i]]);
      sb[i] = Math.sqrt(1 - this.alphaBar[ts[i]]);
    }
    const xt = tf.add(tf.mul(x0, tf.tensor4d(sa, [b, 1, 1, 1])), tf.mul(eps, tf.tensor4d(sb, [b, 1, 1, 1]))) as tf.Tensor4D;
    const emb = tf.tensor2d(timestepEmbedding(ts, this.params.timeEmbedding), [b, this.params.timeEmbedding]);
    return tf.mean(tf.square(tf.sub(this.net.apply(xt, emb), eps))) as tf.Scalar;
  }

  async fit(data: Samples, opts: FitOptions): Promise<FitResult> {
    const d = dimOf(this.shape);
    if (data.dim !== d) throw new RangeError(`ddpm: data dimension ${data.dim} differs from the model's ${d}`);
    this.init(opts.seed);
    const p = this.params;
    const rng = new Rng(deriveSeed(opts.seed, 'ddpm-train'));
    const epochLosses = await trainMinibatches(data, p, opts, rng, this.net.p.list(), this.batchLossOf(data, rng));
    return { epochLosses };
  }

  /**
   * The ε-prediction loss of rows order[from..to) of `data` (pixels in [0, 1], mapped to [−1, 1]), with steps and noise
   * drawn from `rng`: what fit minimises batch by batch (and what the bench times).
   */
  batchLossOf(data: Samples, rng: Rng): (order: Int32Array, from: number, to: number) => () => tf.Scalar {
    const d = dimOf(this.shape);
    const [h, w, c] = this.shape as [number, number, number];
    const T = this.params.timesteps;
    return (order, from, to) => {
      const b = to - from;
      const xb = new Float32Array(b * d);
      for (let i = 0; i < b; i++) {
        const src = order[from + i] * d;
        for (let k = 0; k < d; k++) xb[i * d + k] = 2 * data.x[src + k] - 1;
      }
      const ts = new Int32Array(b);
      for (let i = 0; i < b; i++) ts[i] = rng.int(T);
      const x0 = tf.tensor4d(xb, [b, h, w, c]);
      const eps = normalTensor([b, h, w, c], rng) as tf.Tensor4D;
      return () => this.loss(x0, ts, eps);
    };
  }

  /** The DDIM step indices, descending (e.g. T = 1000, S = 4: 750, 500, 250, 0). */
  samplingSchedule(): number[] {
    const { timesteps: T, samplingSteps: S } = this.params;
    const out: number[] = [];
    for (let i = S - 1; i >= 0; i--) out.push(Math.floor((i * T) / S));
    return out;
  }

  async sample(n: number, seed: number, opts: { signal?: AbortSignal } = {}): Promise<Float32Array> {
    if (!this.initialised) throw new Error('ddpm: the model has not been fitted or loaded');
    const d = dimOf(this.shape);
    const [h, w, c] = this.shape as [number, number, number];
    const rng = new Rng(deriveSeed(seed, 'ddpm-sample'));
    const out = new Float32Array(n * d);
    const steps = this.samplingSchedule();
    const eta = this.params.eta;
    const E = this.params.timeEmbedding;
    for (let from = 0; from < n; from += SAMPLE_CHUNK) {
      const b = Math.min(n, from + SAMPLE_CHUNK) - from;
      let x = normalTensor([b, h, w, c], rng) as tf.Tensor4D;
      for (let i = 0; i < steps.length; i++) {
        if (opts.signal?.aborted) {
          x.dispose();
          throw new CancelledError();
        }
        const t = steps[i];
        const ab = this.alphaBar[t];
        const abPrev = i + 1 < steps.length ? this.alphaBar[steps[i + 1]] : 1;
        const sigma = eta * Math.sqrt(((1 - abPrev) / (1 - ab)) * (1 - ab / abPrev));
        const noise = sigma > 0 ? normalTensor([b, h, w, c], rng) : null;
        const next = tf.tidy(() => {
          const emb = tf.tensor2d(timestepEmbedding(new Int32Array(b).fill(t), E), [b, E]);
          return ddimStep(x, this.net.apply(x, emb), ab, abPrev, sigma, noise);
        });
        noise?.dispose();
        x.dispose();
        x = next;
        await yieldToEventLoop();
      }
      const img = tf.tidy(() => tf.clipByValue(tf.mul(tf.add(x, 1), 0.5), 0, 1));
      out.set(await img.data(), from * d);
      tf.dispose([img, x]);
    }
    return out;
  }

  async save(dir: string): Promise<void> {
    if (!this.initialised) throw new Error('ddpm: the model has not been fitted or loaded');
    await saveParamSets(dir, this, { weights: this.net.p });
  }

  static async load(dir: string): Promise<DdpmModel> {
    const doc = await readModelJson(dir, 'ddpm');
    const m = new DdpmModel(doc.params as DdpmParams, doc.shape);
    m.init(0);
    await loadParamSets(dir, doc, { weights: m.net.p });
    return m;
  }

  dispose(): void {
    this.net.p.dispose();
    this.initialised = false;
  }
}

/**
 * One DDIM update from step t (ᾱ_t = ab) to the previous sampled step (ᾱ = abPrev; 1 past the last): x̂_0 =
 * (x − √(1−ᾱ_t) ε̂)/√ᾱ_t clipped to [−1, 1], ε re-derived from the clipped x̂_0, then
 * x' = √ᾱ_prev x̂_0 + √(1 − ᾱ_prev − σ²) ε + σ z.
 */
export function ddimStep(
  x: tf.Tensor4D,
  epsHat: tf.Tensor4D,
  ab: number,
  abPrev: number,
  sigma: number,
  noise: tf.Tensor | null,
): tf.Tensor4D {
  return tf.tidy(() => {
    const x0 = tf.clipByValue(tf.div(tf.sub(x, tf.mul(epsHat, Math.sqrt(1 - ab))), Math.sqrt(ab)), -1, 1);
    const eps = tf.div(tf.sub(x, tf.mul(x0, Math.sqrt(ab))), Math.sqrt(1 - ab));
    let y = tf.add(tf.mul(x0, Math.sqrt(abPrev)), tf.mul(eps, Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma))));
    if (noise) y = tf.add(y, tf.mul(noise, sigma));
    return y as tf.Tensor4D;
  });
}
