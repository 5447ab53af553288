import type { StudyRunValues } from '../contract/study';
import { numericMetricsOf, type StudyCellResult } from '../shared/aggregate';

/**
 * Each completed run of a study as one point: its cell's fields, its seed and the chosen metrics at one generation
 * (the last, or a given one). What the parallel coordinates and the run scatter draw: numbers the engine reads once,
 * not every run's lines sent to the renderer.
 */
export function runValuesOf(
  cells: StudyCellResult[],
  metrics: string[],
  generation: 'last' | number,
  runIdOf: (key: string) => string,
): StudyRunValues['runs'] {
  const out: StudyRunValues['runs'] = [];
  for (const cell of cells) {
    for (const run of cell.runs) {
      const line = generation === 'last' ? run.lines[run.lines.length - 1] : run.lines.find((l) => Number(l.generation) === generation);
      if (!line) continue;
      const all = numericMetricsOf(line);
      const values: Record<string, number | null> = {};
      for (const m of metrics) values[m] = all.get(m) ?? null;
      out.push({
        key: run.key,
        runId: runIdOf(run.key),
        cellKey: cell.cellKey,
        seed: run.seed,
        fields: cell.fields,
        generation: Number(line.generation),
        values,
      });
    }
  }
  return out;
}
