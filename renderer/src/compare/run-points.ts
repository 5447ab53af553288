import type { StudyRunValues } from '../../../main/contract/study';
import type { MetricsLine } from '../../../main/contract/run-record';

/**
 * Each run of a comparison as one point: its cell's fields, its seed and chosen metrics at one generation. A study's
 * come from the engine (studies.runValues, read once there); a selection's are made here from the runs' lines, in
 * the same shape.
 */
export type RunPoint = StudyRunValues['runs'][number];

/** The numeric metrics of a metrics line (nested objects as `a.b`), as the engine's numericMetricsOf reads them. */
function numericOf(line: Record<string, unknown>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(line)) {
    if (k === 'generation') continue;
    if (typeof v === 'number' && Number.isFinite(v)) out.set(k, v);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v)) if (typeof v2 === 'number' && Number.isFinite(v2)) out.set(`${k}.${k2}`, v2);
    }
  }
  return out;
}

export function runPointsOf(
  runs: { id: string; seed: number; metrics: MetricsLine[] }[],
  runCells: Record<string, string>,
  cellFields: Record<string, Record<string, unknown>>,
  metrics: string[],
  generation: 'last' | number,
): RunPoint[] {
  const out: RunPoint[] = [];
  for (const r of runs) {
    const lines = r.metrics as Record<string, unknown>[];
    const line = generation === 'last' ? lines[lines.length - 1] : lines.find((l) => Number(l.generation) === generation);
    if (!line) continue;
    const all = numericOf(line);
    const cellKey = runCells[r.id];
    out.push({
      key: r.id,
      runId: r.id,
      cellKey,
      seed: r.seed,
      fields: cellFields[cellKey] ?? {},
      generation: Number(line.generation),
      values: Object.fromEntries(metrics.map((m) => [m, all.get(m) ?? null])),
    });
  }
  return out;
}

/** Every numeric metric of some runs' lines, sorted (what a chooser offers). */
export function metricsOfRuns(runs: { metrics: MetricsLine[] }[]): string[] {
  const known = new Set<string>();
  for (const r of runs) for (const l of r.metrics) for (const k of numericOf(l as Record<string, unknown>).keys()) known.add(k);
  return [...known].sort();
}
