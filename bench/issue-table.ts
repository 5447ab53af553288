/**
 * The table of issue 15, filled by the benchmarks as they run (bench/train.ts, bench/models.ts, bench/ot.ts each
 * record their figures) and printed by bench/index.ts at the end: each work's figure on one thread beside its
 * reference on one thread, the same at all cores, the ratios, the goal (a ratio at one thread) and whether it is met.
 * Rates (images/s) compare ours / reference; times (seconds) compare reference / ours, so > 1 always means faster.
 */
export interface Figure {
  work: string;
  unit: 'images/s' | 's';
  /** Ours and the reference at one thread. */
  ours1: number | null;
  ref1: number | null;
  /** Ours and the reference at all cores; oursAll null when ours has no multi-thread path. */
  oursAll: number | null;
  oursAllThreads?: number;
  refAll: number | null;
  refAllThreads?: number;
  /** Ratio goal at one thread. */
  goal?: number;
  /** Some block of this figure ran on a busy machine. */
  busy?: boolean;
  note?: string;
}

const figures: Figure[] = [];

export function recordFigure(f: Figure): void {
  figures.push(f);
}

export function recordedFigures(): readonly Figure[] {
  return figures;
}

export function ratio(f: Pick<Figure, 'unit'>, ours: number | null, ref: number | null): number | null {
  if (ours === null || ref === null || !(ours > 0) || !(ref > 0)) return null;
  return f.unit === 's' ? ref / ours : ours / ref;
}

function fmt(v: number | null, unit: Figure['unit']): string {
  if (v === null) return '–';
  if (unit === 's') return `${v.toFixed(3)} s`;
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

const x = (r: number | null) => (r === null ? '–' : `${r.toFixed(2)}×`);

/** The table as text lines (goal met when the one-thread ratio reaches the goal). */
export function issueTableLines(list: readonly Figure[] = figures): string[] {
  const head = ['work', 'ours 1 thr', 'ref 1 thr', 'ratio 1', 'ours all', 'ref all', 'ratio all', 'goal', 'met'];
  const rows = list.map((f) => {
    const r1 = ratio(f, f.ours1, f.ref1);
    const rAll = ratio(f, f.oursAll, f.refAll);
    const met = f.goal === undefined ? '' : r1 === null ? '?' : r1 >= f.goal ? 'met' : 'NOT met';
    return [
      f.work + (f.busy ? ' (busy)' : ''),
      fmt(f.ours1, f.unit),
      fmt(f.ref1, f.unit),
      x(r1),
      f.oursAll === null ? '–' : `${fmt(f.oursAll, f.unit)}${f.oursAllThreads ? ` (${f.oursAllThreads})` : ''}`,
      f.refAll === null ? '–' : `${fmt(f.refAll, f.unit)}${f.refAllThreads ? ` (${f.refAllThreads})` : ''}`,
      x(rAll),
      f.goal === undefined ? '' : `≥ ${f.goal}×`,
      met,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const notes = list.filter((f) => f.note).map((f) => `  ${f.work}: ${f.note}`);
  return [line(head), ...rows.map(line), ...(notes.length ? ['notes:', ...notes] : [])];
}
