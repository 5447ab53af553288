import { z } from 'zod';
import { metricCatalog } from './metric-catalog';

/**
 * Which metrics each generation computes (config `metrics.compute`, or a study's `metrics` for all its runs): a list
 * of metric keys. The costly computations below run only when a listed key needs them, so a Gaussian grid that reads
 * the mean error and the traces does not pay for PRDC's neighbour radii, exact W₁ or W₂ to its truth. Everything else
 * a line records is cheap and always recorded (moments and traces, the mean distance, the fitted model's own
 * diagnostics, ψ, the stage timings). Absent: every metric, as before.
 */
export const metricComputations = {
  /** The feature space's Fréchet distance and the statistics it shares. */
  fid: ['fid', 'w2Features', 'w2FeaturesSpread', 'covarianceGap', 'traceFeatures', 'traceFeaturesTest', 'featureDim'],
  /** k-NN precision, recall, density and coverage (the test split's neighbour radii). */
  prdc: ['precision', 'recall', 'density', 'coverage', 'k'],
  /** Exact W₁ on the flattened data. */
  w1: ['w1', 'w1Points'],
  /** The classifier's class histogram of the samples. */
  classes: ['classHistogram', 'classEntropy', 'classesCovered'],
  /** A classifier trained on the samples, tested on real data. */
  downstream: ['downstreamAccuracy'],
  /**
   * W₂ of the samples' moments to a declared Gaussian truth: a d × d matrix square root per generation (about 20 ms at
   * d = 100, nine tenths of a Collapse-or-Thrive run at that size, which never reads it).
   */
  w2Truth: ['w2ToTruth'],
  /** TV of the fitted model's density to the declared truth. */
  tv: ['tvToTruth', 'tvToTruthError', 'tvToTruthRise'],
  /** The negative log-likelihood of the held-out test rows under the fitted model's density; only when listed. */
  testNll: ['modelTestNll'],
} as const;
export type MetricComputation = keyof typeof metricComputations;
export const metricComputationNames = Object.keys(metricComputations) as MetricComputation[];
/**
 * Computations a run without a selection leaves out: they are paid per test row and training row (a KDE's density on
 * an image test split would cost far more than its training), so a config or study asks for them by name.
 */
const onlyWhenListed: ReadonlySet<MetricComputation> = new Set(['testNll']);

const computationOf = new Map<string, MetricComputation>(
  metricComputationNames.flatMap((c) => metricComputations[c].map((k) => [k, c] as [string, MetricComputation])),
);
const knownKeys = new Set<string>([...metricCatalog.map((m) => m.key as string), ...computationOf.keys()]);

/** A list of metric keys, each one the catalog (main/contract/metric-catalog.ts) names; none twice. */
export const metricSelection = z
  .array(z.string())
  .min(1)
  .max(200)
  .superRefine((keys, ctx) => {
    const seen = new Set<string>();
    keys.forEach((k, i) => {
      if (!knownKeys.has(k)) {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `"${k}" is not a metric; known metrics: ${[...knownKeys].sort().join(', ')}`,
        });
      } else if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [i], message: `"${k}" is listed twice` });
      seen.add(k);
    });
  });
export type MetricSelection = z.infer<typeof metricSelection>;

/** The costly computations a selection needs; every one but those computed only when listed when there is no selection. */
export function selectedComputations(selection: readonly string[] | undefined): Set<MetricComputation> {
  if (!selection) return new Set(metricComputationNames.filter((c) => !onlyWhenListed.has(c)));
  const out = new Set<MetricComputation>();
  for (const k of selection) {
    const c = computationOf.get(k);
    if (c) out.add(c);
  }
  return out;
}
