import * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { SampleShape, Samples } from '../data/samples';
import { dimOf } from '../data/samples';
import { Rng, deriveSeed } from '../util/random';
import { modelEntry, wganGpParams } from '../contract/models/catalog';

/** Rows per sampling call (the kind's entry: the GPU memory check reads the same number). */
const SAMPLE_CHUNK = modelEntry('wgan-gp').sampleChunk!;
import { readModelJson } from './checkpoint-files';
import { CancelledError, type FitOptions, type FitResult, type GenerativeModel } from './generative-model';
import { readScalar } from './minibatch-training';
import { loadParamSets, saveParamSets } from './param-checkpoint';
import { rowsInBatches } from './rows-in-batches';
import { ParamSet, batchTensor, instanceNorm, uniformTensor, yieldToEventLoop } from './tf-params';

export type WganGpParams = z.output<typeof wganGpParams>;

/**
 * The WGAN-GP of the WGAN/VAE collapse study (seed 003, its public code by description), for 28×28×c images.
 * Generator: z ∈ [−1, 1]^100 → transposed convs 4w (k4 s1 p0) → 2w (k3 s2 p1) → w (k4 s2 p1) → c (k4 s2 p1), i.e.
 * 1 → 4 → 7 → 14 → 28, instance norm + LeakyReLU(0.2) between, no biases, tanh. The tanh output is mapped to the
 * data range [0, 1] by (t + 1)/2 (the study fed tanh's [−1, 1] against data in [0, 1], a mismatch not copied here).
 * Critic: convs w (k4 s2 p1) → 2w (k4 s2 p1, IN) → 4w (k3 s2 p1, IN) → 1 (k4 s1 p0, with bias), LeakyReLU(0.2) between,
 * no sigmoid unless `criticSigmoid` (the study's code had one; see the param's note). w = 64 in the study.
 * Loss: critic E[f(G(z))] − E[f(x)] + λ E[(‖∇f(x̂)‖ − 1)²] on random interpolates x̂ (a second-order gradient);
 * generator −E[f(G(z))]. Schedule as the study's loop: for each real batch, `criticSteps` critic updates on that batch
 * (fresh noise each), then one generator update; an epoch is one pass over the data. Adam(lr, β1, β2) for both.
 * Instance norm is PyTorch's InstanceNorm2d default (affine = false, eps 1e-5).
 *
 * Diagnostics per generation (with FitOptions.evalData, the real test split): `criticAccuracy` = share of real
 * held-out images that the critic scores above the median score of as many fresh generated images (0.5: the critic
 * cannot tell; 1: every real image beats the typical fake), `criticScoreGap` = mean real score − mean fake score (the
 * critic's Wasserstein estimate), and with a sigmoid critic also `criticAccuracySigmoid` = share of real images scored
 * above 0.5 (the study's classification rate).
 */
export class WganGpModel implements GenerativeModel {
  readonly kind = 'wgan-gp';
  readonly params: WganGpParams;
  /** Generator weights t1..t4 and critic weights c1..c4, b4 (tfjs layouts: conv [kh, kw, in, out], transposed [kh, kw, out, in]). */
  readonly gen = new ParamSet('wgan-gp/generator');
  readonly critic = new ParamSet('wgan-gp/critic');
  private initialised = false;

  constructor(
    params: z.input<typeof wganGpParams>,
    readonly shape: SampleShape,
  ) {
    this.params = wganGpParams.parse(params);
    if (shape.length !== 3 || shape[0] !== 28 || shape[1] !== 28) {
      throw new RangeError(`wgan-gp: the study's architecture needs 28×28×c images, got shape [${shape.join(', ')}]`);
    }
  }

  private get channels(): number {
    return this.shape[2] as number;
  }

  /** Seeded initialisation (PyTorch's default bound 1/√fanIn). */
  private init(seed: number): void {
    if (this.initialised) return;
    const rng = new Rng(deriveSeed(seed, 'wgan-gp-init'));
    const w = this.params.width;
    const c = this.channels;
    const nz = this.params.noiseDim;
    // transposed-conv filters are [kh, kw, out, in]; fan-in counted as in·k·k
    this.gen.uniform('t1', [4, 4, 4 * w, nz], 1 / Math.sqrt(nz * 16), rng);
    this.gen.uniform('t2', [3, 3, 2 * w, 4 * w], 1 / Math.sqrt(4 * w * 9), rng);
    this.gen.uniform('t3', [4, 4, w, 2 * w], 1 / Math.sqrt(2 * w * 16), rng);
    this.gen.uniform('t4', [4, 4, c, w], 1 / Math.sqrt(w * 16), rng);
    this.critic.uniform('c1', [4, 4, c, w], 1 / Math.sqrt(c * 16), rng);
    this.critic.uniform('c2', [4, 4, w, 2 * w], 1 / Math.sqrt(w * 16), rng);
    this.critic.uniform('c3', [3, 3, 2 * w, 4 * w], 1 / Math.sqrt(2 * w * 9), rng);
    this.critic.uniform('c4', [4, 4, 4 * w, 1], 1 / Math.sqrt(4 * w * 16), rng);
    this.critic.uniform('b4', [1], 1 / Math.sqrt(4 * w * 16), rng);
    this.initialised = true;
  }

  /** G(z): [B, noiseDim] → images [B, 28, 28, c] in [0, 1]. */
  generate(z: tf.Tensor2D): tf.Tensor4D {
    const w = this.params.width;
    const b = z.shape[0];
    const g = (n: string) => this.gen.get(n) as unknown as tf.Tensor4D;
    const lrelu = (t: tf.Tensor4D) => tf.leakyRelu(t, 0.2);
    let h = tf.reshape(z, [b, 1, 1, this.params.noiseDim]) as tf.Tensor4D;
    h = lrelu(instanceNorm(tf.conv2dTranspose(h, g('t1'), [b, 4, 4, 4 * w], 1, 'valid')));
    h = lrelu(instanceNorm(tf.conv2dTranspose(h, g('t2'), [b, 7, 7, 2 * w], 2, 1)));
    h = lrelu(instanceNorm(tf.conv2dTranspose(h, g('t3'), [b, 14, 14, w], 2, 1)));
    h = tf.conv2dTranspose(h, g('t4'), [b, 28, 28, this.channels], 2, 1);
    return tf.mul(tf.add(tf.tanh(h), 1), 0.5) as tf.Tensor4D;
  }

  /** f(x): images [B, 28, 28, c] → scores [B]. */
  score(x: tf.Tensor4D): tf.Tensor1D {
    const c = (n: string) => this.critic.get(n) as unknown as tf.Tensor4D;
    const lrelu = (t: tf.Tensor4D) => tf.leakyRelu(t, 0.2);
    let h = lrelu(tf.conv2d(x, c('c1'), 2, 1));
    h = lrelu(instanceNorm(tf.conv2d(h, c('c2'), 2, 1)));
    h = lrelu(instanceNorm(tf.conv2d(h, c('c3'), 2, 1)));
    h = tf.conv2d(h, c('c4'), 1, 'valid');
    const s = tf.add(tf.reshape(h, [x.shape[0]]), this.critic.get('b4')) as tf.Tensor1D;
    return this.params.criticSigmoid ? tf.sigmoid(s) : s;
  }

  /** λ·E[(‖∇f(x̂)‖ − 1)²], the mean gradient norm and the mean |‖∇f(x̂)‖ − 1|, for x̂ = εx + (1 − ε)y. */
  gradientPenalty(
    real: tf.Tensor4D,
    fake: tf.Tensor4D,
    eps: tf.Tensor4D,
  ): { penalty: tf.Scalar; meanNorm: tf.Scalar; meanDeviation: tf.Scalar } {
    const xhat = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake)) as tf.Tensor4D;
    const grad = tf.grad((x: tf.Tensor) => tf.sum(this.score(x as tf.Tensor4D)))(xhat);
    const norm = tf.sqrt(tf.add(tf.sum(tf.square(grad), [1, 2, 3]), 1e-12));
    const dev = tf.sub(norm, 1);
    return {
      penalty: tf.mul(tf.mean(tf.square(dev)), this.params.gpWeight) as tf.Scalar,
      meanNorm: tf.mean(norm) as tf.Scalar,
      meanDeviation: tf.mean(tf.abs(dev)) as tf.Scalar,
    };
  }

  /** One critic update; returns the critic loss. `penaltyOnly` trains on the penalty term alone (for tests). */
  criticStep(opt: tf.Optimizer, real: tf.Tensor4D, rng: Rng, penaltyOnly = false): Promise<number> {
    const b = real.shape[0];
    const loss = tf.tidy(() => {
      const fake = this.generate(uniformTensor([b, this.params.noiseDim], -1, 1, rng) as tf.Tensor2D);
      const eps = uniformTensor([b, 1, 1, 1], 0, 1, rng) as tf.Tensor4D;
      const { value, grads } = tf.variableGrads(() => {
        const { penalty } = this.gradientPenalty(real, fake, eps);
        if (penaltyOnly) return penalty;
        const w = tf.sub(tf.mean(this.score(fake)), tf.mean(this.score(real)));
        return tf.add(w, penalty) as tf.Scalar;
      }, this.critic.list());
      opt.applyGradients(grads);
      return value;
    });
    return readScalar(loss);
  }

  /** One generator update; returns −E[f(G(z))]. */
  generatorStep(opt: tf.Optimizer, b: number, rng: Rng): Promise<number> {
    const loss = tf.tidy(() => {
      const z = uniformTensor([b, this.params.noiseDim], -1, 1, rng) as tf.Tensor2D;
      const { value, grads } = tf.variableGrads(() => tf.neg(tf.mean(this.score(this.generate(z)))) as tf.Scalar, this.gen.list());
      opt.applyGradients(grads);
      return value;
    });
    return readScalar(loss);
  }

  /** Mean critic gradient norm and mean |norm − 1| at interpolates of `real` and fresh fakes (for tests). */
  async gradientNorms(real: tf.Tensor4D, rng: Rng): Promise<{ meanNorm: number; meanDeviation: number }> {
    const g = tf.tidy(() => {
      const b = real.shape[0];
      const fake = this.generate(uniformTensor([b, this.params.noiseDim], -1, 1, rng) as tf.Tensor2D);
      const eps = uniformTensor([b, 1, 1, 1], 0, 1, rng) as tf.Tensor4D;
      const { meanNorm, meanDeviation } = this.gradientPenalty(real, fake, eps);
      return { meanNorm, meanDeviation };
    });
    return { meanNorm: await readScalar(g.meanNorm), meanDeviation: await readScalar(g.meanDeviation) };
  }

  makeOptimizer(): tf.Optimizer {
    const p = this.params;
    return tf.train.adam(p.learningRate, p.beta1, p.beta2);
  }

  /** Initialise with a seed without training (tests, benchmarks). */
  initialise(seed: number): void {
    this.init(seed);
  }

  async fit(data: Samples, opts: FitOptions): Promise<FitResult> {
    const d = dimOf(this.shape);
    if (data.dim !== d) throw new RangeError(`wgan-gp: data dimension ${data.dim} differs from the model's ${d}`);
    this.init(opts.seed);
    const p = this.params;
    const rng = new Rng(deriveSeed(opts.seed, 'wgan-gp-train'));
    const optC = this.makeOptimizer();
    const optG = this.makeOptimizer();
    const batches = Math.ceil(data.n / p.batchSize);
    const epochLosses: number[] = [];
    let lastG = NaN;
    try {
      for (let epoch = 1; epoch <= p.epochs; epoch++) {
        const order = rng.permutation(data.n);
        let sumC = 0;
        let sumG = 0;
        for (let bi = 0; bi < batches; bi++) {
          if (opts.signal?.aborted) throw new CancelledError();
          const from = bi * p.batchSize;
          const to = Math.min(data.n, from + p.batchSize);
          const real = batchTensor(data.x, d, order, from, to, this.shape) as tf.Tensor4D;
          let c = 0;
          for (let s = 0; s < p.criticSteps; s++) c += await this.criticStep(optC, real, rng);
          real.dispose();
          sumC += c / p.criticSteps;
          lastG = await this.generatorStep(optG, to - from, rng);
          sumG += lastG;
          opts.onProgress?.({ epoch, epochs: p.epochs, batch: bi + 1, batches, loss: sumC / (bi + 1) });
          await yieldToEventLoop();
        }
        epochLosses.push(sumC / batches);
        void sumG;
      }
    } finally {
      optC.dispose();
      optG.dispose();
    }
    const diagnostics: Record<string, number> = { generatorLoss: lastG };
    if (opts.evalData && p.evalSize > 0) Object.assign(diagnostics, await this.criticDiagnostics(opts.evalData, opts.seed));
    return { epochLosses, diagnostics };
  }

  /** Scores of rows of x [n, dim] in batches. */
  private async scoreRows(x: Float32Array, n: number): Promise<Float32Array> {
    const d = dimOf(this.shape);
    return rowsInBatches(n, 1, 256, (from, to) =>
      this.score(tf.tensor4d(x.subarray(from * d, to * d), [to - from, 28, 28, this.channels])),
    );
  }

  /** The critic-accuracy diagnostics on real held-out data (see the class comment). */
  async criticDiagnostics(real: Samples, seed: number): Promise<Record<string, number>> {
    const n = Math.min(real.n, this.params.evalSize);
    const realScores = await this.scoreRows(real.x, n);
    const fakeScores = await this.scoreRows(await this.sample(n, deriveSeed(seed, 'wgan-gp-eval')), n);
    const sorted = Float64Array.from(fakeScores).sort();
    const median = n % 2 ? sorted[(n - 1) / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    let above = 0;
    let aboveHalf = 0;
    let meanR = 0;
    let meanF = 0;
    for (let i = 0; i < n; i++) {
      if (realScores[i] > median) above++;
      if (realScores[i] > 0.5) aboveHalf++;
      meanR += realScores[i] / n;
      meanF += fakeScores[i] / n;
    }
    const out: Record<string, number> = { criticAccuracy: above / n, criticScoreGap: meanR - meanF };
    if (this.params.criticSigmoid) out.criticAccuracySigmoid = aboveHalf / n;
    return out;
  }

  async sample(n: number, seed: number): Promise<Float32Array> {
    if (!this.initialised) throw new Error('wgan-gp: the model has not been fitted or loaded');
    const rng = new Rng(deriveSeed(seed, 'wgan-gp-sample'));
    return rowsInBatches(n, dimOf(this.shape), SAMPLE_CHUNK, (from, to) =>
      this.generate(uniformTensor([to - from, this.params.noiseDim], -1, 1, rng) as tf.Tensor2D),
    );
  }

  async save(dir: string): Promise<void> {
    if (!this.initialised) throw new Error('wgan-gp: the model has not been fitted or loaded');
    await saveParamSets(dir, this, { generator: this.gen, critic: this.critic });
  }

  static async load(dir: string): Promise<WganGpModel> {
    const doc = await readModelJson(dir, 'wgan-gp');
    const m = new WganGpModel(doc.params as WganGpParams, doc.shape);
    m.init(0);
    await loadParamSets(dir, doc, { generator: m.gen, critic: m.critic });
    return m;
  }

  dispose(): void {
    this.gen.dispose();
    this.critic.dispose();
    this.initialised = false;
  }
}
