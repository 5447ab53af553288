import type { Samples } from '../data/samples';
import type { GenerativeModel } from '../models/generative-model';
import { varianceTrace } from './covariance';

/**
 * Tr(Σ̄_t) of a generation's fitted model, the quantity of the selection-bias paper's Theorems 1–2: the trace of the
 * covariance the model samples from when it exposes it (GenerativeModel.fittedCovariance, e.g. the Gaussian's maximum-
 * likelihood Σ + ridge·I), else the unbiased trace of its N candidates' sample covariance (they are i.i.d. draws of the
 * fitted model), with `modelVarianceTraceCandidates` = N to say so.
 */
export function modelVarianceTrace(
  model: GenerativeModel,
  candidates: Samples,
): { modelVarianceTrace: number; modelVarianceTraceCandidates?: number } {
  if (model.fittedCovariance) {
    const cov = model.fittedCovariance();
    const d = Math.round(Math.sqrt(cov.length));
    if (d * d !== cov.length) throw new Error(`${model.kind}: fittedCovariance() returned ${cov.length} values, not a square matrix`);
    let trace = 0;
    for (let i = 0; i < d; i++) trace += cov[i * d + i];
    return { modelVarianceTrace: trace };
  }
  return {
    modelVarianceTrace: varianceTrace(candidates.x, candidates.n, candidates.dim),
    modelVarianceTraceCandidates: candidates.n,
  };
}
