import type { StageWork } from '../backend/machine-speed';
import type { ExperimentConfig } from '../contract/config';
import { pcaComponents } from '../contract/feature-space-spec';
import { modelCost } from '../contract/models/catalog';
import { planRun } from '../contract/run-plan';
import { schemeSeconds } from '../contract/selection/catalog';
import { datasetEntryFor } from '../data/dataset-registry';
import { defaultFeatureSpec } from '../metrics/reference-dir';

/**
 * A run's work per stage from its config: what the estimate (main/api/estimate-duration.ts) divides by this machine's
 * rates, and what the run worker hands machine-speed.ts with a finished run's stage times (one definition for both).
 * Here, not in the estimate, because the run worker needs it and sits below the API.
 */

/** Real training-set size the config will load; null when it depends on files we have not read. */
export function realTrainSize(config: ExperimentConfig): number | null {
  return datasetEntryFor(config.dataset).plannedSize(config.dataset).trainN;
}

/** Values per sample from the config (the dataset kind's registry entry); MNIST's 784 where the files decide. */
export function dimOf(config: ExperimentConfig): number {
  return datasetEntryFor(config.dataset).plannedSize(config.dataset).dim ?? 784;
}

/**
 * The work of one generation of `config` whose training set has `trainSize` rows: what the estimate divides by its
 * rates, and what machine-speed.ts divides a finished run's stage times by (one definition for both, so a measured
 * rate reproduces the time it was measured on).
 */
export function stageWork(config: ExperimentConfig): (trainSize: number) => StageWork {
  const real = realTrainSize(config) ?? 10_000;
  const dim = dimOf(config);
  const { epochs } = modelCost(config.model, { dim });
  const candidates = planRun(config.loop, real).candidates;
  const side = Math.min(config.loop.keep, config.metrics.maxSamples);
  const test = Math.min(testSize(config) ?? side, config.metrics.maxSamples);
  const select = selectionSeconds(config, candidates, real, dim);
  return (trainSize) => ({ trainingSamples: trainSize * epochs, candidates, metricsSamples: side + test, selectionSeconds: select });
}

/** The test split's size as the run will hold it, where the config and the files' headers tell. */
function testSize(config: ExperimentConfig): number | null {
  try {
    return datasetEntryFor(config.dataset).facts(config.dataset)?.testN ?? null;
  } catch {
    return null;
  }
}

/**
 * A selection's seconds per generation: its scheme's cost model (the catalog entry, main/selection/kinds/<name>.ts:
 * rates measured on the project's 2-core machine, npm run bench -- selection) in the feature space the run will use.
 */
export function selectionSeconds(config: ExperimentConfig, candidates: number, real: number, dim: number): number {
  const sel = config.selection;
  // the loop's rule (a dataset without a shipped classifier, e.g. gaussian, resolves to raw)
  const feature = sel.features ?? defaultFeatureSpec(config.dataset.kind, true);
  const featureDim = feature === 'reference' ? 128 : (pcaComponents(feature) ?? dim);
  return schemeSeconds(sel, { candidates, keep: config.loop.keep, featureDim, realSize: real, islands: config.islands.count });
}
