import { DEFAULT_TABLE_METRICS, metricInfo, metricLabel } from '../contract/metric-catalog';
import type { MetricStat, StudyAggregate } from './aggregate';

/**
 * The tables of a study: one row per cell (its seeds folded), the field columns, then each chosen metric at the last
 * generation or at generation G as `mean ± sd (n)`, the best value of a column marked where the catalog says which
 * way is better. Markdown and LaTeX print numbers to 4 significant digits; CSV (separate `_mean`, `_sd`, `_n`
 * columns) and JSON (rows as objects) carry them at full precision, as data to read back.
 */

export type StudyTableFormat = 'md' | 'csv' | 'latex' | 'json';

export interface StudyTableOptions {
  /** Metric keys; default: those of DEFAULT_TABLE_METRICS that the aggregate has. */
  metrics?: string[];
  /** The last line of each run (default) or generation G. */
  generation?: 'last' | number;
  format: StudyTableFormat;
}

export { DEFAULT_TABLE_METRICS };

/** Shown for a cell without the value (generation G it lacks, or a metric it never recorded). */
const MISSING = '—';

interface Row {
  fields: unknown[];
  stats: (MetricStat | null)[];
  best: boolean[];
}

/** A study's table in the format asked; throws on an unknown metric or a generation that is not an integer ≥ 0. */
export function formatStudyTable(aggregate: StudyAggregate, opts: StudyTableOptions): string {
  const metrics = chooseMetrics(aggregate, opts.metrics);
  const generation = opts.generation ?? 'last';
  if (generation !== 'last' && !(Number.isInteger(generation) && generation >= 0)) {
    throw new Error(`generation must be "last" or an integer ≥ 0, got ${String(generation)}`);
  }
  const rows: Row[] = aggregate.cells.map((cell) => {
    const source = generation === 'last' ? cell.last.metrics : cell.generations.find((g) => g.generation === generation)?.metrics;
    return {
      fields: aggregate.fieldPaths.map((p) => cell.fields[p]),
      stats: metrics.map((m) => source?.[m] ?? null),
      best: metrics.map(() => false),
    };
  });
  markBest(rows, metrics);

  switch (opts.format) {
    case 'md':
      return markdown(aggregate.fieldPaths, metrics, rows);
    case 'latex':
      return latex(aggregate.fieldPaths, metrics, rows);
    case 'csv':
      return csv(aggregate.fieldPaths, metrics, rows);
    case 'json':
      return json(aggregate.fieldPaths, metrics, rows);
    default:
      throw new Error(`unknown table format ${String(opts.format)}: use md, csv, latex or json`);
  }
}

function chooseMetrics(aggregate: StudyAggregate, asked: string[] | undefined): string[] {
  const available = new Set(aggregate.metrics);
  if (!asked || asked.length === 0) return DEFAULT_TABLE_METRICS.filter((m) => available.has(m));
  const unknown = asked.filter((m) => !available.has(m));
  if (unknown.length > 0) {
    const list = aggregate.metrics.length > 0 ? aggregate.metrics.join(', ') : '(none)';
    throw new Error(`unknown metric${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; available: ${list}`);
  }
  return [...new Set(asked)];
}

/**
 * Mark, per column whose metric has a better direction, the row(s) with the best mean — when at least two rows have
 * a value and they are not all equal.
 */
function markBest(rows: Row[], metrics: string[]): void {
  metrics.forEach((m, j) => {
    const better = metricInfo(m)?.better;
    if (!better) return;
    const means = rows.map((r) => r.stats[j]?.mean).filter((v): v is number => v !== undefined);
    if (means.length < 2) return;
    const best = better === 'lower' ? Math.min(...means) : Math.max(...means);
    if (means.every((v) => v === best)) return;
    for (const r of rows) if (r.stats[j]?.mean === best) r.best[j] = true;
  });
}

/**
 * A number for reading: integers as they are, others to 4 significant digits without trailing zeros, in exponent
 * form only below 1e-4 or from 1e9 on (`1.235e-5`).
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Object.is(x, -0)) return '0';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  if (a < 1e-4 || a >= 1e9) {
    const [mantissa, exponent] = x.toExponential(3).split('e');
    return `${mantissa.replace(/\.?0+$/, '')}e${exponent.replace(/^\+/, '')}`;
  }
  return String(Number(x.toPrecision(4)));
}

/** `mean ± sd (n)`, sd left out when null. */
function statText(s: MetricStat, pm: string): string {
  return s.sd === null ? `${formatNumber(s.mean)} (${s.n})` : `${formatNumber(s.mean)} ${pm} ${formatNumber(s.sd)} (${s.n})`;
}

/** A field value in a table: strings as they are, others as JSON. */
function fieldText(v: unknown): string {
  if (v === undefined) return MISSING;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function markdown(fieldPaths: string[], metrics: string[], rows: Row[]): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const header = [...fieldPaths, ...metrics.map(metricLabel)].map(esc);
  const align = [...fieldPaths.map(() => '---'), ...metrics.map(() => '---:')];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const out = [line(header), line(align)];
  for (const r of rows) {
    const cells = [
      ...r.fields.map((v) => esc(fieldText(v))),
      ...r.stats.map((s, j) => (s === null ? MISSING : r.best[j] ? `**${statText(s, '±')}**` : statText(s, '±'))),
    ];
    out.push(line(cells));
  }
  return `${out.join('\n')}\n`;
}

/** Symbols of the catalog's labels as LaTeX math; the longest first. */
const LATEX_SYMBOLS: [string, string][] = [
  ['‖μ − μ*‖', '$\\lVert\\mu - \\mu^*\\rVert$'],
  ['Tr(Σ)', '$\\mathrm{Tr}(\\Sigma)$'],
  ['W₁', '$W_1$'],
  ['W₂', '$W_2$'],
  ['±', '$\\pm$'],
  ['ψ', '$\\psi$'],
  ['δ', '$\\delta$'],
  ['Σ', '$\\Sigma$'],
  ['μ', '$\\mu$'],
  ['−', '$-$'],
  ['—', '---'],
];

const LATEX_SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  _: '\\_',
  '%': '\\%',
  '&': '\\&',
  '#': '\\#',
  $: '\\$',
  '{': '\\{',
  '}': '\\}',
};

/** Text for LaTeX: special characters escaped, the catalog's symbols (W₁, Tr(Σ), ψ, …) as math. */
export function latexText(s: string): string {
  let out = '';
  let i = 0;
  outer: while (i < s.length) {
    for (const [symbol, tex] of LATEX_SYMBOLS) {
      if (s.startsWith(symbol, i)) {
        out += tex;
        i += symbol.length;
        continue outer;
      }
    }
    const c = s[i];
    out += LATEX_SPECIAL[c] ?? (c === '\n' || c === '\r' ? ' ' : c);
    i += 1;
  }
  return out;
}

function latex(fieldPaths: string[], metrics: string[], rows: Row[]): string {
  const cols = `${'l'.repeat(fieldPaths.length)}${'r'.repeat(metrics.length)}` || 'l';
  const line = (cells: string[]) => `${cells.join(' & ')} \\\\`;
  const out = [`\\begin{tabular}{${cols}}`, '\\toprule', line([...fieldPaths, ...metrics.map(metricLabel)].map(latexText)), '\\midrule'];
  for (const r of rows) {
    const cells = [
      ...r.fields.map((v) => latexText(fieldText(v))),
      ...r.stats.map((s, j) => {
        if (s === null) return latexText(MISSING);
        const text = latexText(statText(s, '±'));
        return r.best[j] ? `\\textbf{${text}}` : text;
      }),
    ];
    out.push(line(cells));
  }
  out.push('\\bottomrule', '\\end{tabular}');
  return `${out.join('\n')}\n`;
}

function csv(fieldPaths: string[], metrics: string[], rows: Row[]): string {
  const header = [...fieldPaths, ...metrics.flatMap((m) => [`${m}_mean`, `${m}_sd`, `${m}_n`])];
  const out = [header.map(csvCell).join(',')];
  for (const r of rows) {
    const cells = [
      ...r.fields.map((v) => (v === undefined ? '' : csvCell(v))),
      ...r.stats.flatMap((s) => (s === null ? ['', '', ''] : [String(s.mean), s.sd === null ? '' : String(s.sd), String(s.n)])),
    ];
    out.push(cells.join(','));
  }
  return `${out.join('\n')}\n`;
}

function csvCell(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function json(fieldPaths: string[], metrics: string[], rows: Row[]): string {
  const objects = rows.map((r) => {
    const o: Record<string, unknown> = {};
    fieldPaths.forEach((p, i) => (o[p] = r.fields[i] ?? null));
    metrics.forEach((m, j) => (o[m] = r.stats[j]));
    return o;
  });
  return `${JSON.stringify(objects, null, 2)}\n`;
}
