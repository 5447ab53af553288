import type { Samples } from '../data/samples';
import type { GenerativeModel } from '../models/generative-model';

/**
 * The mean negative log-likelihood of held-out real rows under the fitted model's density: the metric of
 * Collapse-or-Thrive's KDE experiment (Kazdan, Schaeffer et al., arXiv 2410.16713). The first `maxRows` test rows (the
 * test split is a seeded draw, so a prefix is a fair one); undefined for a model without a density.
 */
export function modelTestNll(model: GenerativeModel, test: Samples, maxRows: number): number | undefined {
  if (!model.logDensity) return undefined;
  const m = Math.min(test.n, maxRows);
  const logp = model.logDensity(test.x.subarray(0, m * test.dim), m);
  let s = 0;
  for (let i = 0; i < m; i++) s -= logp[i];
  return s / m;
}
