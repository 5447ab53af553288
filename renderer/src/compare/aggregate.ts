import { sampleSpaceOf } from '../../../main/contract/datasets/dataset-kinds';
import type { SampleSpace } from '../../../main/contract/metric-catalog';
import type { MetricsLine } from '../../../main/contract/run-record';
import type { StudyAggregate } from '../../../main/contract/study-aggregate';
import { aggregateStudy } from '../../../main/shared/aggregate';
import { canonicalJson } from '../../../main/shared/canonical-json';
import { cellIdentity } from '../../../main/shared/run-identity';
import { psiFromGeneration } from '../../../main/shared/psi';

/**
 * The comparison of a selection of runs, made in the renderer in the shape of a study's aggregate
 * (main/contract/study-aggregate.ts): runs whose configs differ only by seed (name and loop.generations aside: the
 * cell identity of a study's cell key, main/shared/run-identity.ts) form a cell; the cell's fields are the config paths
 * whose values differ between cells. The statistics are the engine's own (main/shared/aggregate.ts).
 */

export interface CompareRunInput {
  id: string;
  config: Record<string, unknown>;
  metrics: MetricsLine[];
}

/** Leaf paths of a config (arrays are leaves). */
function leaves(obj: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, obj);
  return out;
}

/**
 * The aggregate of some cells (each: key, fields, runs with their seeds and lines): the engine's own computation, ψ
 * fitted over t ∈ [psiFromT, T] (default: the asymptotic window, main/shared/psi.ts).
 */
export function aggregateCells(
  id: string,
  fieldPaths: string[],
  cells: { cellKey: string; fields: Record<string, unknown>; runs: { seed: number; lines: Record<string, unknown>[] }[] }[],
  psiFromT?: number,
  samples?: SampleSpace,
): StudyAggregate {
  const from = psiFromGeneration(psiFromT);
  return aggregateStudy({
    studyId: id,
    fieldPaths: [...fieldPaths],
    powerLawFrom: { modelVarianceTrace: from, varianceTrace: from, traceFeatures: from },
    ...(samples ? { samples } : {}),
    cells: cells.map((c) => ({ ...c, runs: c.runs.map((r) => ({ key: `${c.cellKey}-${r.seed}`, seed: r.seed, lines: r.lines })) })),
  });
}

/** The runs of a selection grouped into cells (configs equal but for seed, name, loop.generations), as an aggregate. */
export function compareRuns(runs: CompareRunInput[]): { aggregate: StudyAggregate; runCells: Record<string, string> } {
  const groups = new Map<string, { config: Record<string, unknown>; runs: CompareRunInput[] }>();
  for (const r of runs) {
    const key = canonicalJson(cellIdentity(r.config));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { config: cellIdentity(r.config), runs: [] }));
    g.runs.push(r);
  }
  const list = [...groups.values()];
  // fields: the leaf paths whose values differ between the cells, in the first config's order
  const leafMaps = list.map((g) => leaves(g.config));
  const allPaths: string[] = [];
  for (const m of leafMaps) for (const p of m.keys()) if (!allPaths.includes(p)) allPaths.push(p);
  const fieldPaths = list.length < 2 ? [] : allPaths.filter((p) => new Set(leafMaps.map((m) => canonicalJson(m.get(p) ?? null))).size > 1);
  const runCells: Record<string, string> = {};
  const cells = list.map((g, i) => {
    const cellKey = `cell-${i + 1}`;
    for (const r of g.runs) runCells[r.id] = cellKey;
    const leafs = leafMaps[i];
    return {
      cellKey,
      fields: Object.fromEntries(fieldPaths.map((p) => [p, leafs.get(p)])),
      runs: g.runs.map((r) => ({
        seed: typeof r.config.seed === 'number' ? r.config.seed : 0,
        lines: r.metrics as Record<string, unknown>[],
      })),
    };
  });
  // ψ's window: the runs' own (metrics.psiFromT of the first run's config), else the default
  const metrics = runs[0]?.config.metrics as { psiFromT?: unknown } | undefined;
  const psiFromT = typeof metrics?.psiFromT === 'number' ? metrics.psiFromT : undefined;
  // the names of the raw-data metrics: pixels only when every run's samples are images
  const samples = sampleSpaceOf(runs.map((r) => r.config.dataset));
  return { aggregate: aggregateCells('selection', fieldPaths, cells, psiFromT, samples), runCells };
}
