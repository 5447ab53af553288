import { DEFAULT_TABLE_METRICS, metricInfo, metricLabel } from '../../../main/contract/metric-catalog';
import type { MetricStat, StudyAggregate } from '../../../main/contract/study-aggregate';

/**
 * The comparison table: one row per cell (its seeds folded), the field columns, then each chosen metric at the last
 * generation or at generation G as mean ± sd (n), the best mean of a column marked where the catalog says which way
 * is better. The same rules and text formats as a study's table (main/studies/study-table.ts, served by
 * `studies.table`), for selections of runs that are not a study.
 */

export const MISSING = '—';

export type TableFormat = 'md' | 'csv' | 'latex';

export interface TableRow {
  cellKey: string;
  fields: unknown[];
  stats: (MetricStat | null)[];
  best: boolean[];
  /** Seeds of the cell. */
  seeds: number[];
}

export function defaultMetrics(aggregate: StudyAggregate): string[] {
  const have = new Set(aggregate.metrics);
  const d = DEFAULT_TABLE_METRICS.filter((m) => have.has(m));
  return d.length ? d : aggregate.metrics.slice(0, 6);
}

export function tableRows(aggregate: StudyAggregate, metrics: string[], generation: 'last' | number): TableRow[] {
  const rows = aggregate.cells.map((cell) => {
    const source = generation === 'last' ? cell.last.metrics : cell.generations.find((g) => g.generation === generation)?.metrics;
    return {
      cellKey: cell.cellKey,
      fields: aggregate.fieldPaths.map((p) => cell.fields[p]),
      stats: metrics.map((m) => source?.[m] ?? null),
      best: metrics.map(() => false),
      seeds: cell.seeds,
    };
  });
  metrics.forEach((m, j) => {
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
export function sortRows(rows: TableRow[], by: { kind: 'field' | 'metric'; index: number } | null, dir: 'asc' | 'desc'): TableRow[] {
  if (!by) return rows;
  const sign = dir === 'asc' ? 1 : -1;
  const val = (r: TableRow): number | string | undefined => {
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

/** A number for reading: integers as they are, others to 4 significant digits, exponent below 1e-4 or from 1e9. */
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

export function statText(s: MetricStat, pm = '±'): string {
  return s.sd === null ? `${formatNumber(s.mean)} (${s.n})` : `${formatNumber(s.mean)} ${pm} ${formatNumber(s.sd)} (${s.n})`;
}

export function fieldText(v: unknown): string {
  if (v === undefined) return MISSING;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

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

/** The table as text: Markdown and LaTeX to 4 significant digits, CSV at full precision (_mean, _sd, _n columns). */
export function formatTable(fieldPaths: string[], metrics: string[], rows: TableRow[], format: TableFormat): string {
  if (format === 'csv') {
    const header = [...fieldPaths, ...metrics.flatMap((m) => [`${m}_mean`, `${m}_sd`, `${m}_n`])];
    const out = [header.map(csvCell).join(',')];
    for (const r of rows) {
      out.push(
        [
          ...r.fields.map((v) => (v === undefined ? '' : csvCell(typeof v === 'string' ? v : JSON.stringify(v)))),
          ...r.stats.flatMap((s) => (s === null ? ['', '', ''] : [String(s.mean), s.sd === null ? '' : String(s.sd), String(s.n)])),
        ].join(','),
      );
    }
    return `${out.join('\n')}\n`;
  }
  if (format === 'md') {
    const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    const out = [
      line([...fieldPaths, ...metrics.map(metricLabel)].map(esc)),
      line([...fieldPaths.map(() => '---'), ...metrics.map(() => '---:')]),
    ];
    for (const r of rows) {
      out.push(
        line([
          ...r.fields.map((v) => esc(fieldText(v))),
          ...r.stats.map((s, j) => (s === null ? MISSING : r.best[j] ? `**${statText(s)}**` : statText(s))),
        ]),
      );
    }
    return `${out.join('\n')}\n`;
  }
  const cols = `${'l'.repeat(fieldPaths.length)}${'r'.repeat(metrics.length)}` || 'l';
  const line = (cells: string[]) => `${cells.join(' & ')} \\\\`;
  const out = [`\\begin{tabular}{${cols}}`, '\\toprule', line([...fieldPaths, ...metrics.map(metricLabel)].map(latexText)), '\\midrule'];
  for (const r of rows) {
    out.push(
      line([
        ...r.fields.map((v) => latexText(fieldText(v))),
        ...r.stats.map((s, j) => {
          if (s === null) return latexText(MISSING);
          const text = latexText(statText(s));
          return r.best[j] ? `\\textbf{${text}}` : text;
        }),
      ]),
    );
  }
  out.push('\\bottomrule', '\\end{tabular}');
  return `${out.join('\n')}\n`;
}
