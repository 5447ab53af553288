import type { FeatureFingerprint } from './feature-fingerprint';
import type { SampleSpace } from './metric-catalog';
/**
 * The types of a study's aggregate (aggregate.json, the `studies.aggregate` operation's answer): per cell (runs that
 * differ only by seed), mean, sample standard deviation and count of every numeric metric, per generation and at each
 * run's last line, with the power-law fits of the variance trace. The functions that compute it are in
 * main/shared/aggregate.ts (Node-free: the renderer's comparison of ticked runs uses them too).
 */

/** One run of a cell: its key, its seed and its metrics lines (metrics.jsonl) in generation order. */
export interface StudyRunResult {
  key: string;
  seed: number;
  lines: Record<string, unknown>[];
}

/** One cell of a study: its key, its axis values (config path → value) and its runs. */
export interface StudyCellResult {
  cellKey: string;
  fields: Record<string, unknown>;
  runs: StudyRunResult[];
}

export interface StudyAggregateInput {
  studyId: string;
  /** The axes' config paths, in order: the field columns of the tables and the CSV. */
  fieldPaths: string[];
  cells: StudyCellResult[];
  /**
   * First generation of each ψ fit window, by fitted metric; default for each: the asymptotic window t ∈ [10, T]
   * (generation ≥ 9: main/shared/psi.ts). A study sets its window in its base config's metrics.psiFromT.
   */
  powerLawFrom?: Partial<Record<PowerLawMetric, number>>;
  /** What the runs' samples are (the names of the raw-data metrics); images when absent. */
  samples?: SampleSpace;
  /**
   * The windows of generations a verdict averages a metric over (its preset's `windows`): each cell keeps each seed's
   * mean over each, so that the spread over seeds of a window mean is measured, not bounded.
   */
  windows?: AggregateWindow[];
}

/** A metric averaged over the generations from … to (inclusive) of each run. */
export interface AggregateWindow {
  metric: string;
  from: number;
  to: number;
}

/** Each seed's mean of a metric over a window: the seeds that recorded it at every generation of the window. */
export interface StudyWindowMeans extends AggregateWindow {
  seeds: number[];
  means: number[];
}

/** The metrics fitted with a power law when present: the fitted model's trace first, then the kept samples'. */
/** The metrics fitted with a power law when a cell records them (the fitted model's trace first). */
export const powerLawMetrics = ['modelVarianceTrace', 'varianceTrace', 'traceFeatures'] as const;
export type PowerLawMetric = (typeof powerLawMetrics)[number];

/** Mean, sample standard deviation (n − 1; null when n < 2) and count of one metric over a cell's seeds. */
export interface MetricStat {
  mean: number;
  sd: number | null;
  n: number;
}

export interface StudyGenerationStats {
  generation: number;
  /** By metric key, in the aggregate's metric order; a metric no run recorded at this generation is absent. */
  metrics: Record<string, MetricStat>;
}

export interface StudyLastStats {
  /** The generation(s) of the runs' last lines, ascending and distinct (several when the runs stopped apart). */
  generations: number[];
  metrics: Record<string, MetricStat>;
}

/** ψ of one seed's own series. */
export interface StudySeedFit {
  seed: number;
  psi: number;
  /** Null when not finite. */
  stderr: number | null;
}

/**
 * Tr(Σ_t) ≈ C·t^(−ψ), t = generation + 1, fitted by fitPowerLaw to the cell's mean trace over the generations of the
 * window (generation ≥ from) where the mean exists; and ψ of each seed's own series over the same window, with their
 * mean ± sd.
 */
export interface StudyPowerLawFit {
  /** The metric fitted: modelVarianceTrace (the fitted model's Tr(Σ), the theorem's), varianceTrace or traceFeatures. */
  metric: string;
  /** The fitting window's first generation (asked for; firstGeneration is the first one with data). */
  from: number;
  psi: number;
  stderr: number | null;
  /** log C. */
  intercept: number;
  /** Points fitted (generations with a mean), and the first and last of those generations. */
  points: number;
  firstGeneration: number;
  lastGeneration: number;
  /** Seeds with at least 3 generations of the metric, all positive. */
  seeds: StudySeedFit[];
  /** Mean ± sd of the seeds' ψ; null when no seed could be fitted. */
  seedPsi: MetricStat | null;
}

export interface StudyCellAggregate {
  cellKey: string;
  fields: Record<string, unknown>;
  /** Seeds of the runs with at least one metrics line, in the runs' order. */
  seeds: number[];
  /** Number of those runs. */
  n: number;
  /** Every generation any run recorded, ascending. */
  generations: StudyGenerationStats[];
  /** Over each run's last metrics line, whatever its generation. */
  last: StudyLastStats;
  /**
   * The feature fingerprints of the runs' last lines, distinct (main/contract/feature-fingerprint.ts): one when the
   * runs agree; absent when no line recorded one.
   */
  featureFingerprints?: FeatureFingerprint[];
  /** Each seed's mean over each window the aggregate was asked for (StudyAggregateInput.windows); absent without. */
  windows?: StudyWindowMeans[];
  /** Omitted per metric when the mean has fewer than 3 generations or a non-positive value. */
  fits: { modelVarianceTrace?: StudyPowerLawFit; varianceTrace?: StudyPowerLawFit; traceFeatures?: StudyPowerLawFit };
}

/** The aggregate of a study (plain JSON: aggregate.json). */
export interface StudyAggregate {
  studyId: string;
  fieldPaths: string[];
  /** Every metric key found in any line: the catalog's first, in its order, then the rest sorted. */
  metrics: string[];
  /** What the runs' samples are: images, vectors or a mix (metricLabel's space); images when absent. */
  samples?: SampleSpace;
  cells: StudyCellAggregate[];
}
