import type { DurationEstimate } from '../contract/api';
import type { ExperimentConfig } from '../contract/config';
import { parseParadigm } from '../contract/paradigm';
import { defaultFeatureSpec } from '../metrics/reference-dir';

/**
 * A rough wall-clock estimate of a run, for the wizard's review step: training samples per generation (from the
 * paradigm) times a per-model throughput measured on a 2-core machine with the wasm backend (FIELD-NOTES), plus
 * sampling. It is an order of magnitude, not a promise; the run's own ETA (from finished generations) replaces it.
 */

/** Real training-set size the config will load; null when it depends on files we have not read. */
export function realTrainSize(config: ExperimentConfig): number | null {
  const d = config.dataset;
  switch (d.kind) {
    case 'mnist':
    case 'fashion-mnist':
      return d.subset ?? 60_000;
    case 'gaussian':
    case 'gaussian-mixture':
      return d.trainSize;
    default:
      return 'subset' in d && typeof d.subset === 'number' ? d.subset : null;
  }
}

/** Training-set size of each generation, as main/loop/training-set.ts builds it. */
export function trainingSetSizes(config: ExperimentConfig, real: number): number[] {
  const { generations, keep, trainSize } = config.loop;
  const paradigm = parseParadigm(config.loop.paradigm);
  const size = trainSize ?? real;
  return Array.from({ length: generations }, (_, g) => {
    if (g === 0) return real;
    switch (paradigm.kind) {
      case 'replace':
        return keep;
      case 'accumulate':
        return real + g * keep;
      case 'accumulate-subsample':
        return Math.min(size, real + g * keep);
      case 'mixed':
        return size;
    }
  });
}

interface Throughput {
  /** Training samples per second (one epoch over one sample). */
  train: number;
  /** Generated samples per second. */
  sample: number;
  epochs: number;
}

function throughput(config: ExperimentConfig, dim: number): Throughput {
  const p = config.model.params as Record<string, unknown>;
  const num = (k: string, d: number) => (typeof p[k] === 'number' ? (p[k] as number) : d);
  switch (config.model.kind) {
    case 'vae-mlp': {
      // measured: about 1,200 images/s for 784-400-400 at batch 128 (wasm); cost scales with the first layer's MACs
      const hidden = Array.isArray(p.hidden) ? (p.hidden as number[]) : [400, 400];
      const macs = dim * hidden[0] + hidden.slice(1).reduce((s, h, i) => s + h * hidden[i], 0);
      const ref = 784 * 400 + 400 * 400;
      return { train: (1200 * ref) / Math.max(macs, 1), sample: 20_000, epochs: num('epochs', 10) };
    }
    case 'vae-conv':
      return { train: 300, sample: 5_000, epochs: num('epochs', 10) };
    case 'wgan-gp':
      // a critic step with its penalty: about 15 images/s; criticSteps of them per generator step
      return { train: 15 / Math.max(1, num('criticSteps', 5) / 5), sample: 2_000, epochs: num('epochs', 100) };
    case 'ddpm':
      return { train: 60, sample: 40 / Math.max(1, num('samplingSteps', 50) / 50), epochs: num('epochs', 20) };
    default:
      // closed-form or EM fits: fast; dominated by the data's size and dimension
      return { train: 2e7 / Math.max(dim, 1), sample: 2e7 / Math.max(dim, 1), epochs: 1 };
  }
}

function dimOf(config: ExperimentConfig): number {
  const d = config.dataset;
  if (d.kind === 'gaussian' || d.kind === 'gaussian-mixture') return d.dim;
  if (d.kind === 'npy' && d.imageShape) return d.imageShape.reduce((a, b) => a * b, 1);
  return 784;
}

export function estimateDuration(config: ExperimentConfig): DurationEstimate {
  const known = realTrainSize(config);
  const real = known ?? 10_000;
  const dim = dimOf(config);
  const t = throughput(config, dim);
  const sizes = trainingSetSizes(config, real);
  const trainingSamples = sizes.map((s) => s * t.epochs);
  const candidates = Math.round(config.loop.ratio * config.loop.keep);
  const select = selectionSeconds(config, candidates, real, dim);
  const perGenerationOverhead = 1 + candidates / t.sample + select;
  const seconds = trainingSamples.reduce((s, n) => s + n / t.train + perGenerationOverhead, 5);
  const basis =
    `${config.model.kind} at about ${Math.round(t.train)} training samples/s (2 cores, wasm)` +
    (select >= 1 ? `; ${config.selection.scheme} about ${Math.round(select)} s per generation` : '') +
    (known === null ? '; dataset size unknown before loading, 10,000 assumed' : '');
  return { seconds, trainingSamples, basis };
}

/**
 * A selection's seconds per generation from its dominant work, with rates measured on the project's 2-core machine
 * (npm run bench -- selection; the kmeans and OT timings of the mnist-islands comparison): kmeans N·n·d per Lloyd
 * iteration; the OT schemes one entropic problem of the N candidates against each island's data (ot-proxy) or the
 * barycenter's support (ot-barycenter), about 40 + d operations per pair of points; covmatch N·p per kept sample.
 */
export function selectionSeconds(config: ExperimentConfig, candidates: number, real: number, dim: number): number {
  const sel = config.selection;
  const p = sel.params as Record<string, unknown>;
  const num = (k: string, d: number) => (typeof p[k] === 'number' ? (p[k] as number) : d);
  // the loop's rule (a dataset without a shipped classifier, e.g. gaussian, resolves to raw)
  const feature = sel.features ?? defaultFeatureSpec(config.dataset.kind, true);
  const d = feature === 'reference' ? 128 : feature.startsWith('pca:') ? Number(feature.slice(4)) : dim;
  const n = config.loop.keep;
  const otPair = (40 + d) * 1.2e-9;
  switch (sel.scheme) {
    case 'kmeans':
      return (candidates * n * d * (num('iterations', 10) + 2)) / 1.5e9;
    case 'covmatch':
      return (candidates * Math.min(num('components', 32), d) * n) / 3e8 + (candidates * d * d) / 1e9;
    case 'center':
    case 'topalpha':
      return (candidates * d * d) / 1e9;
    case 'ot-proxy':
      return (p.islands === 'verifier' ? real / Math.max(1, config.islands.count) : real) * candidates * otPair;
    case 'ot-barycenter':
      return num('support', 1000) * candidates * otPair * 2;
    default:
      return 0;
  }
}
