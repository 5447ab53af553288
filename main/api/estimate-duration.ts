import type { DurationEstimate } from '../contract/api';
import type { ExperimentConfig } from '../contract/config';
import { pcaComponents } from '../contract/feature-space-spec';
import { planRun } from '../contract/run-plan';
import { datasetEntryFor } from '../data/dataset-registry';
import { defaultFeatureSpec } from '../metrics/reference-dir';
import type { MachineRate } from '../backend/machine-speed';
import { modelCost } from '../contract/models/catalog';
import { schemeSeconds } from '../contract/selection/catalog';

/**
 * A rough wall-clock estimate of a run, for the wizard's review step: training samples per generation (the run plan,
 * main/contract/run-plan.ts) times the model kind's throughput measured on a 2-core machine with the wasm backend (its catalog entry's
 * cost model, main/models/kinds/<kind>.ts), plus sampling and selection. It is an order of magnitude, not a promise;
 * the run's own ETA (from finished generations) replaces it.
 */

/** Real training-set size the config will load; null when it depends on files we have not read. */
export function realTrainSize(config: ExperimentConfig): number | null {
  return datasetEntryFor(config.dataset).plannedSize(config.dataset).trainN;
}

/** Values per sample from the config (the dataset kind's registry entry); MNIST's 784 where the files decide. */
function dimOf(config: ExperimentConfig): number {
  return datasetEntryFor(config.dataset).plannedSize(config.dataset).dim ?? 784;
}

/**
 * With `machine` (this machine's measured speed on the backend the run would use, main/backend/machine-speed.ts), the
 * model's rate is its finished runs' rate there, else the catalog's times the doctor's factor; the basis says so.
 */
export function estimateDuration(config: ExperimentConfig, machine: MachineRate | null = null): DurationEstimate {
  const known = realTrainSize(config);
  const real = known ?? 10_000;
  const dim = dimOf(config);
  const catalog = modelCost(config.model, { dim });
  // a model without a TensorFlow.js backend keeps the catalog's rate unless its own runs were timed here
  if (machine && catalog.onBackend === false && machine.trainPerSecond === undefined) machine = null;
  const scale = machine && catalog.onBackend !== false ? machine.factor : 1;
  const t = machine ? { ...catalog, train: machine.trainPerSecond ?? catalog.train * scale, sample: catalog.sample * scale } : catalog;
  const plan = planRun(config.loop, real);
  const trainingSamples = plan.trainingSets.map((s) => s.size * t.epochs);
  const candidates = plan.candidates;
  const select = selectionSeconds(config, candidates, real, dim);
  const perGenerationOverhead = 1 + candidates / t.sample + select;
  const seconds = trainingSamples.reduce((s, n) => s + n / t.train + perGenerationOverhead, 5);
  const basis =
    `${config.model.kind} at about ${Math.round(t.train)} training samples/s ` +
    (machine
      ? `on this machine (${machine.backend}, ${machine.label}; ${machine.trainPerSecond ? 'its finished runs' : 'collapse-lab doctor'})`
      : '(2 cores, wasm; not measured here: collapse-lab doctor)') +
    (select >= 1 ? `; ${config.selection.scheme} about ${Math.round(select)} s per generation` : '') +
    (known === null ? '; dataset size unknown before loading, 10,000 assumed' : '');
  return { seconds, trainingSamples, basis };
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
