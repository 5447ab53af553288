/**
 * ψ, the exponent of a trace's power law Tr(Σ_t) ≈ C·t^(−ψ) (t = generation + 1), is defined with its fit window: the
 * selection-bias paper's ψ is the asymptotic rate after the rapid homogenisation of the first generations, so the
 * default window is t ∈ [10, T] (a study sets its own in `metrics.psiFromT` of its base config). Its two estimators
 * differ and carry different names everywhere: "ψ per seed" (each seed's own fit, mean ± sd over the seeds) and
 * "ψ of the cell mean" (one fit of the seeds' mean series, ± the fit's standard error). Plain data and text, free of Node.
 */

/** The first t of the default fit window (t = generation + 1): t ∈ [10, T]. */
export const DEFAULT_PSI_FROM_T = 10;

/** The first generation of a window starting at t = fromT. */
export function psiFromGeneration(fromT: number = DEFAULT_PSI_FROM_T): number {
  return Math.max(0, fromT - 1);
}

/** The fit window as text, from its first and last fitted generations: "t ∈ [10, 100]". */
export function psiWindowText(firstGeneration: number, lastGeneration: number): string {
  return `t ∈ [${firstGeneration + 1}, ${lastGeneration + 1}]`;
}

export type PsiEstimator = 'per-seed' | 'of-mean';

/** The two estimators' names and what their ± means. */
export const psiEstimators: Record<PsiEstimator, { label: string; spread: string; description: string }> = {
  'per-seed': {
    label: 'ψ per seed',
    spread: '± sd over seeds',
    description: 'each seed’s own power-law fit over the window; the mean over the seeds ± their sd',
  },
  'of-mean': {
    label: 'ψ of the cell mean',
    spread: '± s.e. of the fit',
    description: 'one power-law fit of the seeds’ mean series over the window, ± the slope’s standard error',
  },
};

/** A ψ with its estimator and window as one label: "ψ of the cell mean, t ∈ [10, 100]". */
export function psiLabel(estimator: PsiEstimator, firstGeneration: number, lastGeneration: number): string {
  return `${psiEstimators[estimator].label}, ${psiWindowText(firstGeneration, lastGeneration)}`;
}

/**
 * The `ours.metric` names of a paper figure for ψ: `psi-per-seed:<metric>` and `psi-of-mean:<metric>` (the metric
 * fitted, e.g. modelVarianceTrace). Returns the estimator and the metric, or null for any other name.
 */
export function parsePsiMetric(name: string): { estimator: PsiEstimator; metric: string } | null {
  const m = /^psi-(per-seed|of-mean):(.+)$/.exec(name);
  return m ? { estimator: m[1] as PsiEstimator, metric: m[2] } : null;
}
