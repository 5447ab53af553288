/**
 * Turning a run's metrics lines (one JSON object per generation, whatever the models and schemes put in them) into
 * chart series: every numeric field, nested objects flattened one level ("selection.kept"), arrays left to their
 * own charts (epochLosses, classHistogram).
 */
export interface MetricSeries {
  key: string;
  label: string;
  generations: number[];
  values: (number | null)[];
}

/** Fields that are bookkeeping rather than measurements, shown last. */
const BOOKKEEPING = new Set(['trainSize', 'realInTraining', 'syntheticInTraining', 'candidates', 'kept', 'seconds']);
/** Measurements shown first, in this order, when present. */
const FIRST = ['trainLoss', 'varianceTrace', 'meanDistance', 'fid', 'precision', 'recall', 'density', 'coverage', 'classEntropy', 'classesCovered'];

function flatten(line: Record<string, unknown>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(line)) {
    if (k === 'generation') continue;
    if (typeof v === 'number' && Number.isFinite(v)) out.set(k, v);
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) {
        if (typeof v2 === 'number' && Number.isFinite(v2)) out.set(`${k}.${k2}`, v2);
      }
    }
  }
  return out;
}

export function humanize(key: string): string {
  return key
    .split('.')
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()))
    .join(' · ');
}

export function metricSeries(lines: Record<string, unknown>[]): MetricSeries[] {
  const flat = lines.map(flatten);
  const generations = lines.map((l, i) => (typeof l.generation === 'number' ? l.generation : i));
  const keys: string[] = [];
  for (const f of flat) for (const k of f.keys()) if (!keys.includes(k)) keys.push(k);
  const rank = (k: string) => {
    const i = FIRST.indexOf(k);
    if (i >= 0) return i;
    return BOOKKEEPING.has(k) ? 1000 : 100;
  };
  keys.sort((a, b) => rank(a) - rank(b));
  return keys.map((key) => ({
    key,
    label: humanize(key),
    generations,
    values: flat.map((f) => (f.has(key) ? f.get(key)! : null)),
  }));
}

/** Each generation's per-epoch training losses (`epochLosses`), when the lines hold them. */
export function epochLosses(lines: Record<string, unknown>[]): { generation: number; losses: number[] }[] {
  return lines
    .map((l, i) => ({
      generation: typeof l.generation === 'number' ? l.generation : i,
      losses: Array.isArray(l.epochLosses) ? (l.epochLosses as unknown[]).filter((v): v is number => typeof v === 'number') : [],
    }))
    .filter((e) => e.losses.length > 0);
}

/** A generation's class histogram of the kept samples (by the reference classifier), when present. */
export function classHistogram(line: Record<string, unknown> | undefined): number[] | null {
  const h = line?.classHistogram;
  return Array.isArray(h) && h.every((v) => typeof v === 'number') ? (h as number[]) : null;
}
