import type { z } from 'zod';
import type { SampleShape, Samples } from '../data/samples';
import { dimOf } from '../data/samples';
import { Rng, deriveSeed } from '../util/random';
import { kdeParams } from '../contract/models/catalog';
import { readFloat32File, readModelJson, writeArrayFile, writeModelJson } from './checkpoint-files';
import { cholesky, drawGaussian, gaussianLogNorm, logDetFromCholesky, logSumExp } from './dense-gaussian';
import { throwIfAborted, type FitOptions, type FitResult, type GenerativeModel } from './generative-model';

export type KdeParams = z.output<typeof kdeParams>;

/**
 * Gaussian kernel density estimate as scipy.stats.gaussian_kde defines it: kernel covariance = factor² · (unbiased data
 * covariance), factor = n^(−1/(d+4)) (Scott), (n(d+2)/4)^(−1/(d+4)) (Silverman) or a fixed number. `ridge` is added
 * to the data covariance's diagonal first (0 reproduces scipy exactly). With `kernel: 'isotropic'` the kernel covariance is
 * bandwidth² · I instead (sklearn's KernelDensity with a fixed bandwidth). Sampling picks a training point uniformly and
 * adds kernel noise, which is exactly a draw from the estimate.
 */
export class KdeModel implements GenerativeModel {
  readonly kind = 'kde';
  readonly params: KdeParams;
  private data: Float32Array | null = null;
  private n = 0;
  /** Kernel covariance and its Cholesky factor (row-major d×d). */
  kernelCov: Float64Array | null = null;
  private chol: Float64Array | null = null;
  /** Training rows whitened by the kernel's Cholesky factor (L⁻¹x), for fast densities. */
  private whitened: Float64Array | null = null;
  factor = NaN;

  constructor(
    params: z.input<typeof kdeParams>,
    readonly shape: SampleShape,
  ) {
    this.params = kdeParams.parse(params);
  }

  get dim(): number {
    return dimOf(this.shape);
  }

  async fit(data: Samples, opts: FitOptions): Promise<FitResult> {
    const d = this.dim;
    if (data.dim !== d) throw new RangeError(`kde: data dimension ${data.dim} differs from the model's ${d}`);
    if (data.n < 2) throw new RangeError('kde: needs at least 2 samples');
    throwIfAborted(opts.signal);
    this.setData(data.x.slice(0, data.n * d), data.n);
    throwIfAborted(opts.signal);
    const loss = this.looNll(Math.max(1, Math.min(200, Math.floor(5e7 / (data.n * d)))), opts.seed);
    opts.onProgress?.({ epoch: 1, epochs: 1, batch: 1, batches: 1, loss });
    return { epochLosses: [loss], diagnostics: { kdeFactor: this.factor } };
  }

  private setData(x: Float32Array, n: number): void {
    const d = this.dim;
    this.data = x;
    this.n = n;
    // unbiased covariance (np.cov, ddof = 1)
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += x[i * d + a];
    for (let a = 0; a < d; a++) mean[a] /= n;
    const cov = new Float64Array(d * d);
    const c = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) c[a] = x[i * d + a] - mean[a];
      for (let a = 0; a < d; a++) {
        const ca = c[a];
        if (ca === 0) continue;
        for (let b = 0; b <= a; b++) cov[a * d + b] += ca * c[b];
      }
    }
    const bw = this.params.bandwidth;
    this.factor = bw === 'scott' ? Math.pow(n, -1 / (d + 4)) : bw === 'silverman' ? Math.pow((n * (d + 2)) / 4, -1 / (d + 4)) : bw;
    const f2 = this.factor * this.factor;
    const isotropic = this.params.kernel === 'isotropic';
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) {
        const v = isotropic ? (a === b ? f2 : 0) : (cov[a * d + b] / (n - 1) + (a === b ? this.params.ridge : 0)) * f2;
        cov[a * d + b] = v;
        cov[b * d + a] = v;
      }
    }
    this.kernelCov = cov;
    this.chol = cholesky(cov, d, 'kde kernel covariance (data covariance × factor²)');
    const w = new Float64Array(n * d);
    for (let i = 0; i < n; i++) forwardSolve(this.chol, d, x, i * d, w, i * d);
    this.whitened = w;
  }

  /** log of the estimated density at each row of q [m, d]. */
  logDensity(q: ArrayLike<number>, m: number): Float64Array {
    if (!this.chol || !this.whitened) throw new Error('kde: the model has not been fitted or loaded');
    const d = this.dim;
    const n = this.n;
    const out = new Float64Array(m);
    const y = new Float64Array(d);
    const terms = new Float64Array(n);
    const c = gaussianLogNorm(d, logDetFromCholesky(this.chol, d)) - Math.log(n);
    for (let r = 0; r < m; r++) {
      forwardSolve(this.chol, d, q, r * d, y, 0);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let a = 0; a < d; a++) {
          const t = y[a] - this.whitened[i * d + a];
          s += t * t;
        }
        terms[i] = -0.5 * s;
      }
      out[r] = c + logSumExp(terms, n);
    }
    return out;
  }

  /** Mean leave-one-out negative log-density over `rows` random training rows. */
  private looNll(rows: number, seed: number): number {
    const d = this.dim;
    const n = this.n;
    const w = this.whitened!;
    const rng = new Rng(deriveSeed(seed, 'kde-loo'));
    const pick = rng.choose(n, Math.min(rows, n));
    const c = gaussianLogNorm(d, logDetFromCholesky(this.chol!, d)) - Math.log(n - 1);
    const terms = new Float64Array(n - 1);
    let total = 0;
    for (const r of pick) {
      let t = 0;
      for (let i = 0; i < n; i++) {
        if (i === r) continue;
        let s = 0;
        for (let a = 0; a < d; a++) {
          const v = w[r * d + a] - w[i * d + a];
          s += v * v;
        }
        terms[t++] = -0.5 * s;
      }
      total -= c + logSumExp(terms, n - 1);
    }
    return total / pick.length;
  }

  async sample(n: number, seed: number): Promise<Float32Array> {
    if (!this.data || !this.chol) throw new Error('kde: the model has not been fitted or loaded');
    const d = this.dim;
    const rng = new Rng(deriveSeed(seed, 'kde-sample'));
    const normal = () => rng.normal();
    const out = new Float32Array(n * d);
    const z = new Float64Array(d);
    // a kernel draw centred on a uniformly picked training row
    for (let r = 0; r < n; r++) drawGaussian(this.chol, d, this.data, rng.int(this.n) * d, normal, out, r * d, z);
    return out;
  }

  async save(dir: string): Promise<void> {
    if (!this.data) throw new Error('kde: the model has not been fitted or loaded');
    await writeArrayFile(dir, 'data.f32', this.data);
    await writeModelJson(dir, { kind: this.kind, params: this.params, shape: this.shape, n: this.n });
  }

  static async load(dir: string): Promise<KdeModel> {
    const doc = await readModelJson(dir, 'kde');
    const m = new KdeModel(doc.params as KdeParams, doc.shape);
    const n = doc.n as number;
    m.setData(await readFloat32File(dir, 'data.f32', n * m.dim), n);
    return m;
  }

  dispose(): void {
    this.data = null;
    this.whitened = null;
    this.chol = null;
  }
}

/** out[outOff..] = L⁻¹ x[xOff..] for lower-triangular L. */
function forwardSolve(l: Float64Array, d: number, x: ArrayLike<number>, xOff: number, out: Float64Array, outOff: number): void {
  for (let i = 0; i < d; i++) {
    let s = x[xOff + i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * out[outOff + k];
    out[outOff + i] = s / l[i * d + i];
  }
}
