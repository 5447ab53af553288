import { describeFingerprint, frechetName, isFeatureMetric, spaceName, type FeatureFingerprint } from '../contract/feature-fingerprint';
import { DEFAULT_TABLE_METRICS, metricInfo, metricLabel } from '../contract/metric-catalog';
import type { MetricStat, StudyAggregate } from '../contract/study-aggregate';
import { csvField, csvLine } from './csv';
import { fingerprintGroups } from './fingerprint-groups';
import { latexStat, latexText } from './latex';
import { statText } from './number-format';

/**
 * The tables of a study, and of the renderer's comparison of ticked runs: one row per cell (its seeds folded), the
 * field columns, then each chosen metric at the last generation or at generation G as `mean ± sd (n)`, the best value
 * of a column marked where the catalog says which way is better. Markdown and LaTeX print numbers to 4 significant
 * digits (LaTeX's as math, so that it compiles); CSV (separate `_mean`, `_sd`, `_n` columns) and JSON (rows as
 * objects) carry them at full precision, as data to read back. Node-free: the engine and the renderer import it.
 */

export type StudyTableFormat = 'md' | 'csv' | 'latex' | 'json';

export interface StudyTableOptions {
  /** Metric keys; default: defaultTableMetrics. */
  metrics?: string[];
  /** The metrics the study chose to compute, listed first when `metrics` is absent. */
  chosen?: readonly string[];
  /** The last line of each run (default) or generation G. */
  generation?: 'last' | number;
  format: StudyTableFormat;
}

export { DEFAULT_TABLE_METRICS };

/** Shown for a cell without the value (generation G it lacks, or a metric it never recorded). */
export const MISSING = '—';

/** One row of a table: a cell's field values, its metrics' statistics and which of them are a column's best. */
export interface StudyTableRow {
  cellKey: string;
  fields: unknown[];
  stats: (MetricStat | null)[];
  best: boolean[];
  /** Seeds of the cell. */
  seeds: number[];
}

/**
 * The metrics of a table by default: the ones the study chose to compute (its `metrics`, what its claim reads), then
 * those of DEFAULT_TABLE_METRICS, each when the aggregate has it; else the aggregate's first six.
 */
export function defaultTableMetrics(aggregate: StudyAggregate, chosen: readonly string[] = []): string[] {
  const have = new Set(aggregate.metrics);
  const d = [...new Set([...chosen, ...DEFAULT_TABLE_METRICS])].filter((m) => have.has(m));
  return d.length ? d : aggregate.metrics.slice(0, 6);
}

/** A study's table in the format asked; throws on an unknown metric or a generation that is not an integer ≥ 0. */
export function formatStudyTable(aggregate: StudyAggregate, opts: StudyTableOptions): string {
  const metrics = chooseMetrics(aggregate, opts.metrics, opts.chosen);
  const generation = opts.generation ?? 'last';
  if (generation !== 'last' && !(Number.isInteger(generation) && generation >= 0)) {
    throw new Error(`generation must be "last" or an integer ≥ 0, got ${String(generation)}`);
  }
  const columns = tableColumns(aggregate, metrics);
  return formatTableRows(aggregate.fieldPaths, columns, studyTableRows(aggregate, columns, generation), opts.format);
}

function chooseMetrics(aggregate: StudyAggregate, asked: string[] | undefined, chosen: readonly string[] | undefined): string[] {
  if (!asked || asked.length === 0) return defaultTableMetrics(aggregate, chosen);
  const available = new Set(aggregate.metrics);
  const unknown = asked.filter((m) => !available.has(m));
  if (unknown.length > 0) {
    const list = aggregate.metrics.length > 0 ? aggregate.metrics.join(', ') : '(none)';
    throw new Error(`unknown metric${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; available: ${list}`);
  }
  return [...new Set(asked)];
}

/**
 * A column of a table: a metric, and for a metric computed in a feature space (FID, PRDC, Tr(Σ) of features…) the
 * feature fingerprint its cells share. Cells whose fingerprints differ never share a column: the metric is split into
 * one column per fingerprint (`fid#1`, `fid#2`), each labelled with its space, and a cell's value sits in its own.
 * The Fréchet distance is named by its space: FID only in Inception-v3's, FD_DINOv2, "FD (reference classifier)".
 */
export interface TableColumn {
  /** The metric key, or `key#i` for the i-th (1-based) of a split metric's columns. */
  id: string;
  metric: string;
  label: string;
  /** The feature fingerprint of the column's cells (absent for other metrics, or when no line recorded one). */
  fingerprint?: FeatureFingerprint;
  /** Cells whose own runs disagree in fingerprint sit in a column of their own, named so. */
  mixed?: boolean;
  /** The cells whose values this column holds; undefined: every cell. */
  cells?: ReadonlySet<string>;
}

/** The columns of `metrics` over the aggregate's cells (see TableColumn). */
export function tableColumns(aggregate: StudyAggregate, metrics: string[]): TableColumn[] {
  return metrics.flatMap((metric): TableColumn[] => {
    if (!isFeatureMetric(metric)) return [{ id: metric, metric, label: metricLabel(metric, aggregate.samples) }];
    const list = fingerprintGroups(aggregate.cells);
    const base = (fp: FeatureFingerprint | undefined) =>
      metric === 'fid' && fp ? frechetName(fp) : metricLabel(metric, aggregate.samples);
    if (list.length <= 1) {
      const fp = list[0]?.fingerprint;
      return [{ id: metric, metric, label: base(fp), ...(fp ? { fingerprint: fp } : {}), ...(list[0]?.mixed ? { mixed: true } : {}) }];
    }
    return list.map((g, i) => ({
      id: `${metric}#${i + 1}`,
      metric,
      label: `${base(g.fingerprint)} [${g.fingerprint ? fingerprintTag(g.fingerprint) : g.mixed ? 'runs differ in features' : 'features not recorded'}]`,
      ...(g.fingerprint ? { fingerprint: g.fingerprint } : {}),
      ...(g.mixed ? { mixed: true } : {}),
      cells: new Set(g.cells),
    }));
  });
}

/** What tells a split column's fingerprint from the others: space, dimension, sample counts. */
function fingerprintTag(fp: FeatureFingerprint): string {
  return `${spaceName(fp)}, ${fp.featureDim}-d, n ${fp.nReal}/${fp.nGenerated}`;
}

/** A column's fingerprint as one line (hover, exports); empty without one. */
export function columnNote(c: TableColumn): string {
  if (c.mixed) return 'the runs of these cells computed it with different feature networks or sample counts';
  return c.fingerprint ? describeFingerprint(c.fingerprint).join('; ') : '';
}

/** The columns' notes, one per distinct note with the labels of its columns: [["FID, precision", "features: …"]]. */
function groupedNotes(columns: TableColumn[]): [string, string][] {
  const byNote = new Map<string, string[]>();
  for (const c of columns) {
    const note = columnNote(c);
    if (note !== '') byNote.set(note, [...(byNote.get(note) ?? []), c.label]);
  }
  return [...byNote].map(([note, labels]) => [labels.join(', '), note]);
}

function asColumns(aggregate: StudyAggregate, metrics: (string | TableColumn)[]): TableColumn[] {
  return metrics.every((m) => typeof m === 'string')
    ? tableColumns(aggregate, metrics as string[])
    : metrics.map((m) => (typeof m === 'string' ? { id: m, metric: m, label: metricLabel(m, aggregate.samples) } : m));
}

function plainColumns(metrics: (string | TableColumn)[]): TableColumn[] {
  return metrics.map((m) => (typeof m === 'string' ? { id: m, metric: m, label: metricLabel(m) } : m));
}

/**
 * The rows of a table, one per cell, with the best value of each column marked: per column whose metric has a better
 * direction, the row(s) with the best mean — when at least two rows have a value and they are not all equal.
 */
export function studyTableRows(aggregate: StudyAggregate, metrics: (string | TableColumn)[], generation: 'last' | number): StudyTableRow[] {
  const columns = asColumns(aggregate, metrics);
  const rows = aggregate.cells.map((cell) => {
    const source = generation === 'last' ? cell.last.metrics : cell.generations.find((g) => g.generation === generation)?.metrics;
    return {
      cellKey: cell.cellKey,
      fields: aggregate.fieldPaths.map((p) => cell.fields[p]),
      stats: columns.map((c) => (c.cells && !c.cells.has(cell.cellKey) ? null : (source?.[c.metric] ?? null))),
      best: columns.map(() => false),
      seeds: cell.seeds,
    };
  });
  columns.forEach(({ metric: m }, j) => {
    const better = metricInfo(m)?.better;
    if (!better) return;
    const means = rows.map((r) => r.stats[j]?.mean).filter((v): v is number => v !== undefined);
    if (means.length < 2) return;
    const best = better === 'lower' ? Math.min(...means) : Math.max(...means);
    if (means.every((v) => v === best)) return;
    for (const r of rows) if (r.stats[j]?.mean === best) r.best[j] = true;
  });
  return rows;
}

/** Sort by a field column (index into fields) or a metric column (index into stats, by mean); missing values last. */
export function sortTableRows(
  rows: StudyTableRow[],
  by: { kind: 'field' | 'metric'; index: number } | null,
  dir: 'asc' | 'desc',
): StudyTableRow[] {
  if (!by) return rows;
  const sign = dir === 'asc' ? 1 : -1;
  const val = (r: StudyTableRow): number | string | undefined => {
    if (by.kind === 'metric') return r.stats[by.index]?.mean;
    const v = r.fields[by.index];
    return typeof v === 'number' ? v : v === undefined ? undefined : fieldText(v);
  };
  return rows
    .map((r, i) => ({ r, i, v: val(r) }))
    .sort((a, b) => {
      if (a.v === undefined || b.v === undefined) return a.v === b.v ? a.i - b.i : a.v === undefined ? 1 : -1;
      const c = a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.r);
}

/** A field value in a table: strings as they are, others as JSON. */
export function fieldText(v: unknown): string {
  if (v === undefined) return MISSING;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Rows as text in a format (rows in the order given), under the columns of tableColumns (or plain metric keys). A
 * column's feature fingerprint goes with it: a note under the Markdown table, a comment above the LaTeX one, a
 * `<column>_features` column in CSV, a `features` entry in JSON.
 */
export function formatTableRows(
  fieldPaths: string[],
  metricColumns: (string | TableColumn)[],
  rows: StudyTableRow[],
  format: StudyTableFormat,
): string {
  const metrics = plainColumns(metricColumns);
  switch (format) {
    case 'md':
      return markdown(fieldPaths, metrics, rows);
    case 'latex':
      return latex(fieldPaths, metrics, rows);
    case 'csv':
      return csv(fieldPaths, metrics, rows);
    case 'json':
      return json(fieldPaths, metrics, rows);
    default:
      throw new Error(`unknown table format ${String(format)}: use md, csv, latex or json`);
  }
}

/**
 * Text in a Markdown table cell: the backslash, the pipe and what would start emphasis, code or HTML escaped (`*`,
 * a backtick, `<`, an underscore at a word's edge), line breaks as spaces, so that a label such as ‖Σ − Σ*‖/‖Σ*‖
 * renders as it reads.
 */
export function markdownText(s: string): string {
  return s.replace(/[\\|*`<]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function markdown(fieldPaths: string[], metrics: TableColumn[], rows: StudyTableRow[]): string {
  const header = [...fieldPaths, ...metrics.map((c) => c.label)].map(markdownText);
  const align = [...fieldPaths.map(() => '---'), ...metrics.map(() => '---:')];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const out = [line(header), line(align)];
  for (const r of rows) {
    const cells = [
      ...r.fields.map((v) => markdownText(fieldText(v))),
      ...r.stats.map((s, j) => (s === null ? MISSING : r.best[j] ? `**${statText(s)}**` : statText(s))),
    ];
    out.push(line(cells));
  }
  const notes = groupedNotes(metrics).map(([labels, note]) => `- ${markdownText(labels)}: ${markdownText(note)}`);
  if (notes.length > 0) out.push('', 'Features:', '', ...notes);
  return `${out.join('\n')}\n`;
}

function latex(fieldPaths: string[], metrics: TableColumn[], rows: StudyTableRow[]): string {
  const cols = `${'l'.repeat(fieldPaths.length)}${'r'.repeat(metrics.length)}` || 'l';
  const line = (cells: string[]) => `${cells.join(' & ')} \\\\`;
  const notes = groupedNotes(metrics).map(([labels, note]) => `% ${labels}: ${note}`.replace(/[\r\n]+/g, ' '));
  const out = [
    ...notes,
    `\\begin{tabular}{${cols}}`,
    '\\toprule',
    line([...fieldPaths, ...metrics.map((c) => c.label)].map(latexText)),
    '\\midrule',
  ];
  for (const r of rows) {
    const cells = [
      ...r.fields.map((v) => latexText(fieldText(v))),
      ...r.stats.map((s, j) => {
        if (s === null) return latexText(MISSING);
        return r.best[j] ? `\\textbf{\\boldmath ${latexStat(s)}}` : latexStat(s);
      }),
    ];
    out.push(line(cells));
  }
  out.push('\\bottomrule', '\\end{tabular}');
  return `${out.join('\n')}\n`;
}

function csv(fieldPaths: string[], metrics: TableColumn[], rows: StudyTableRow[]): string {
  const noted = metrics.map((c) => columnNote(c) !== '');
  const header = [
    ...fieldPaths,
    ...metrics.flatMap((c, j) => [`${c.id}_mean`, `${c.id}_sd`, `${c.id}_n`, ...(noted[j] ? [`${c.id}_features`] : [])]),
  ];
  const out = [csvLine(header)];
  for (const r of rows) {
    const cells = [
      ...r.fields.map(csvField),
      ...r.stats.flatMap((s, j) => [
        ...(s === null ? ['', '', ''] : [String(s.mean), s.sd === null ? '' : String(s.sd), String(s.n)]),
        ...(noted[j] ? [s === null ? '' : csvField(columnNote(metrics[j]))] : []),
      ]),
    ];
    out.push(cells.join(','));
  }
  return `${out.join('\n')}\n`;
}

function json(fieldPaths: string[], metrics: TableColumn[], rows: StudyTableRow[]): string {
  const objects = rows.map((r) => {
    const o: Record<string, unknown> = {};
    fieldPaths.forEach((p, i) => (o[p] = r.fields[i] ?? null));
    metrics.forEach((c, j) => (o[c.id] = r.stats[j]));
    const features = Object.fromEntries(metrics.flatMap((c, j) => (c.fingerprint && r.stats[j] ? [[c.id, c.fingerprint]] : [])));
    if (Object.keys(features).length > 0) o.features = features;
    return o;
  });
  return `${JSON.stringify(objects, null, 2)}\n`;
}
