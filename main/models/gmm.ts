import type { z } from 'zod';
import type { SampleShape, Samples } from '../data/samples';
import { dimOf } from '../data/samples';
import { Rng, deriveSeed } from '../util/random';
import { gmmParams } from '../contract/models/catalog';
import { readFloat64File, readModelJson, writeArrayFile, writeModelJson } from './checkpoint-files';
import { CancelledError, type FitOptions, type FitResult, type GenerativeModel } from './generative-model';
import { fitMixtureEm, mixtureFactors, mixtureMeanLogLik, rowLogJoint, sampleMixture, type MixtureState } from './gmm-em';

export type GmmParams = z.output<typeof gmmParams>;

/** A Gaussian mixture fitted by EM (main/models/gmm-em.ts); one EM iteration is one "epoch" of the fit. */
export class GmmModel implements GenerativeModel {
  readonly kind = 'gmm';
  readonly params: GmmParams;
  state: MixtureState | null = null;

  constructor(
    params: z.input<typeof gmmParams>,
    readonly shape: SampleShape,
  ) {
    this.params = gmmParams.parse(params);
  }

  async fit(data: Samples, opts: FitOptions): Promise<FitResult> {
    const d = dimOf(this.shape);
    if (data.dim !== d) throw new RangeError(`gmm: data dimension ${data.dim} differs from the model's ${d}`);
    const p = this.params;
    const res = fitMixtureEm(data.x, data.n, d, {
      k: p.k,
      covariance: p.covariance,
      maxIter: p.maxIter,
      tol: p.tol,
      ridge: p.ridge,
      kmeansIter: p.kmeansIter,
      rng: new Rng(deriveSeed(opts.seed, 'gmm-init')),
      onIteration: (it, nll) => {
        if (opts.signal?.aborted) throw new CancelledError();
        opts.onProgress?.({ epoch: it, epochs: p.maxIter, batch: 1, batches: 1, loss: nll });
      },
    });
    this.state = res.state;
    return { epochLosses: res.nll, diagnostics: { emIterations: res.nll.length, emConverged: res.converged ? 1 : 0 } };
  }

  private fitted(): MixtureState {
    if (!this.state) throw new Error('gmm: the model has not been fitted or loaded');
    return this.state;
  }

  async sample(n: number, seed: number): Promise<Float32Array> {
    return sampleMixture(this.fitted(), n, new Rng(deriveSeed(seed, 'gmm-sample')));
  }

  /** log p(x) of the fitted mixture at each row of x [n, d]. */
  logDensity(x: ArrayLike<number>, n: number): Float64Array {
    const st = this.fitted();
    const f = mixtureFactors(st);
    const joint = new Float64Array(st.k);
    const work = new Float64Array(st.d);
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) out[r] = rowLogJoint(st, f, x, r * st.d, joint, work);
    return out;
  }

  /** Mean log-likelihood of rows of `s` (for tests and diagnostics). */
  meanLogLikelihood(s: Samples): number {
    return mixtureMeanLogLik(this.fitted(), s.x, s.n);
  }

  async save(dir: string): Promise<void> {
    const s = this.fitted();
    await writeArrayFile(dir, 'weights.f64', s.weights);
    await writeArrayFile(dir, 'means.f64', s.means);
    await writeArrayFile(dir, 'covs.f64', s.covs);
    await writeModelJson(dir, { kind: this.kind, params: this.params, shape: this.shape, k: s.k, d: s.d });
  }

  static async load(dir: string): Promise<GmmModel> {
    const doc = await readModelJson(dir, 'gmm');
    const m = new GmmModel(doc.params as GmmParams, doc.shape);
    const k = doc.k as number;
    const d = doc.d as number;
    const full = m.params.covariance === 'full';
    m.state = {
      k,
      d,
      covariance: m.params.covariance,
      weights: await readFloat64File(dir, 'weights.f64', k),
      means: await readFloat64File(dir, 'means.f64', k * d),
      covs: await readFloat64File(dir, 'covs.f64', full ? k * d * d : k * d),
    };
    return m;
  }

  dispose(): void {
    this.state = null;
  }
}
