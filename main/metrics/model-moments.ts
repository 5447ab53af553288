import type { DeclaredTruth } from '../data/declared-truth';
import { cholesky, logDetFromCholesky } from '../models/dense-gaussian';
import type { GenerativeModel } from '../models/generative-model';

/**
 * The Collapse-or-Thrive paper's metrics of a fitted Gaussian (Kazdan, Schaeffer et al., arXiv 2410.16713): the squared
 * error of the fitted mean to the true mean, ‖μ̂_t − μ‖² (when the dataset declares its truth), and the log-determinant
 * of the fitted covariance, log det Σ̂_t (the determinant spans hundreds of decades at d = 100, so its logarithm is
 * recorded; its trace is modelVarianceTrace). Only for models that expose their fitted moments (the Gaussian).
 */
export function modelMoments(
  model: GenerativeModel,
  truth: DeclaredTruth | undefined,
): { modelMeanSqError?: number; modelCovarianceLogDet?: number } {
  const out: { modelMeanSqError?: number; modelCovarianceLogDet?: number } = {};
  if (model.fittedMean && truth) {
    const mean = model.fittedMean();
    if (mean.length !== truth.dim) throw new Error(`${model.kind}: fittedMean() has ${mean.length} values, the truth ${truth.dim}`);
    let s = 0;
    for (let i = 0; i < mean.length; i++) s += (mean[i] - truth.mean[i]) ** 2;
    out.modelMeanSqError = s;
  }
  if (model.fittedCovarianceLogDet) {
    // the model's own factor: the number a factorisation of fittedCovariance() gives (main/models/gaussian.ts)
    const logDet = model.fittedCovarianceLogDet();
    if (Number.isFinite(logDet)) out.modelCovarianceLogDet = logDet;
  } else if (model.fittedCovariance) {
    const cov = model.fittedCovariance();
    const d = Math.round(Math.sqrt(cov.length));
    try {
      const logDet = logDetFromCholesky(cholesky(cov, d), d);
      if (Number.isFinite(logDet)) out.modelCovarianceLogDet = logDet;
    } catch {
      // a singular fit (no ridge, fewer samples than dimensions) has no finite log-determinant: left out
    }
  }
  return out;
}
