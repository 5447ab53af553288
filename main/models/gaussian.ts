import type { z } from 'zod';
import type { SampleShape, Samples } from '../data/samples';
import { dimOf } from '../data/samples';
import { Rng, deriveSeed } from '../util/random';
import { gaussianParams } from '../contract/models/catalog';
import { readModelJson, writeModelJson } from './checkpoint-files';
import { cholesky, drawGaussianRows, gaussianLogNorm, logDetFromCholesky, mahalanobisSq, weightedMoments } from './dense-gaussian';
import { pooledMoments } from './pooled-moments';
import { traceInverseSimd } from './gaussian-simd';
import { throwIfAborted, type FitOptions, type FitResult, type GenerativeModel } from './generative-model';

export type GaussianParams = z.output<typeof gaussianParams>;

/**
 * Mean and maximum-likelihood covariance (divided by n) of the training rows: merged from the parts' own moments when
 * the set concatenates parts (an accumulating paradigm: main/models/pooled-moments.ts), else in one two-pass sweep.
 */
function momentsOf(data: Samples, d: number): { mean: Float64Array; cov: Float64Array } {
  const parts = data.parts;
  if (parts && parts.length > 1 && parts.reduce((s, p) => s + p.n, 0) === data.n) {
    // the pooled moments are shared with the next generations' fits: divided into a new matrix
    const { mean, scatter } = pooledMoments(parts, d);
    const cov = new Float64Array(d * d);
    for (let k = 0; k < d * d; k++) cov[k] = scatter[k] / data.n;
    return { mean: Float64Array.from(mean), cov };
  }
  return weightedMoments(data.x, data.n, d);
}

/**
 * The Gaussian of the theory papers: maximum-likelihood mean and full covariance (divided by n, not n − 1), plus
 * ridge·I, sampled as mean + L·z with L the Cholesky factor and z standard normal from the seeded Rng. Plain Float64
 * arithmetic; no TensorFlow.js. The fit's "loss" is the mean negative log-likelihood of the training data.
 */
export class GaussianModel implements GenerativeModel {
  readonly kind = 'gaussian';
  readonly params: GaussianParams;
  mean: Float64Array | null = null;
  /** Row-major d×d, ridge included. */
  cov: Float64Array | null = null;
  private chol: Float64Array | null = null;

  constructor(
    params: z.input<typeof gaussianParams>,
    readonly shape: SampleShape,
  ) {
    this.params = gaussianParams.parse(params);
  }

  get dim(): number {
    return dimOf(this.shape);
  }

  async fit(data: Samples, opts: FitOptions): Promise<FitResult> {
    const d = this.dim;
    if (data.dim !== d) throw new RangeError(`gaussian: data dimension ${data.dim} differs from the model's ${d}`);
    if (data.n < 1) throw new RangeError('gaussian: needs at least one sample');
    throwIfAborted(opts.signal);
    const { mean, cov } = momentsOf(data, d);
    for (let i = 0; i < d; i++) cov[i * d + i] += this.params.ridge;
    throwIfAborted(opts.signal);
    this.setParameters(mean, cov);
    const loss = this.trainingNll();
    opts.onProgress?.({ epoch: 1, epochs: 1, batch: 1, batches: 1, loss });
    return { epochLosses: [loss] };
  }

  /** Set mean and covariance directly (e.g. a known truth); factorises the covariance. */
  setParameters(mean: Float64Array, cov: Float64Array): void {
    const d = this.dim;
    if (mean.length !== d || cov.length !== d * d) throw new RangeError(`gaussian: parameters must have dimension ${d}`);
    this.chol = cholesky(cov, d, 'gaussian: the fitted covariance');
    this.mean = mean;
    this.cov = cov;
  }

  /**
   * Mean negative log-likelihood of the training data under the fit, in closed form: with S the ML covariance and
   * Σ = S + rI, ½(d log 2π + log det Σ + tr(Σ⁻¹S)) and tr(Σ⁻¹S) = d − r·tr(Σ⁻¹) = d − r·‖L⁻¹‖²_F.
   */
  private trainingNll(): number {
    const d = this.dim;
    const l = this.chol!;
    const r = this.params.ridge;
    let traceInv = 0;
    // the same sums in wasm SIMD, where it runs (main/models/gaussian-simd.ts)
    const fast = r > 0 ? traceInverseSimd(l, d) : null;
    if (fast !== null) traceInv = fast;
    else if (r > 0) {
      // column j of L⁻¹ by forward substitution on e_j (entries above j are zero)
      const col = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        col.fill(0);
        for (let i = j; i < d; i++) {
          let s = i === j ? 1 : 0;
          for (let k = j; k < i; k++) s -= l[i * d + k] * col[k];
          col[i] = s / l[i * d + i];
          traceInv += col[i] * col[i];
        }
      }
    }
    return 0.5 * (d * Math.log(2 * Math.PI) + logDetFromCholesky(l, d) + d - r * traceInv);
  }

  /** The fitted covariance (maximum likelihood, ridge included), row-major d×d: exactly the Σ the model samples from. */
  fittedCovariance(): Float64Array {
    if (!this.cov) throw new Error('gaussian: the model has not been fitted or loaded');
    return Float64Array.from(this.cov);
  }

  /** log det of the fitted covariance, from the Cholesky factor the model samples with. */
  fittedCovarianceLogDet(): number {
    if (!this.chol) throw new Error('gaussian: the model has not been fitted or loaded');
    return logDetFromCholesky(this.chol, this.dim);
  }

  /** The fitted mean (maximum likelihood), [d]. */
  fittedMean(): Float64Array {
    if (!this.mean) throw new Error('gaussian: the model has not been fitted or loaded');
    return Float64Array.from(this.mean);
  }

  /** log N(x | mean, Σ) at each row of x [n, d]. */
  logDensity(x: ArrayLike<number>, n: number): Float64Array {
    if (!this.mean || !this.chol) throw new Error('gaussian: the model has not been fitted or loaded');
    const d = this.dim;
    const c = gaussianLogNorm(d, logDetFromCholesky(this.chol, d));
    const work = new Float64Array(d);
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) out[r] = c - 0.5 * mahalanobisSq(this.chol, d, x, r * d, this.mean, 0, work);
    return out;
  }

  async sample(n: number, seed: number): Promise<Float32Array> {
    if (!this.mean || !this.chol) throw new Error('gaussian: the model has not been fitted or loaded');
    const d = this.dim;
    const rng = new Rng(deriveSeed(seed, 'gaussian-sample'));
    const normal = () => rng.normal();
    const out = new Float32Array(n * d);
    drawGaussianRows(this.chol, d, this.mean, normal, out, n, (z) => rng.fillNormal(z));
    return out;
  }

  async save(dir: string): Promise<void> {
    if (!this.mean || !this.cov) throw new Error('gaussian: nothing to save, the model has not been fitted');
    await writeModelJson(dir, {
      kind: this.kind,
      params: this.params,
      shape: this.shape,
      mean: Array.from(this.mean),
      cov: Array.from(this.cov),
    });
  }

  static async load(dir: string): Promise<GaussianModel> {
    const doc = await readModelJson(dir, 'gaussian');
    const m = new GaussianModel(doc.params as GaussianParams, doc.shape);
    const d = m.dim;
    const mean = doc.mean as number[] | undefined;
    const cov = doc.cov as number[] | undefined;
    if (!Array.isArray(mean) || mean.length !== d || !Array.isArray(cov) || cov.length !== d * d) {
      throw new Error(`checkpoint ${dir}/model.json: "mean" must hold ${d} numbers and "cov" ${d * d}`);
    }
    m.setParameters(Float64Array.from(mean), Float64Array.from(cov));
    return m;
  }

  dispose(): void {
    this.mean = null;
    this.cov = null;
    this.chol = null;
  }
}
