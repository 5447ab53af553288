import type { z } from 'zod';
import type { SampleShape, Samples } from '../data/samples';
import { dimOf } from '../data/samples';
import { Rng, deriveSeed } from '../util/random';
import { diffusionExactParams, type gaussianMixtureSpec, type truncationSchedule } from '../contract/models/catalog';
import { readFloat32File, readFloat64File, readModelJson, writeArrayFile, writeModelJson } from './checkpoint-files';
import { covarianceMatrix } from './dense-gaussian';
import { CancelledError, type FitOptions, type FitResult, type GenerativeModel } from './generative-model';
import { fitMixtureEm, type MixtureState } from './gmm-em';
import { hermiteEnergies } from './hermite-modes';
import { w2BetweenMixtures1d } from './mixture-w2-1d';
import { gaussianChiSquare, gaussianKl, gaussianW2, mixtureMoments, sampleMoments, w2ToMixture1d } from './mixture-distances';
import { noisedMixture, sampleOu, sourceFromData, sourceFromMixture, type OuSource } from './ou-mixture';
import { ScoreError } from './score-error';
import { constantScheduleLimit, idealRecursionLaw } from './truncation-recursion';
import { distanceToExact, distanceToTruth, measureScoreError } from './score-error-metrics';

export type DiffusionExactParams = z.output<typeof diffusionExactParams>;
export type TruncationSchedule = z.output<typeof truncationSchedule>;
export type GaussianMixtureSpec = z.output<typeof gaussianMixtureSpec>;

/**
 * Diffusion with the exact score: the idealised model of seed 001 ("perfect score estimation and exact sampling"),
 * where the only error left is the early stop of the reverse diffusion at a truncation time δ.
 *
 * Fit = the model's estimate p̂ of its training distribution. Default `estimator: 'gmm'`: a Gaussian mixture with the
 * known number of components, fitted by EM. This is the seed's setting in finite samples: its experiments use
 * Gaussian-mixture data, and the OU-noised law of a mixture is again a mixture with the same k, so the family is
 * closed under the recursion and the score of p̂ is the exact score of a consistent estimate of p_k.
 * `estimator: 'empirical'` instead takes the training set itself (Diracs at the data points), whose noised density is
 * a mixture of Gaussians centred at a·x_i — the usual "exact score of the empirical distribution" (it memorises).
 *
 * Sampling integrates the reverse-time SDE (or the probability-flow ODE) of dX = −X dt + √2 dW with the closed-form
 * score of p̂_t from the horizon T down to δ_k, so a draw follows p̂_{δ_k} = law of e^(−δ)X + √(1−e^(−2δ))Z up to
 * discretisation; `sampler: 'exact'` draws from p̂_δ directly. The truncation schedule gives δ for generation g:
 * constant δ0, power δ0·(g + 1)^(−p), geometric δ0·γ^g. A share of fresh real data per generation is the loop's
 * `mixed:LAMBDA` paradigm (the limit of seed 001 is then Σ_j λ(1−λ)^j · OU_{jδ} p_0).
 *
 * describeSamples reports, per generation, δ_k, the W2 to the true data distribution `truth` (a param: the
 * gaussian-mixture dataset's own spec, repeated in the preset, since a model sees only its params), exact by
 * quantiles in one dimension and between moment-matched Gaussians in any dimension, and in one dimension the energy
 * of each Hermite mode k = 0..K (main/models/hermite-modes.ts), which shows the low-pass filter; the KL and χ²
 * divergences of the samples' moment-matched Gaussian to the truth's (klGaussian, chiSquareGaussian: Khelifa et al.'s
 * accumulated divergence); with `recursionRealShare` also the W₂ of the closed-form laws of the recursion
 * (closedFormReferences).
 */
export class DiffusionExactModel implements GenerativeModel {
  readonly kind = 'diffusion-exact';
  readonly params: DiffusionExactParams;
  /** The estimate p̂ (a mixture) or, for the empirical estimator, the training rows. */
  mixture: MixtureState | null = null;
  private data: Float32Array | null = null;
  private n = 0;
  /** δ of the last fit (from the schedule and the generation). */
  delta = NaN;
  generation = 0;
  readonly truth: MixtureState | null;
  /**
   * The sampler's score error (params.scoreError), when one is configured; under gradient.randomSign, each fit draws
   * the signs of its gradient part, one per coordinate (saved with the model).
   */
  scoreError: ScoreError | null;

  constructor(
    params: z.input<typeof diffusionExactParams>,
    readonly shape: SampleShape,
  ) {
    this.params = diffusionExactParams.parse(params);
    if (shape.length !== 1) throw new RangeError('diffusion-exact models vectors (shape [d]), not images');
    this.truth = this.params.truth ? mixtureFromSpec(this.params.truth, dimOf(shape), 'model.params.truth') : null;
    this.scoreError = this.params.scoreError ? new ScoreError(this.params.scoreError, dimOf(shape)) : null;
  }

  get dim(): number {
    return dimOf(this.shape);
  }

  async fit(data: Samples, opts: FitOptions): Promise<FitResult> {
    const d = this.dim;
    if (data.dim !== d) throw new RangeError(`diffusion-exact: data dimension ${data.dim} differs from the model's ${d}`);
    this.generation = opts.generation ?? 0;
    this.delta = truncationDelta(this.params.truncation, this.generation);
    const p = this.params;
    if (p.scoreError?.gradient.randomSign) {
      // this generation's signs of g, one per coordinate, from the fit's seed (derived from the run's seed and the generation)
      const rng = new Rng(deriveSeed(opts.seed, 'score-error-sign'));
      this.scoreError = new ScoreError(
        p.scoreError,
        d,
        Float64Array.from({ length: d }, () => (rng.uniform() < 0.5 ? -1 : 1)),
      );
    }
    if (p.estimator === 'empirical') {
      if (opts.signal?.aborted) throw new CancelledError();
      this.data = data.x.slice(0, data.n * d);
      this.n = data.n;
      this.mixture = null;
      opts.onProgress?.({ epoch: 1, epochs: 1, batch: 1, batches: 1, loss: 0 });
      return { epochLosses: [0], diagnostics: { truncationDelta: this.delta } };
    }
    const res = fitMixtureEm(data.x, data.n, d, {
      k: p.components,
      covariance: p.covariance,
      maxIter: 200,
      tol: 1e-6,
      ridge: 1e-6,
      kmeansIter: 20,
      rng: new Rng(deriveSeed(opts.seed, 'diffusion-exact-em')),
      onIteration: (it, nll) => {
        if (opts.signal?.aborted) throw new CancelledError();
        opts.onProgress?.({ epoch: it, epochs: 200, batch: 1, batches: 1, loss: nll });
      },
    });
    this.mixture = res.state;
    this.data = null;
    return { epochLosses: res.nll, diagnostics: { truncationDelta: this.delta } };
  }

  /** The estimate p̂ as the source of the forward process. */
  source(): OuSource {
    if (this.mixture) return sourceFromMixture(this.mixture);
    if (this.data) return sourceFromData(this.data, this.n, this.dim);
    throw new Error('diffusion-exact: the model has not been fitted or loaded');
  }

  /** p̂_δ in closed form (a full-covariance mixture). */
  noisedEstimate(delta = this.delta): MixtureState {
    return noisedMixture(this.source(), delta);
  }

  async sample(n: number, seed: number): Promise<Float32Array> {
    const p = this.params;
    const y = sampleOu(this.source(), n, {
      sampler: p.sampler,
      delta: this.delta,
      horizon: p.horizon,
      steps: p.steps,
      integrator: p.integrator,
      rng: new Rng(deriveSeed(seed, 'diffusion-exact-sample')),
      ...(this.scoreError ? { scoreError: this.scoreError } : {}),
    });
    return Float32Array.from(y);
  }

  describeSamples(samples: Float32Array, n: number): Record<string, number | number[]> {
    const d = this.dim;
    const out: Record<string, number | number[]> = { truncationDelta: this.delta };
    if (this.truth) {
      const sm = sampleMoments(samples, n, d);
      const tm = mixtureMoments(this.truth);
      out.w2Gaussian = gaussianW2(sm.mean, sm.cov, tm.mean, tm.cov);
      // the accumulated divergence of Khelifa et al., between moment-matched Gaussians: KL, and χ² (omitted when infinite)
      out.klGaussian = gaussianKl(sm.mean, sm.cov, tm.mean, tm.cov);
      const chi2 = gaussianChiSquare(sm.mean, sm.cov, tm.mean, tm.cov);
      if (Number.isFinite(chi2)) out.chiSquareGaussian = chi2;
      if (d === 1) out.w2 = w2ToMixture1d(samples, n, this.truth);
    }
    if (d === 1) out.hermiteEnergy = hermiteEnergies(samples, n, this.params.hermiteModes);
    if (d === 1 && this.truth && this.params.recursionRealShare !== undefined) Object.assign(out, this.closedFormReferences());
    if (this.scoreError) {
      // the score error's size along the reverse process, and how far the samples are from exact sampling
      const e = this.params.scoreError!;
      const rng = new Rng(deriveSeed(0, 'score-error-metrics', this.generation));
      Object.assign(
        out,
        measureScoreError(this.source(), this.scoreError, {
          delta: this.delta,
          horizon: this.params.horizon,
          times: e.evalTimes,
          samples: e.evalSamples,
          rng,
        }),
        distanceToExact(samples, n, this.noisedEstimate(), rng),
        this.truth ? distanceToTruth(samples, n, this.truth) : {},
      );
    }
    return out;
  }

  /**
   * W₂ to the truth of the exact recursion's law at this generation (w2Recursion: this schedule, no estimation or
   * sampling error) and of the constant schedule's limit at δ0 (w2Limit), for the loop's fresh-data share
   * `recursionRealShare` (main/models/truncation-recursion.ts). One dimension with a truth only.
   */
  closedFormReferences(): { w2Recursion: number; w2Limit: number } {
    const truth = this.truth;
    const lambda = this.params.recursionRealShare;
    if (!truth || truth.d !== 1 || lambda === undefined)
      throw new Error('diffusion-exact: closed-form references need a 1-D truth and recursionRealShare');
    const deltas = Array.from({ length: this.generation + 1 }, (_, g) => truncationDelta(this.params.truncation, g));
    return {
      w2Recursion: w2BetweenMixtures1d(idealRecursionLaw(truth, deltas, lambda), truth),
      w2Limit: constantLimitW2(truth, this.params.truncation.delta0, lambda),
    };
  }

  async save(dir: string): Promise<void> {
    const base = {
      kind: this.kind,
      params: this.params,
      shape: this.shape,
      delta: this.delta,
      generation: this.generation,
      ...(this.scoreError ? { scoreErrorSigns: Array.from(this.scoreError.signs) } : {}),
    };
    if (this.mixture) {
      const s = this.mixture;
      await writeArrayFile(dir, 'weights.f64', s.weights);
      await writeArrayFile(dir, 'means.f64', s.means);
      await writeArrayFile(dir, 'covs.f64', s.covs);
      await writeModelJson(dir, { ...base, estimate: 'mixture', k: s.k, covariance: s.covariance });
    } else if (this.data) {
      await writeArrayFile(dir, 'data.f32', this.data);
      await writeModelJson(dir, { ...base, estimate: 'empirical', n: this.n });
    } else {
      throw new Error('diffusion-exact: the model has not been fitted or loaded');
    }
  }

  static async load(dir: string): Promise<DiffusionExactModel> {
    const doc = await readModelJson(dir, 'diffusion-exact');
    const m = new DiffusionExactModel(doc.params as DiffusionExactParams, doc.shape);
    m.delta = doc.delta as number;
    m.generation = doc.generation as number;
    if (m.params.scoreError && Array.isArray(doc.scoreErrorSigns) && doc.scoreErrorSigns.length === m.dim) {
      m.scoreError = new ScoreError(m.params.scoreError, m.dim, Float64Array.from(doc.scoreErrorSigns as number[]));
    }
    const d = m.dim;
    if (doc.estimate === 'mixture') {
      const k = doc.k as number;
      const covariance = doc.covariance as 'full' | 'diag';
      m.mixture = {
        k,
        d,
        covariance,
        weights: await readFloat64File(dir, 'weights.f64', k),
        means: await readFloat64File(dir, 'means.f64', k * d),
        covs: await readFloat64File(dir, 'covs.f64', covariance === 'full' ? k * d * d : k * d),
      };
    } else {
      m.n = doc.n as number;
      m.data = await readFloat32File(dir, 'data.f32', m.n * d);
    }
    return m;
  }

  dispose(): void {
    this.mixture = null;
    this.data = null;
  }
}

/** W₂ of the constant schedule's limit to the truth: the same every generation of a run, so computed once per process. */
const limitW2Cache = new Map<string, number>();
function constantLimitW2(truth: MixtureState, delta: number, lambda: number): number {
  const key = JSON.stringify([Array.from(truth.weights), Array.from(truth.means), Array.from(truth.covs), delta, lambda]);
  let v = limitW2Cache.get(key);
  if (v === undefined) {
    v = w2BetweenMixtures1d(constantScheduleLimit(truth, delta, lambda), truth);
    limitW2Cache.set(key, v);
  }
  return v;
}

/** δ of the schedule for a generation g: δ0, δ0·(g + 1)^(−p) or δ0·γ^g (generation 0 always uses δ0). */
export function truncationDelta(s: TruncationSchedule, generation: number): number {
  switch (s.kind) {
    case 'constant':
      return s.delta0;
    case 'power':
      return s.delta0 * Math.pow(generation + 1, -s.p);
    case 'geometric':
      return s.delta0 * Math.pow(s.gamma, generation);
  }
}

/** A mixture spec (weights, means, per-component covariance as matrix, diagonal or one variance) as a full mixture. */
export function mixtureFromSpec(spec: GaussianMixtureSpec, d: number, field = 'mixture'): MixtureState {
  const k = spec.weights.length;
  if (spec.means.length !== k || spec.covs.length !== k) {
    throw new RangeError(`${field}: weights, means and covs must have one entry per component (${k})`);
  }
  let total = 0;
  for (const w of spec.weights) total += w;
  const weights = Float64Array.from(spec.weights, (w) => w / total);
  const means = new Float64Array(k * d);
  const covs = new Float64Array(k * d * d);
  for (let j = 0; j < k; j++) {
    if (spec.means[j].length !== d) throw new RangeError(`${field}.means[${j}] has ${spec.means[j].length} entries, expected ${d}`);
    means.set(spec.means[j], j * d);
    covs.set(covarianceMatrix(spec.covs[j], d, `${field}.covs[${j}]`), j * d * d);
  }
  return { k, d, covariance: 'full', weights, means, covs };
}
