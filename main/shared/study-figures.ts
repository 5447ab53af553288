import type { StudyFigureSpec } from '../contract/paper-claim';
import type { MetricStat, StudyAggregate, StudyCellAggregate, StudyPowerLawFit } from '../contract/study-aggregate';
import type { ChartOption, FigureCsv, StudyFigure } from '../contract/study-figure';
import { metricLabel } from '../contract/metric-catalog';
import { csvQuote } from './csv';
import { formatNumber } from './number-format';
import type { StudyVectorAggregate, VectorStat } from './vector-aggregate';
import { psiLabel } from './psi';

/**
 * A study's figures, drawn as its paper draws them: for each StudyFigureSpec kind, an ECharts option built from the
 * study's aggregate (and its vector aggregate for class histograms and mode energies), with the figure's data as CSV
 * rows. Pure functions without echarts or Node: the engine renders the options to SVG/PNG (main/studies/
 * render-figure.ts), the renderer hands them to its chart component. Options are plain JSON (no formatter functions),
 * so they travel through every door unchanged; panel positions are percentages, so they fit any chart size.
 */

/** What the figures are built from: the scalar aggregate, and the vector aggregate for the per-class / per-mode figures. */
export interface StudyFigureData {
  aggregate: StudyAggregate;
  vectors?: StudyVectorAggregate;
}

/** Colours of the cells' series (and of classes and modes), cycled. */
export const FIGURE_PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#1f3b73',
  '#8c564b',
];

const colorOf = (i: number) => FIGURE_PALETTE[i % FIGURE_PALETTE.length];

/** Builds every figure of a spec list (see buildStudyFigure). */
export function buildStudyFigures(specs: StudyFigureSpec[], data: StudyFigureData): StudyFigure[] {
  return specs.map((s) => buildStudyFigure(s, data));
}

/** Returns the figure of one spec: its ECharts option and its CSV data, or an empty figure saying what is missing. */
export function buildStudyFigure(spec: StudyFigureSpec, data: StudyFigureData): StudyFigure {
  switch (spec.kind) {
    case 'loglog-trace':
      return logLogTraceFigure(spec, data.aggregate);
    case 'metric-vs-field':
      return metricVsFieldFigure(spec, data.aggregate);
    case 'metric-vs-generation':
      return metricVsGenerationFigure(spec, data.aggregate);
    case 'class-histogram':
      return classHistogramFigure(spec, data);
    case 'mode-energies':
      return modeEnergiesFigure(spec, data);
    default:
      throw new Error(`unknown figure kind ${String((spec as { kind: unknown }).kind)}`);
  }
}

/** Returns the CSV text of a figure's data (RFC 4180 quoting, numbers at full precision, a final newline). */
export function figureCsvText(csv: FigureCsv): string {
  const field = (v: string | number | null) => csvQuote(v === null ? '' : String(v));
  return [csv.header, ...csv.rows].map((r) => r.map(field).join(',')).join('\n') + '\n';
}

/**
 * Returns a cell's short label for legends and panel titles: its axis values joined by " · ", string values as they
 * are, other values as `lastPathSegment=JSON` (`replace · none`, `magnitude=0.25 · magnitude=0`); "all runs" without axes.
 */
export function cellLabelOf(fieldPaths: string[], fields: Record<string, unknown>): string {
  if (fieldPaths.length === 0) return 'all runs';
  return fieldPaths
    .map((p) => {
      const v = fields[p];
      if (typeof v === 'string') return v;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return objectLabel(v as Record<string, unknown>);
      return `${p.split('.').pop()}=${JSON.stringify(v)}`;
    })
    .join(' · ');
}

/** An object value in a label: its `kind` (when a string) then its other fields as `key=value`: `power (delta0=0.1, p=1)`. */
function objectLabel(v: Record<string, unknown>): string {
  const kind = typeof v.kind === 'string' ? v.kind : '';
  const rest = Object.entries(v)
    .filter(([k]) => !(k === 'kind' && kind))
    .map(([k, x]) => `${k}=${typeof x === 'string' ? x : JSON.stringify(x)}`)
    .join(', ');
  return kind && rest ? `${kind} (${rest})` : kind || `{${rest}}`;
}

/**
 * Returns a copy of an option whose value and log axes print their labels with formatNumber (4 significant digits,
 * not float artefacts such as 0.00009999999999999999). Options carry no functions, so whoever draws them adds it: for
 * drawing only, never for sending through a door.
 */
export function withAxisFormatters(option: ChartOption): ChartOption {
  const fix = (axis: unknown): unknown => {
    if (Array.isArray(axis)) return axis.map(fix);
    if (axis === null || typeof axis !== 'object') return axis;
    const a = axis as Record<string, unknown>;
    if (a.type !== 'log' && a.type !== 'value') return a;
    const label = (a.axisLabel ?? {}) as Record<string, unknown>;
    return label.formatter ? a : { ...a, axisLabel: { ...label, formatter: (v: number) => formatNumber(v) } };
  };
  return { ...option, xAxis: fix(option.xAxis), yAxis: fix(option.yAxis) };
}

/**
 * The legend under a single-panel figure (all entries shown, wrapped onto rows) and the room it needs: the grid's
 * bottom margin and the figure's height grow with the rows, estimated from the names' lengths.
 */
function legendLayout(names: string[], width = 760): { legend: ChartOption; bottom: number; height: number } {
  const unique = [...new Set(names)];
  let rows = 1;
  let x = 0;
  for (const n of unique) {
    const w = 40 + 7.2 * n.length;
    if (x > 0 && x + w > width - 40) {
      rows += 1;
      x = 0;
    }
    x += w;
  }
  const extra = 22 * (rows - 1);
  return { legend: { type: 'plain', bottom: 4, left: 'center', width: width - 40 }, bottom: 80 + extra, height: 500 + extra };
}

/**
 * Returns the power-law fit of a cell for a metric: `fits[metric]`, or the fit whose `metric` names it (fits of newer
 * metrics such as the fitted model's trace are looked up the same way); undefined when the cell has none.
 */
export function fitOf(cell: StudyCellAggregate, metric: string): StudyPowerLawFit | undefined {
  const fits = cell.fits as Record<string, StudyPowerLawFit | undefined>;
  return fits[metric] ?? Object.values(fits).find((f) => f?.metric === metric);
}

/** Returns the fit's value C·t^(−ψ) = exp(intercept − ψ·log t). */
export function powerLawValue(fit: Pick<StudyPowerLawFit, 'psi' | 'intercept'>, t: number): number {
  return Math.exp(fit.intercept - fit.psi * Math.log(t));
}

// ---------------------------------------------------------------------------------------------------------------

function base(title: string, subtitle?: string): ChartOption {
  return {
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: title, ...(subtitle ? { subtext: subtitle } : {}), left: 'center', top: 6, textStyle: { fontSize: 15 } },
    tooltip: { trigger: 'axis' },
  };
}

function emptyFigure(spec: StudyFigureSpec, header: string[], missing: string): StudyFigure {
  return {
    spec,
    title: spec.title,
    option: { ...base(spec.title, missing), xAxis: { type: 'value', show: false }, yAxis: { type: 'value', show: false }, series: [] },
    csv: { header, rows: [] },
    width: 720,
    height: 440,
    missing,
  };
}

const fieldCells = (aggregate: StudyAggregate, cell: StudyCellAggregate) => aggregate.fieldPaths.map((p) => csvValue(cell.fields[p]));

function csvValue(v: unknown): string | number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return JSON.stringify(v);
}

const statCells = (s: MetricStat | undefined): (number | null)[] => (s ? [s.mean, s.sd, s.n] : [null, null, null]);

/** log-log Tr(Σ) (or the spec's metric) against t = generation + 1, a series per cell with its ψ fit as a dashed line. */
function logLogTraceFigure(spec: Extract<StudyFigureSpec, { kind: 'loglog-trace' }>, aggregate: StudyAggregate): StudyFigure {
  const m = spec.metric;
  const header = [
    ...aggregate.fieldPaths,
    'cell',
    'generation',
    't',
    `${m}_mean`,
    `${m}_sd`,
    `${m}_n`,
    'fit_value',
    'psi_of_mean',
    'psi_of_mean_stderr',
    'psi_window_first_t',
    'psi_window_last_t',
    'psi_per_seed_mean',
    'psi_per_seed_sd',
    'intercept',
  ];
  const has = aggregate.cells.some((c) => c.generations.some((g) => (g.metrics[m]?.mean ?? 0) > 0));
  if (!has) return emptyFigure(spec, header, `no cell recorded a positive ${metricLabel(m, aggregate.samples)} (${m})`);
  const series: ChartOption[] = [];
  const rows: FigureCsv['rows'] = [];
  aggregate.cells.forEach((cell, i) => {
    const label = cellLabelOf(aggregate.fieldPaths, cell.fields);
    const color = colorOf(i);
    const fit = fitOf(cell, m);
    const points = cell.generations.filter((g) => (g.metrics[m]?.mean ?? 0) > 0);
    if (points.length === 0) return;
    series.push({
      type: 'line',
      name: label,
      data: points.map((g) => [g.generation + 1, g.metrics[m].mean]),
      showSymbol: points.length <= 30,
      symbolSize: 5,
      itemStyle: { color },
      lineStyle: { color, width: 2 },
    });
    if (fit) {
      const t0 = fit.firstGeneration + 1;
      const t1 = fit.lastGeneration + 1;
      series.push({
        type: 'line',
        name: `${label}: ${psiLabel('of-mean', fit.firstGeneration, fit.lastGeneration)} = ${formatNumber(fit.psi)}${fit.stderr !== null ? ` ± ${formatNumber(fit.stderr)} s.e.` : ''}`,
        data: [
          [t0, powerLawValue(fit, t0)],
          [t1, powerLawValue(fit, t1)],
        ],
        showSymbol: false,
        itemStyle: { color },
        lineStyle: { color, width: 1.5, type: 'dashed' },
      });
    }
    for (const g of cell.generations) {
      const s = g.metrics[m];
      if (!s) continue;
      const t = g.generation + 1;
      const inFit = fit && g.generation >= fit.firstGeneration && g.generation <= fit.lastGeneration;
      rows.push([
        ...fieldCells(aggregate, cell),
        label,
        g.generation,
        t,
        ...statCells(s),
        inFit ? powerLawValue(fit, t) : null,
        fit ? fit.psi : null,
        fit ? fit.stderr : null,
        fit ? fit.firstGeneration + 1 : null,
        fit ? fit.lastGeneration + 1 : null,
        fit?.seedPsi ? fit.seedPsi.mean : null,
        fit?.seedPsi ? fit.seedPsi.sd : null,
        fit ? fit.intercept : null,
      ]);
    }
  });
  const legend = legendLayout(series.map((x) => String(x.name)));
  return {
    spec,
    title: spec.title,
    option: {
      ...base(spec.title, 'dashed: C·t^(−ψ) fitted to the cell mean over the window t ∈ [first, last] of its legend'),
      legend: legend.legend,
      grid: { left: 80, right: 40, top: 70, bottom: legend.bottom },
      xAxis: { type: 'log', name: 't = generation + 1', nameLocation: 'middle', nameGap: 28, logBase: 10 },
      yAxis: { type: 'log', name: metricLabel(m, aggregate.samples), nameLocation: 'middle', nameGap: 56, logBase: 10 },
      series,
    },
    csv: { header, rows },
    width: 760,
    height: legend.height,
  };
}

/** A metric against a config field (the x axis), one line per value of the other axes, at the last or a given generation. */
function metricVsFieldFigure(spec: Extract<StudyFigureSpec, { kind: 'metric-vs-field' }>, aggregate: StudyAggregate): StudyFigure {
  const m = spec.metric;
  const generation = spec.generation ?? 'last';
  const others =
    spec.legendPaths?.filter((p) => aggregate.fieldPaths.includes(p)) ??
    aggregate.fieldPaths.filter((p) => p !== spec.field && !(spec.withField ?? []).includes(p));
  const header = [...others, spec.field, 'generation', `${m}_mean`, `${m}_sd`, `${m}_n`];
  if (!aggregate.fieldPaths.includes(spec.field)) {
    return emptyFigure(spec, header, `the study does not vary ${spec.field} (its axes: ${aggregate.fieldPaths.join(', ') || 'none'})`);
  }
  const statOf = (cell: StudyCellAggregate) =>
    generation === 'last' ? cell.last.metrics[m] : cell.generations.find((g) => g.generation === generation)?.metrics[m];
  if (!aggregate.cells.some((c) => statOf(c))) {
    return emptyFigure(spec, header, `no cell recorded ${metricLabel(m, aggregate.samples)} (${m}) at generation ${generation}`);
  }
  const xs = aggregate.cells.map((c) => c.fields[spec.field]);
  const numeric = xs.every((x) => typeof x === 'number' && Number.isFinite(x));
  const categories = numeric ? [] : [...new Set(xs.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))))];
  const xOf = (v: unknown) => (numeric ? (v as number) : typeof v === 'string' ? v : JSON.stringify(v));
  // one line per combination of the other axes' values, in order of first appearance
  const groups = new Map<string, StudyCellAggregate[]>();
  for (const c of aggregate.cells) {
    const key = cellLabelOf(others, c.fields);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const series: ChartOption[] = [];
  const rows: FigureCsv['rows'] = [];
  [...groups.entries()].forEach(([label, cells], i) => {
    const sorted = numeric ? [...cells].sort((a, b) => (a.fields[spec.field] as number) - (b.fields[spec.field] as number)) : cells;
    const color = colorOf(i);
    const points = sorted.filter((c) => statOf(c));
    series.push({
      type: 'line',
      name: others.length === 0 ? metricLabel(m, aggregate.samples) : label,
      data: points.map((c) => [xOf(c.fields[spec.field]), statOf(c)!.mean]),
      symbolSize: 7,
      itemStyle: { color },
      lineStyle: { color, width: 2 },
    });
    for (const c of sorted) {
      const s = statOf(c);
      const g = generation === 'last' ? (c.last.generations.length === 1 ? c.last.generations[0] : 'last') : generation;
      rows.push([...others.map((p) => csvValue(c.fields[p])), csvValue(c.fields[spec.field]), g, ...statCells(s)]);
    }
  });
  // a threshold of the field (a theorem's) as a dotted vertical line on the first series
  if (spec.marker && series.length > 0) {
    series[0] = {
      ...series[0],
      markLine: {
        symbol: 'none',
        silent: true,
        lineStyle: { color: '#222222', type: 'dotted', width: 1.5 },
        label: { formatter: spec.marker.label, position: 'end' },
        data: [{ xAxis: spec.marker.value }],
      },
    };
  }
  const legend = legendLayout(series.map((x) => String(x.name)));
  return {
    spec,
    title: spec.title,
    option: {
      ...base(
        spec.title,
        (generation === 'last' ? 'at each run’s last generation, mean over seeds' : `at generation ${generation}, mean over seeds`) +
          (spec.marker ? `; dotted: ${spec.marker.label}` : ''),
      ),
      legend: legend.legend,
      grid: { left: 80, right: 40, top: 70, bottom: legend.bottom },
      xAxis: numeric
        ? spec.logX
          ? { type: 'log', name: spec.field, nameLocation: 'middle', nameGap: 28, logBase: 10 }
          : { type: 'value', name: spec.field, nameLocation: 'middle', nameGap: 28, scale: true }
        : { type: 'category', name: spec.field, nameLocation: 'middle', nameGap: 28, data: categories },
      yAxis: spec.logY
        ? { type: 'log', name: metricLabel(m, aggregate.samples), nameLocation: 'middle', nameGap: 56, logBase: 10 }
        : { type: 'value', name: metricLabel(m, aggregate.samples), nameLocation: 'middle', nameGap: 56, scale: true },
      series,
    },
    csv: { header, rows },
    width: 760,
    height: legend.height,
  };
}

/**
 * A metric against generation, a line per cell with its mean ± sd band (two stacked series: the lower bound, then
 * the band's height), and the reference metric of each cell as a dashed line when the spec names one.
 */
function metricVsGenerationFigure(
  spec: Extract<StudyFigureSpec, { kind: 'metric-vs-generation' }>,
  aggregate: StudyAggregate,
): StudyFigure {
  const m = spec.metric;
  const ref = spec.reference;
  const header = [...aggregate.fieldPaths, 'cell', 'generation', `${m}_mean`, `${m}_sd`, `${m}_n`, ...(ref ? [`${ref.metric}_mean`] : [])];
  if (!aggregate.cells.some((c) => c.generations.some((g) => g.metrics[m]))) {
    return emptyFigure(spec, header, `no cell recorded ${metricLabel(m, aggregate.samples)} (${m})`);
  }
  const generations = [...new Set(aggregate.cells.flatMap((c) => c.generations.map((g) => g.generation)))].sort((a, b) => a - b);
  const series: ChartOption[] = [];
  const rows: FigureCsv['rows'] = [];
  const usable = (v: number) => Number.isFinite(v) && (!spec.logY || v > 0);
  const references: { label: string; color: string; data: (number | null)[] }[] = [];
  const legendPaths = spec.legendPaths?.filter((p) => aggregate.fieldPaths.includes(p)) ?? aggregate.fieldPaths;
  aggregate.cells.forEach((cell, i) => {
    const label = cellLabelOf(legendPaths, cell.fields);
    const color = colorOf(i);
    const at = new Map(cell.generations.map((g) => [g.generation, g.metrics]));
    const stat = (g: number) => at.get(g)?.[m];
    if (!generations.some((g) => stat(g))) return;
    series.push({
      type: 'line',
      name: label,
      data: generations.map((g) => {
        const s = stat(g);
        return s && usable(s.mean) ? s.mean : null;
      }),
      connectNulls: true,
      showSymbol: generations.length <= 30,
      symbolSize: 5,
      itemStyle: { color },
      lineStyle: { color, width: 2 },
      z: 3,
    });
    if (cell.generations.some((g) => g.metrics[m]?.sd !== null && g.metrics[m]?.sd !== undefined)) {
      const lower = generations.map((g) => {
        const s = stat(g);
        return s && s.sd !== null && usable(s.mean - s.sd) ? s.mean - s.sd : null;
      });
      const height = generations.map((g, j) => {
        const s = stat(g);
        return s && s.sd !== null && lower[j] !== null ? 2 * s.sd : null;
      });
      const stack = `band-${i}`;
      series.push({
        type: 'line',
        name: label,
        data: lower,
        stack,
        showSymbol: false,
        lineStyle: { opacity: 0 },
        silent: true,
        tooltip: { show: false },
      });
      series.push({
        type: 'line',
        name: label,
        data: height,
        stack,
        showSymbol: false,
        lineStyle: { opacity: 0 },
        areaStyle: { color, opacity: 0.18 },
        silent: true,
        tooltip: { show: false },
      });
    }
    if (ref && cell.generations.some((g) => g.metrics[ref.metric])) {
      const data = generations.map((g) => {
        const s = at.get(g)?.[ref.metric];
        return s && usable(s.mean) ? s.mean : null;
      });
      references.push({ label, color, data });
    }
    for (const g of cell.generations) {
      const s = g.metrics[m];
      if (!s && !(ref && g.metrics[ref.metric])) continue;
      rows.push([
        ...fieldCells(aggregate, cell),
        label,
        g.generation,
        ...statCells(s),
        ...(ref ? [g.metrics[ref.metric]?.mean ?? null] : []),
      ]);
    }
  });
  // the reference of each cell as a dashed line in its colour; one grey line when every cell has the same reference
  const same = references.length > 1 && references.every((r) => JSON.stringify(r.data) === JSON.stringify(references[0].data));
  for (const r of same ? [{ label: '', color: '#555555', data: references[0].data }] : references) {
    series.push({
      type: 'line',
      name: same ? ref!.label : `${r.label}: ${ref!.label}`,
      data: r.data,
      connectNulls: true,
      showSymbol: false,
      itemStyle: { color: r.color },
      lineStyle: { color: r.color, width: 1.5, type: 'dashed' },
    });
  }
  // a closed-form bound as a constant dotted line (e.g. Dey & Donoho's (π²/6)·d/n)
  if (spec.bound) {
    series.push({
      type: 'line',
      name: spec.bound.label,
      data: generations.map(() => spec.bound!.value),
      showSymbol: false,
      itemStyle: { color: '#222222' },
      lineStyle: { color: '#222222', width: 1.5, type: 'dotted' },
    });
  }
  const legend = legendLayout(series.map((x) => String(x.name)));
  return {
    spec,
    title: spec.title,
    option: {
      ...base(spec.title, `mean ± sd over seeds${ref ? `; dashed: ${ref.label}` : ''}${spec.bound ? `; dotted: ${spec.bound.label}` : ''}`),
      legend: legend.legend,
      grid: { left: 80, right: 40, top: 70, bottom: legend.bottom },
      xAxis: { type: 'category', name: 'generation', nameLocation: 'middle', nameGap: 28, data: generations, boundaryGap: false },
      yAxis: {
        type: spec.logY ? 'log' : 'value',
        name: metricLabel(m, aggregate.samples),
        nameLocation: 'middle',
        nameGap: 56,
        scale: !spec.logY,
      },
      series,
    },
    csv: { header, rows },
    width: 760,
    height: legend.height,
  };
}

/** Panels on a grid, a panel per cell: positions in percent, its title above it. */
function panelLayout(count: number): {
  cols: number;
  rows: number;
  width: number;
  height: number;
  at: (i: number) => { left: number; top: number; w: number; h: number };
} {
  const cols = Math.min(3, Math.max(1, count));
  const rows = Math.max(1, Math.ceil(count / cols));
  const width = 120 + cols * 340;
  const height = 110 + rows * 280;
  const top0 = (70 / height) * 100;
  const bottom = (50 / height) * 100;
  const cellW = 92 / cols;
  const cellH = (100 - top0 - bottom) / rows;
  return {
    cols,
    rows,
    width,
    height,
    at: (i) => ({
      left: 6 + (i % cols) * cellW,
      top: top0 + Math.floor(i / cols) * cellH + (34 / height) * 100,
      w: cellW - 5,
      h: cellH - (62 / height) * 100,
    }),
  };
}

/** The cells of the vector aggregate that hold a key, with their labels. */
function vectorCells(data: StudyFigureData, key: string) {
  const v = data.vectors;
  if (!v) return [];
  return v.cells
    .map((c) => ({
      cell: c,
      label: cellLabelOf(v.fieldPaths, c.fields),
      points: c.generations.filter((g) => g.vectors[key]).map((g) => ({ generation: g.generation, stat: g.vectors[key] })),
    }))
    .filter((c) => c.points.length > 0);
}

function panelOption(spec: StudyFigureSpec, subtitle: string, labels: string[], yAxis: ChartOption, xData: number[][]) {
  const layout = panelLayout(labels.length);
  const pct = (v: number) => `${v.toFixed(2)}%`;
  return {
    layout,
    option: {
      ...base(spec.title, subtitle),
      title: [
        { text: spec.title, subtext: subtitle, left: 'center', top: 6, textStyle: { fontSize: 15 } },
        ...labels.map((l, i) => {
          const p = layout.at(i);
          return {
            text: l,
            left: pct(p.left + p.w / 2),
            top: pct(p.top - (26 / layout.height) * 100),
            textAlign: 'center',
            textStyle: { fontSize: 12, fontWeight: 'normal' },
          };
        }),
      ],
      legend: { type: 'plain', bottom: 4, left: 'center' },
      grid: labels.map((_, i) => {
        const p = layout.at(i);
        return { left: pct(p.left), top: pct(p.top), width: pct(p.w), height: pct(p.h), containLabel: true };
      }),
      xAxis: labels.map((_, i) => ({
        type: 'category',
        gridIndex: i,
        data: xData[i],
        name: 'generation',
        nameLocation: 'middle',
        nameGap: 22,
      })),
      yAxis: labels.map((_, i) => ({ ...yAxis, gridIndex: i })),
    },
  };
}

/** Stacked shares of the kept samples' classes over generations, a panel per cell (the mean histogram over seeds, normalised). */
function classHistogramFigure(spec: Extract<StudyFigureSpec, { kind: 'class-histogram' }>, data: StudyFigureData): StudyFigure {
  const fieldPaths = data.vectors?.fieldPaths ?? data.aggregate.fieldPaths;
  const header = [...fieldPaths, 'cell', 'generation', 'class', 'share_mean', 'share_sd', 'n'];
  const cells = vectorCells(data, 'classHistogram');
  if (cells.length === 0) return emptyFigure(spec, header, 'no run recorded a class histogram (classHistogram)');
  const classes = Math.max(...cells.flatMap((c) => c.points.map((p) => p.stat.mean.length)));
  const shares = (s: VectorStat) => {
    const sum = s.mean.reduce((a, b) => a + b, 0);
    const k = sum > 0 ? 1 / sum : 0;
    return { mean: s.mean.map((v) => v * k), sd: s.sd.map((v) => (v === null ? null : v * k)) };
  };
  const { layout, option } = panelOption(
    spec,
    'share of the kept samples per class, mean over seeds',
    cells.map((c) => c.label),
    { type: 'value', min: 0, max: 1, name: 'share', nameLocation: 'middle', nameGap: 34 },
    cells.map((c) => c.points.map((p) => p.generation)),
  );
  const series: ChartOption[] = [];
  const rows: FigureCsv['rows'] = [];
  cells.forEach((c, i) => {
    const normalised = c.points.map((p) => ({ generation: p.generation, n: p.stat.n, ...shares(p.stat) }));
    for (let k = 0; k < classes; k++) {
      series.push({
        type: 'bar',
        name: `class ${k}`,
        stack: `cell-${i}`,
        xAxisIndex: i,
        yAxisIndex: i,
        barCategoryGap: '10%',
        itemStyle: { color: colorOf(k) },
        data: normalised.map((p) => p.mean[k] ?? 0),
      });
    }
    for (const p of normalised) {
      for (let k = 0; k < classes; k++) {
        rows.push([
          ...fieldPaths.map((f) => csvValue(c.cell.fields[f])),
          c.label,
          p.generation,
          k,
          p.mean[k] ?? null,
          p.sd[k] ?? null,
          p.n,
        ]);
      }
    }
  });
  return {
    spec,
    title: spec.title,
    option: { ...option, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, series },
    csv: { header, rows },
    width: layout.width,
    height: layout.height,
  };
}

/** Hermite mode energies against generation (log scale), a line per mode k, a panel per cell: the low-pass picture. */
function modeEnergiesFigure(spec: Extract<StudyFigureSpec, { kind: 'mode-energies' }>, data: StudyFigureData): StudyFigure {
  const fieldPaths = data.vectors?.fieldPaths ?? data.aggregate.fieldPaths;
  const header = [...fieldPaths, 'cell', 'generation', 'mode', 'energy_mean', 'energy_sd', 'n'];
  const cells = vectorCells(data, 'hermiteEnergy');
  if (cells.length === 0)
    return emptyFigure(spec, header, 'no run recorded Hermite mode energies (hermiteEnergy: the one-dimensional diffusion-exact model)');
  const modes = Math.max(...cells.flatMap((c) => c.points.map((p) => p.stat.mean.length)));
  const { layout, option } = panelOption(
    spec,
    'energy of Hermite mode k of the samples, mean over seeds',
    cells.map((c) => c.label),
    { type: 'log', name: 'energy', nameLocation: 'middle', nameGap: 52 },
    cells.map((c) => c.points.map((p) => p.generation)),
  );
  const series: ChartOption[] = [];
  const rows: FigureCsv['rows'] = [];
  cells.forEach((c, i) => {
    for (let k = 0; k < modes; k++) {
      series.push({
        type: 'line',
        name: `k = ${k}`,
        xAxisIndex: i,
        yAxisIndex: i,
        showSymbol: c.points.length <= 30,
        symbolSize: 4,
        connectNulls: true,
        itemStyle: { color: colorOf(k) },
        lineStyle: { color: colorOf(k), width: 1.5 },
        data: c.points.map((p) => {
          const v = p.stat.mean[k];
          return v !== undefined && v > 0 ? v : null;
        }),
      });
    }
    for (const p of c.points) {
      for (let k = 0; k < modes; k++) {
        rows.push([
          ...fieldPaths.map((f) => csvValue(c.cell.fields[f])),
          c.label,
          p.generation,
          k,
          p.stat.mean[k] ?? null,
          p.stat.sd[k] ?? null,
          p.stat.n,
        ]);
      }
    }
  });
  return { spec, title: spec.title, option: { ...option, series }, csv: { header, rows }, width: layout.width, height: layout.height };
}
