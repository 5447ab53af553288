import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { SampleShape, Samples } from '../data/samples';
import { dimOf } from '../data/samples';
import { Rng, deriveSeed, rngFor } from '../util/random';
import { ADAM_DEFAULTS } from './adam-flat';
import { vaeMlpParams } from '../contract/models/catalog';
import { readFloat32File, readModelJson, writeArrayFile, writeModelJson } from './checkpoint-files';
import { CancelledError, type FitOptions, type FitResult, type GenerativeModel } from './generative-model';
import { decodeMeans, initParams, paramCount, paramLayout, type VaeMlpArch } from './vae-mlp-net';
import { VaeMlpTrainer } from './vae-mlp-trainer';

export type VaeMlpParams = z.output<typeof vaeMlpParams>;

const WEIGHTS_FILE = 'weights.f32';

/**
 * The VAE of the Wasserstein-GAN/VAE collapse study (seed 003): encoder dim → hidden… (LeakyReLU 0.2) → mean and
 * log-variance of the latent, decoder latent → reversed hidden (LeakyReLU 0.2) → dim with a sigmoid; loss BCE summed
 * over pixels + KL, averaged over the batch; Adam(lr). The network is in main/models/vae-mlp-net.ts and the optimiser
 * loop in main/models/vae-mlp-trainer.ts (optionally data-parallel on two wasm threads: `trainingThreads`).
 *
 * Seeded: initial weights from (seed, 'vae-mlp-init'), each epoch's shuffle from (seed, 'vae-mlp-shuffle', epoch) and
 * the reparameterisation noise from (seed, 'vae-mlp-noise', epoch), so a fit is reproducible for a seed (exactly on
 * the cpu and wasm backends). Samples are the decoder's pixel means for latents
 * drawn from N(0, I) with the Rng of (seed, 'vae-mlp-sample'). With `warmStart`, a second fit continues from the
 * current weights (with a fresh Adam state).
 */
export class VaeMlpModel implements GenerativeModel {
  readonly kind = 'vae-mlp';
  readonly params: VaeMlpParams;
  readonly arch: VaeMlpArch;
  /** The flat parameter vector (layout in vae-mlp-net.ts), or null before the first fit or load. */
  weights: Float32Array | null = null;
  /** Training threads, from the `trainingThreads` param (2 only on the wasm backend). */
  threads: 1 | 2;

  constructor(
    params: z.input<typeof vaeMlpParams>,
    readonly shape: SampleShape,
  ) {
    this.params = vaeMlpParams.parse(params);
    this.arch = { dim: dimOf(shape), hidden: this.params.hidden, latent: this.params.latent };
    this.threads = this.params.trainingThreads;
  }

  async fit(data: Samples, opts: FitOptions): Promise<FitResult> {
    const { dim, latent } = this.arch;
    if (data.dim !== dim) throw new RangeError(`vae-mlp: data dimension ${data.dim} differs from the model's ${dim}`);
    if (data.n < 1) throw new RangeError('vae-mlp: needs at least one training sample');
    checkUnitRange(data);
    if (!this.weights || !this.params.warmStart) this.weights = initParams(this.arch, new Rng(deriveSeed(opts.seed, 'vae-mlp-init')));
    const { epochs } = this.params;
    const batchSize = Math.min(this.params.batchSize, data.n);
    const batches = Math.ceil(data.n / batchSize);
    const trainer = await VaeMlpTrainer.open({
      arch: this.arch,
      data: { x: data.x, n: data.n },
      params: this.weights,
      adam: { lr: this.params.learningRate, ...ADAM_DEFAULTS },
      maxBatch: batchSize,
      threads: this.threads === 2 && tf.getBackend() === 'wasm' ? 2 : 1,
    });
    const epochLosses: number[] = [];
    let lastYield = Date.now();
    try {
      for (let epoch = 1; epoch <= epochs; epoch++) {
        const order = rngFor(opts.seed, 'vae-mlp-shuffle', epoch).permutation(data.n);
        const noise = rngFor(opts.seed, 'vae-mlp-noise', epoch);
        let sum = 0;
        for (let k = 0; k < batches; k++) {
          if (opts.signal?.aborted) throw new CancelledError();
          const rows = order.subarray(k * batchSize, Math.min(data.n, (k + 1) * batchSize));
          const eps = noise.fillNormal(new Float32Array(rows.length * latent)) as Float32Array;
          sum += (await trainer.step(rows, eps)) * rows.length;
          const seen = Math.min(data.n, (k + 1) * batchSize);
          opts.onProgress?.({ epoch, epochs, batch: k + 1, batches, loss: sum / seen });
          if (Date.now() - lastYield > 20) {
            // let the event loop deliver a cancel (AbortSignal) and progress messages
            await new Promise((r) => setImmediate(r));
            lastYield = Date.now();
          }
        }
        const mean = sum / data.n;
        if (!Number.isFinite(mean)) throw new Error(`vae-mlp: the loss diverged (${mean}) in epoch ${epoch}; lower the learning rate`);
        epochLosses.push(mean);
      }
      await trainer.close();
    } catch (err) {
      await trainer.abort().catch(() => undefined);
      throw err;
    }
    this.weights = Float32Array.from(trainer.currentParams);
    return { epochLosses, diagnostics: { trainingThreads: trainer.threads } };
  }

  async sample(n: number, seed: number): Promise<Float32Array> {
    if (!this.weights) throw new Error('vae-mlp: the model has not been fitted or loaded');
    const z = new Rng(deriveSeed(seed, 'vae-mlp-sample')).fillNormal(new Float32Array(n * this.arch.latent)) as Float32Array;
    return decodeMeans(this.arch, this.weights, z, n);
  }

  async save(dir: string): Promise<void> {
    if (!this.weights) throw new Error('vae-mlp: nothing to save, the model has not been fitted');
    await writeArrayFile(dir, WEIGHTS_FILE, this.weights);
    await writeModelJson(dir, {
      kind: this.kind,
      params: this.params,
      shape: this.shape,
      weights: { file: WEIGHTS_FILE, dtype: 'float32', manifest: paramLayout(this.arch) },
    });
  }

  static async load(dir: string): Promise<VaeMlpModel> {
    const doc = await readModelJson(dir, 'vae-mlp');
    const m = new VaeMlpModel(doc.params as VaeMlpParams, doc.shape);
    const saved = (doc.weights as { manifest?: { name: string; shape: number[] }[] } | undefined)?.manifest;
    const mine = paramLayout(m.arch);
    if (
      !saved ||
      saved.length !== mine.length ||
      saved.some((s, i) => s.name !== mine[i].name || s.shape.join() !== mine[i].shape.join())
    ) {
      throw new Error(`checkpoint ${dir}/model.json: the weights manifest does not match the model's layers`);
    }
    m.weights = await readFloat32File(dir, WEIGHTS_FILE, paramCount(m.arch));
    return m;
  }

  dispose(): void {
    this.weights = null;
  }
}

/** BCE needs targets in [0, 1]: refuse other data with a clear message. */
function checkUnitRange(data: Samples): void {
  const x = data.x;
  const end = data.n * data.dim;
  for (let i = 0; i < end; i++) {
    const v = x[i];
    if (!(v >= 0 && v <= 1)) {
      throw new RangeError(`vae-mlp: training values must lie in [0, 1] (binary cross-entropy); row ${Math.floor(i / data.dim)} has ${v}`);
    }
  }
}
