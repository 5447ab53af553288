import { featureFingerprint, fingerprintKey, type FeatureFingerprint } from '../contract/feature-fingerprint';
import { metricCatalog } from '../contract/metric-catalog';
import { csvField } from './csv';
import { fitPowerLawWindow } from './power-law';
import { psiFromGeneration } from './psi';

/**
 * The aggregate of a study: per cell (runs that differ only by seed), mean, sample standard deviation and count of
 * every numeric metric, per generation and at each run's last line, with the power-law fits of the variance trace.
 * Pure functions of the runs' metrics lines; the study folder writes the result to aggregate.json / aggregate.csv.
 */

import type {
  StudyRunResult,
  StudyCellResult,
  StudyAggregateInput,
  MetricStat,
  StudyGenerationStats,
  StudyLastStats,
  StudySeedFit,
  StudyPowerLawFit,
  StudyCellAggregate,
  StudyAggregate,
  PowerLawMetric,
  AggregateWindow,
  StudyWindowMeans,
} from '../contract/study-aggregate';

export type {
  StudyRunResult,
  StudyCellResult,
  StudyAggregateInput,
  MetricStat,
  StudyGenerationStats,
  StudyLastStats,
  StudySeedFit,
  StudyPowerLawFit,
  StudyCellAggregate,
  StudyAggregate,
  PowerLawMetric,
  AggregateWindow,
  StudyWindowMeans,
} from '../contract/study-aggregate';

/**
 * Metrics fitted with a power law when present, with the default first generation of their fitting window: the
 * asymptotic window t ∈ [10, T] (main/shared/psi.ts) for each.
 */
export const POWER_LAW_FROM: Record<PowerLawMetric, number> = {
  modelVarianceTrace: psiFromGeneration(),
  varianceTrace: psiFromGeneration(),
  traceFeatures: psiFromGeneration(),
};

/**
 * The numeric metrics of a metrics line: every finite top-level number but `generation`, and the finite numbers of
 * nested plain objects one level down as `parent.child` (`selection.accepted`). Arrays, strings, booleans, null and
 * deeper objects are skipped.
 */
export function numericMetricsOf(line: Record<string, unknown>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(line)) {
    if (k === 'generation') continue;
    if (typeof v === 'number') {
      if (Number.isFinite(v)) out.set(k, v);
    } else if (isPlainObject(v)) {
      for (const [k2, v2] of Object.entries(v)) {
        if (typeof v2 === 'number' && Number.isFinite(v2)) out.set(`${k}.${k2}`, v2);
      }
    }
  }
  return out;
}

/** Metric keys in the aggregate's order: those the catalog names, in its order, then the rest sorted. */
export function orderMetricKeys(keys: Iterable<string>): string[] {
  const set = new Set(keys);
  const known = metricCatalog.map((m) => m.key as string).filter((k) => set.has(k));
  const knownSet = new Set(known);
  const rest = [...set].filter((k) => !knownSet.has(k)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...known, ...rest];
}

/** Mean, sample sd (null when n < 2) and n of some values (at least one). */
export function metricStat(values: number[]): MetricStat {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n < 2) return { mean, sd: null, n };
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / (n - 1)), n };
}

/** A run's lines parsed once: generation → metrics (a later line of the same generation replaces an earlier one). */
interface ParsedRun {
  seed: number;
  byGeneration: Map<number, Map<string, number>>;
  lastGeneration: number;
  last: Map<string, number>;
  /** The last line's feature fingerprint, when it has one. */
  fingerprint?: FeatureFingerprint;
}

function parseRun(run: StudyRunResult): ParsedRun | null {
  if (run.lines.length === 0) return null;
  const byGeneration = new Map<number, Map<string, number>>();
  run.lines.forEach((line, i) => byGeneration.set(generationOf(line, i), numericMetricsOf(line)));
  const lastIndex = run.lines.length - 1;
  const lastGeneration = generationOf(run.lines[lastIndex], lastIndex);
  const fp = featureFingerprint.safeParse(run.lines[lastIndex].featureFingerprint);
  const parsed: ParsedRun = { seed: run.seed, byGeneration, lastGeneration, last: byGeneration.get(lastGeneration)! };
  if (fp.success) parsed.fingerprint = fp.data;
  return parsed;
}

/** A line's generation; its index when the line has none. */
function generationOf(line: Record<string, unknown>, index: number): number {
  const g = line.generation;
  return typeof g === 'number' && Number.isFinite(g) ? g : index;
}

/** Aggregate a study's runs by cell: mean / sd / n per generation and at the last line, and the ψ fits. */
export function aggregateStudy(input: StudyAggregateInput): StudyAggregate {
  const cells = input.cells.map((cell) => aggregateCell(cell, input.powerLawFrom, input.windows));
  return combineCellAggregates(input.studyId, input.fieldPaths, cells, input.samples);
}

/**
 * The aggregate from its cells, each aggregated alone (aggregateCell): its metrics are every cell's, in the catalog's
 * order. Equal to aggregating every cell at once, since each cell's statistics follow that order restricted to its own
 * metrics; so a study's aggregate can be computed one cell at a time, its runs' lines read and dropped cell by cell.
 */
export function combineCellAggregates(
  studyId: string,
  fieldPaths: readonly string[],
  cells: StudyCellAggregate[],
  samples?: StudyAggregateInput['samples'],
): StudyAggregate {
  const found = new Set<string>();
  for (const c of cells) {
    for (const g of c.generations) for (const k of Object.keys(g.metrics)) found.add(k);
    for (const k of Object.keys(c.last.metrics)) found.add(k);
  }
  return { studyId, fieldPaths: [...fieldPaths], metrics: orderMetricKeys(found), ...(samples ? { samples } : {}), cells };
}

/**
 * One cell's aggregate: mean / sd / n per generation and at the last line of its runs, the ψ fits, and each seed's
 * mean over each of `windows`.
 */
export function aggregateCell(
  cell: StudyCellResult,
  powerLawFrom?: StudyAggregateInput['powerLawFrom'],
  windows?: readonly AggregateWindow[],
): StudyCellAggregate {
  const runs = cell.runs.map(parseRun).filter((r): r is ParsedRun => r !== null);
  const found = new Set<string>();
  for (const r of runs) for (const m of r.byGeneration.values()) for (const k of m.keys()) found.add(k);
  const metrics = orderMetricKeys(found);
  const gens = [...new Set(runs.flatMap((r) => [...r.byGeneration.keys()]))].sort((a, b) => a - b);
  const generations = gens.map((generation) => ({
    generation,
    metrics: statsOf(
      metrics,
      runs.map((r) => r.byGeneration.get(generation)).filter((m): m is Map<string, number> => m !== undefined),
    ),
  }));
  const last: StudyLastStats = {
    generations: [...new Set(runs.map((r) => r.lastGeneration))].sort((a, b) => a - b),
    metrics: statsOf(
      metrics,
      runs.map((r) => r.last),
    ),
  };
  const fits: StudyCellAggregate['fits'] = {};
  for (const metric of Object.keys(POWER_LAW_FROM) as PowerLawMetric[]) {
    const fit = powerLawFitOf(metric, generations, runs, powerLawFrom?.[metric] ?? POWER_LAW_FROM[metric]);
    if (fit) fits[metric] = fit;
  }
  const fingerprints = new Map<string, FeatureFingerprint>();
  for (const r of runs) if (r.fingerprint) fingerprints.set(fingerprintKey(r.fingerprint), r.fingerprint);
  return {
    cellKey: cell.cellKey,
    fields: { ...cell.fields },
    seeds: runs.map((r) => r.seed),
    n: runs.length,
    generations,
    last,
    ...(fingerprints.size > 0 ? { featureFingerprints: [...fingerprints.values()] } : {}),
    ...(windows && windows.length > 0 ? { windows: windows.map((w) => windowMeans(w, runs)) } : {}),
    fits,
  };
}

/** Each seed's mean of the window's metric over its generations, for the runs that recorded it at every one of them. */
function windowMeans(w: AggregateWindow, runs: ParsedRun[]): StudyWindowMeans {
  const seeds: number[] = [];
  const means: number[] = [];
  for (const r of runs) {
    let sum = 0;
    let complete = w.to >= w.from;
    for (let g = w.from; g <= w.to && complete; g++) {
      const v = r.byGeneration.get(g)?.get(w.metric);
      if (v === undefined) complete = false;
      else sum += v;
    }
    if (!complete) continue;
    seeds.push(r.seed);
    means.push(sum / (w.to - w.from + 1));
  }
  return { metric: w.metric, from: w.from, to: w.to, seeds, means };
}

function statsOf(metrics: string[], lines: Map<string, number>[]): Record<string, MetricStat> {
  const out: Record<string, MetricStat> = {};
  for (const key of metrics) {
    const values: number[] = [];
    for (const m of lines) {
      const v = m.get(key);
      if (v !== undefined) values.push(v);
    }
    if (values.length > 0) out[key] = metricStat(values);
  }
  return out;
}

function powerLawFitOf(metric: string, generations: StudyGenerationStats[], runs: ParsedRun[], from: number): StudyPowerLawFit | undefined {
  const points = generations.filter((g) => g.generation >= from && g.metrics[metric] !== undefined);
  const fit = fitPowerLawWindow(
    points.map((g) => g.generation),
    points.map((g) => g.metrics[metric].mean),
    from,
  );
  if (!fit) return undefined;
  const seeds: StudySeedFit[] = [];
  for (const r of runs) {
    const sg: number[] = [];
    const sy: number[] = [];
    for (const g of [...r.byGeneration.keys()].sort((a, b) => a - b)) {
      const v = r.byGeneration.get(g)!.get(metric);
      if (v === undefined) continue;
      sg.push(g);
      sy.push(v);
    }
    const f = fitPowerLawWindow(sg, sy, from);
    if (f) seeds.push({ seed: r.seed, psi: f.psi, stderr: Number.isFinite(f.stderr) ? f.stderr : null });
  }
  return {
    metric,
    from,
    psi: fit.psi,
    stderr: Number.isFinite(fit.stderr) ? fit.stderr : null,
    intercept: fit.intercept,
    points: fit.points,
    firstGeneration: points[0].generation,
    lastGeneration: points[points.length - 1].generation,
    seeds,
    seedPsi: seeds.length > 0 ? metricStat(seeds.map((s) => s.psi)) : null,
  };
}

/**
 * The long CSV of a study (aggregate.csv): one row per run × generation × metric, columns the field paths, then
 * `cell`, `seed`, `generation`, `metric`, `value`. Values at full precision; strings as they are and other field values
 * as JSON, quoted where they hold a comma, a quote or a line break. Rows by cell, run, line, then the metrics' order.
 */
export function aggregateCsv(input: StudyAggregateInput): string {
  const rows: string[] = [aggregateCsvHeader(input.fieldPaths)];
  for (const cell of input.cells) rows.push(...aggregateCsvRows(input.fieldPaths, cell));
  return `${rows.join('\n')}\n`;
}

/** The CSV's header line (no line break). */
export function aggregateCsvHeader(fieldPaths: readonly string[]): string {
  return [...fieldPaths, 'cell', 'seed', 'generation', 'metric', 'value'].map(csvField).join(',');
}

/**
 * One cell's CSV rows (no line breaks): a line's metrics in the catalog's order, the same order whether the CSV is
 * written at once or one cell at a time.
 */
export function aggregateCsvRows(fieldPaths: readonly string[], cell: StudyCellResult): string[] {
  const rows: string[] = [];
  // what a row shares with its cell, run and line is formatted once (a 7,500-run grid writes millions of rows); a
  // line's metric keys are ordered once per set of keys, each quoted once; a metric's value is a finite number, whose
  // text needs no quoting
  const cellPrefix = [...fieldPaths.map((p) => csvField(cell.fields[p])), csvField(cell.cellKey)].join(',');
  const ordered = new Map<string, string[]>();
  const quoted = new Map<string, string>();
  for (const run of cell.runs) {
    const runPrefix = `${cellPrefix},${csvField(run.seed)}`;
    run.lines.forEach((line, i) => {
      const m = numericMetricsOf(line);
      const linePrefix = `${runPrefix},${csvField(generationOf(line, i))}`;
      const signature = [...m.keys()].join('\n');
      let keys = ordered.get(signature);
      if (!keys) ordered.set(signature, (keys = orderMetricKeys(m.keys())));
      for (const key of keys) {
        let k = quoted.get(key);
        if (k === undefined) quoted.set(key, (k = csvField(key)));
        rows.push(`${linePrefix},${k},${String(m.get(key)!)}`);
      }
    });
  }
  return rows;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
