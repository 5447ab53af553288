import { metricInfo, metricLabel, type SampleSpace } from '../../../main/contract/metric-catalog';
import type { StudyAggregate, StudyCellAggregate } from '../../../main/contract/study-aggregate';
import { csvField } from '../../../main/shared/csv';
import { formatNumber } from '../../../main/shared/number-format';
import { valueAxis } from '../charts/value-axis';
import { fieldText } from '../../../main/shared/study-table';

/**
 * Metrics against an axis field (the score-geometry paper's figure): per cell, a metric's mean ± sd over seeds at the
 * last or a chosen generation against the cell's value of a numeric field, the other fields held at one value each
 * ("where") or left free; the cells that agree on every free field form one series.
 */
export interface FieldPoint {
  cellKey: string;
  x: number;
  mean: number;
  sd: number | null;
  n: number;
}

export interface FieldSeries {
  /** The free fields' values of the series' cells (JSON), '' when no field is free. */
  key: string;
  /** `field = value · …` of the free fields; '' when none. */
  label: string;
  points: FieldPoint[];
}

/** Held values by field path: the value's JSON (`valueKey`); a field absent or 'any' is free. */
export type FieldWhere = Record<string, string>;

export const ANY = 'any';

export const SCORE_GEOMETRY_METRICS = ['scoreErrorL2', 'scoreErrorGradient', 'energyToExact'];
export const QUALITY_DEFAULT_METRICS = ['fid', 'recall', 'varianceTrace'];

export function valueKey(v: unknown): string {
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

/** The axis fields whose values are all finite numbers (in at least one cell, none of another type), in axis order. */
export function numericFields(aggregate: StudyAggregate): string[] {
  return aggregate.fieldPaths.filter((p) => {
    const values = aggregate.cells.map((c) => c.fields[p]).filter((v) => v !== undefined);
    return values.length > 0 && values.every((v) => typeof v === 'number' && Number.isFinite(v));
  });
}

/** A field's distinct values over the cells (numbers ascending, others in order of first appearance). */
export function fieldValues(aggregate: StudyAggregate, path: string): unknown[] {
  const seen = new Map<string, unknown>();
  for (const c of aggregate.cells) {
    const k = valueKey(c.fields[path]);
    if (!seen.has(k)) seen.set(k, c.fields[path]);
  }
  const values = [...seen.values()];
  return values.every((v) => typeof v === 'number') ? (values as number[]).sort((a, b) => a - b) : values;
}

export function valueText(v: unknown): string {
  return typeof v === 'number' ? formatNumber(v) : fieldText(v);
}

/**
 * The default "where" for x: each other field at 0 when 0 is one of its values and the cells where it is not 0 do not
 * vary along x (a zip study's other sweep, as score-geometry's gradient cells under the solenoidal sweep); else free.
 */
export function defaultWhere(aggregate: StudyAggregate, field: string): FieldWhere {
  const where: FieldWhere = {};
  for (const p of aggregate.fieldPaths) {
    if (p === field) continue;
    const values = fieldValues(aggregate, p);
    if (!values.some((v) => v === 0)) continue;
    const xsElsewhere = new Set(aggregate.cells.filter((c) => c.fields[p] !== 0).map((c) => valueKey(c.fields[field])));
    const xsAtZero = new Set(aggregate.cells.filter((c) => c.fields[p] === 0).map((c) => valueKey(c.fields[field])));
    if (xsElsewhere.size <= 1 && xsAtZero.size > 1) where[p] = valueKey(0);
  }
  return where;
}

/** The default x field: the first numeric field with more than one value. */
export function defaultField(aggregate: StudyAggregate): string | null {
  const fields = numericFields(aggregate);
  return fields.find((p) => fieldValues(aggregate, p).length > 1) ?? fields[0] ?? null;
}

/** The metrics a chart can show: the aggregate's, without the bookkeeping counts. */
export function fieldMetricChoices(aggregate: StudyAggregate): string[] {
  return aggregate.metrics.filter((m) => m !== 'generation' && metricInfo(m)?.section !== 'bookkeeping');
}

/** The score-geometry measures when present; else FID, recall, Tr(Σ) when present; else the first three metrics. */
export function defaultFieldMetrics(aggregate: StudyAggregate): string[] {
  const have = new Set(aggregate.metrics);
  const sg = SCORE_GEOMETRY_METRICS.filter((m) => have.has(m));
  if (sg.length) return sg;
  const q = QUALITY_DEFAULT_METRICS.filter((m) => have.has(m));
  return q.length ? q : fieldMetricChoices(aggregate).slice(0, 3);
}

/** The quality metric to correlate against: energyToExact, else fid, else the first quality metric. */
export function defaultQualityMetric(aggregate: StudyAggregate): string | null {
  const have = new Set(aggregate.metrics);
  for (const m of ['energyToExact', 'fid']) if (have.has(m)) return m;
  return aggregate.metrics.find((m) => metricInfo(m)?.section === 'quality') ?? aggregate.metrics[0] ?? null;
}

export function cellMatches(cell: StudyCellAggregate, where: FieldWhere): boolean {
  return Object.entries(where).every(([p, k]) => k === ANY || valueKey(cell.fields[p]) === k);
}

export interface AgainstFieldInput {
  field: string;
  metric: string;
  where: FieldWhere;
  generation: 'last' | number;
  /** Cells left out (hidden in the legend). */
  hidden?: string[];
}

/** The points of one chart: the matching cells with a numeric x and the metric, grouped by the free fields, by x. */
export function againstField(aggregate: StudyAggregate, o: AgainstFieldInput): FieldSeries[] {
  const free = aggregate.fieldPaths.filter((p) => p !== o.field && (o.where[p] === undefined || o.where[p] === ANY));
  const groups = new Map<string, FieldSeries>();
  for (const cell of aggregate.cells) {
    if (o.hidden?.includes(cell.cellKey) || !cellMatches(cell, o.where)) continue;
    const x = cell.fields[o.field];
    if (typeof x !== 'number' || !Number.isFinite(x)) continue;
    const source = o.generation === 'last' ? cell.last.metrics : cell.generations.find((g) => g.generation === o.generation)?.metrics;
    const s = source?.[o.metric];
    if (!s) continue;
    const key = free.map((p) => valueKey(cell.fields[p])).join(' · ');
    let g = groups.get(key);
    if (!g) {
      g = { key, label: free.map((p) => `${p} = ${valueText(cell.fields[p])}`).join(' · '), points: [] };
      groups.set(key, g);
    }
    g.points.push({ cellKey: cell.cellKey, x, mean: s.mean, sd: s.sd, n: s.n });
  }
  const out = [...groups.values()];
  for (const g of out) g.points.sort((a, b) => a.x - b.x);
  return out;
}

/** A chart's data as CSV: the cell's fields, cell, x, mean, sd, n (one row per point). */
export function againstFieldCsv(aggregate: StudyAggregate, field: string, metric: string, series: FieldSeries[]): string {
  const rows = [[...aggregate.fieldPaths, 'cell', field, `${metric}_mean`, `${metric}_sd`, `${metric}_n`].map(csvField).join(',')];
  for (const s of series) {
    for (const p of s.points) {
      const cell = aggregate.cells.find((c) => c.cellKey === p.cellKey);
      rows.push(
        [
          ...aggregate.fieldPaths.map((f) => csvField(cell?.fields[f])),
          csvField(p.cellKey),
          String(p.x),
          String(p.mean),
          p.sd === null ? '' : String(p.sd),
          String(p.n),
        ].join(','),
      );
    }
  }
  return `${rows.join('\n')}\n`;
}

/** The short name of a field path for an axis title: its last two segments (`solenoidal.magnitude`). */
export function fieldTitle(path: string): string {
  return path.split('.').slice(-2).join('.');
}

type ChartColors = { text: string; muted: string; axis: string; split: string; marker: string; tooltipBg: string };

export interface FieldChartInput {
  metric: string;
  /** What the runs' samples are (the metric's name). */
  samples?: SampleSpace;
  field: string;
  series: FieldSeries[];
  colors: string[];
  logY: boolean;
  colorsOfTheme: ChartColors;
  legend: boolean;
  background?: string;
}

/**
 * The ECharts option of one metric against the field: per series the means joined by a line with their ±sd error
 * bars (one line series of vertical segments, broken between points), x and y axes titled.
 */
export function fieldChartOption(o: FieldChartInput) {
  const c = o.colorsOfTheme;
  const title = metricLabel(o.metric, o.samples);
  const series: Record<string, unknown>[] = [];
  const names: string[] = [];
  o.series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const name = s.label || title;
    names.push(name);
    const color = o.colors[i % o.colors.length] ?? '#888';
    const bars: (number | string)[][] = [];
    for (const p of s.points) {
      if (p.sd === null || !(p.sd > 0)) continue;
      const lo = p.mean - p.sd;
      bars.push([p.x, o.logY ? Math.max(lo, Math.abs(p.mean) * 1e-3 || 1e-12) : lo], [p.x, p.mean + p.sd], [p.x, '-']);
    }
    if (bars.length) {
      series.push({
        id: `sd-${i}`,
        name,
        type: 'line',
        data: bars,
        connectNulls: false,
        lineStyle: { width: 1.5, color, opacity: 0.7 },
        symbol: 'none',
        silent: true,
        z: 1,
      });
    }
    series.push({
      id: `mean-${i}`,
      name,
      type: 'line',
      data: s.points.map((p) => [p.x, p.mean]),
      lineStyle: { width: 2, color },
      itemStyle: { color },
      symbol: 'circle',
      symbolSize: 6,
      z: 3,
    });
  });
  return {
    animation: false,
    ...(o.background ? { backgroundColor: o.background } : {}),
    textStyle: { color: c.text, fontSize: 11 },
    title: { text: title, left: 'center', top: 4, textStyle: { color: c.text, fontSize: 13, fontWeight: 600 } },
    grid: { left: 62, right: 16, top: 32, bottom: o.legend ? 74 : 44 },
    legend: o.legend
      ? { show: true, type: 'scroll' as const, bottom: 4, data: names, textStyle: { color: c.text, fontSize: 11 } }
      : { show: false, data: names },
    tooltip: {
      renderMode: 'richText' as const,
      trigger: 'item' as const,
      backgroundColor: c.tooltipBg,
      borderColor: c.axis,
      textStyle: { color: c.text, fontSize: 12 },
      formatter: (p: { seriesId?: string; dataIndex?: number }) => {
        if (!p.seriesId?.startsWith('mean-')) return '';
        const s = o.series[Number(p.seriesId.slice('mean-'.length))];
        const pt = s?.points[p.dataIndex ?? -1];
        if (!pt) return '';
        const head = `${fieldTitle(o.field)} = ${formatNumber(pt.x)}${s.label ? ` (${s.label})` : ''}`;
        return `${head}\n${title}: ${formatNumber(pt.mean)}${pt.sd !== null ? ` ± ${formatNumber(pt.sd)}` : ''} (${pt.n})`;
      },
    },
    xAxis: valueAxis(c, false, fieldTitle(o.field), 26),
    yAxis: valueAxis(c, o.logY, `${title}${o.logY ? ' (log)' : ''}`, 48),
    series,
  };
}
