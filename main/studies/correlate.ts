import { numericMetricsOf, type StudyCellResult } from '../shared/aggregate';

/** The correlation of two metrics over every run of a study, each run's value at one generation. */
export interface RunCorrelation {
  x: string;
  y: string;
  /** Runs that have both values. */
  n: number;
  pearson: number | null;
  /** Pearson's r of the ranks (ties get their mean rank): robust to the orders of magnitude error measures span. */
  spearman: number | null;
}

/**
 * Pearson's and Spearman's correlation of each x metric with each y metric across the runs of a study (all cells and
 * seeds together), e.g. of the score-error measures with the samples' distance, as the score-geometry paper reports.
 */
export function correlateRuns(
  cells: StudyCellResult[],
  xs: string[],
  ys: string[],
  generation: 'last' | number = 'last',
): RunCorrelation[] {
  const rows: Map<string, number>[] = [];
  for (const cell of cells) {
    for (const run of cell.runs) {
      const line = generation === 'last' ? run.lines[run.lines.length - 1] : run.lines.find((l) => Number(l.generation) === generation);
      if (line) rows.push(numericMetricsOf(line));
    }
  }
  const known = new Set(rows.flatMap((r) => [...r.keys()]));
  for (const k of [...xs, ...ys]) {
    if (!known.has(k)) throw new Error(`unknown metric ${k}; the runs have: ${[...known].sort().join(', ')}`);
  }
  const out: RunCorrelation[] = [];
  for (const x of xs) {
    for (const y of ys) {
      const pairs = rows.filter((r) => r.has(x) && r.has(y)).map((r) => [r.get(x)!, r.get(y)!] as const);
      const a = pairs.map((p) => p[0]);
      const b = pairs.map((p) => p[1]);
      out.push({ x, y, n: pairs.length, pearson: pearson(a, b), spearman: pearson(ranks(a), ranks(b)) });
    }
  }
  return out;
}

export function pearson(a: number[], b: number[]): number | null {
  const n = a.length;
  if (n < 3) return null;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : null;
}

/** Ranks 1 … n, ties sharing their mean rank. */
export function ranks(v: number[]): number[] {
  const order = v.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
  const r = new Array<number>(v.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}
