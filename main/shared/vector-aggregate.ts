import type { StudyAggregateInput } from '../contract/study-aggregate';

/**
 * The vector metrics of a study, per cell and generation: element-wise mean, sample sd and count over the cell's seeds
 * of the metrics a metrics line holds as arrays (the class histogram of the kept samples, the Hermite mode energies of
 * the exact-score diffusion model). The scalar aggregate (aggregate.ts) skips arrays; the study's figures need these.
 * Pure functions of the runs' metrics lines (no Node APIs: the renderer may import them).
 */

/** The array metrics gathered by default: the class histogram and the Hermite mode energies (k = 0 … K). */
export const VECTOR_METRICS = ['classHistogram', 'hermiteEnergy'] as const;

/** Element-wise statistics of one array metric over a cell's seeds at one generation. */
export interface VectorStat {
  /** Mean of element i over the runs that have it. */
  mean: number[];
  /** Sample sd (n − 1) of element i; null where fewer than 2 runs have it. */
  sd: (number | null)[];
  /** Runs with the array at this generation. */
  n: number;
}

export interface StudyCellVectors {
  cellKey: string;
  fields: Record<string, unknown>;
  /** Generations where some run recorded one of the vector metrics, ascending. */
  generations: { generation: number; vectors: Record<string, VectorStat> }[];
}

export interface StudyVectorAggregate {
  studyId: string;
  fieldPaths: string[];
  /** The vector metrics found in any line, in the order asked. */
  keys: string[];
  cells: StudyCellVectors[];
}

/**
 * The vector aggregate of a study: for each cell, each generation and each of `keys` found in the runs' lines, the
 * element-wise mean / sd / n over the seeds. A line's value counts when it is an array of finite numbers; runs whose
 * arrays are shorter than others simply do not count for the missing elements.
 */
export function aggregateStudyVectors(input: StudyAggregateInput, keys: readonly string[] = VECTOR_METRICS): StudyVectorAggregate {
  const found = new Set<string>();
  const cells = input.cells.map((cell): StudyCellVectors => {
    // generation → key → arrays over the runs
    const byGeneration = new Map<number, Map<string, number[][]>>();
    for (const run of cell.runs) {
      const seen = new Map<number, Map<string, number[]>>(); // a later line of a generation replaces an earlier one
      run.lines.forEach((line, i) => {
        const g = typeof line.generation === 'number' && Number.isFinite(line.generation) ? line.generation : i;
        const here = new Map<string, number[]>();
        for (const key of keys) {
          const v = line[key];
          if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x))) here.set(key, v as number[]);
        }
        if (here.size > 0) seen.set(g, here);
      });
      for (const [g, here] of seen) {
        const slot = byGeneration.get(g) ?? new Map<string, number[][]>();
        for (const [key, v] of here) {
          found.add(key);
          const list = slot.get(key) ?? [];
          list.push(v);
          slot.set(key, list);
        }
        byGeneration.set(g, slot);
      }
    }
    const generations = [...byGeneration.keys()]
      .sort((a, b) => a - b)
      .map((generation) => {
        const vectors: Record<string, VectorStat> = {};
        for (const [key, arrays] of byGeneration.get(generation)!) vectors[key] = vectorStat(arrays);
        return { generation, vectors };
      });
    return { cellKey: cell.cellKey, fields: { ...cell.fields }, generations };
  });
  return { studyId: input.studyId, fieldPaths: [...input.fieldPaths], keys: keys.filter((k) => found.has(k)), cells };
}

/** Element-wise mean, sample sd (null below 2 values) and the number of arrays. */
export function vectorStat(arrays: number[][]): VectorStat {
  const length = Math.max(...arrays.map((a) => a.length));
  const mean: number[] = [];
  const sd: (number | null)[] = [];
  for (let i = 0; i < length; i++) {
    const values = arrays.filter((a) => i < a.length).map((a) => a[i]);
    const m = values.reduce((s, v) => s + v, 0) / values.length;
    mean.push(m);
    sd.push(values.length < 2 ? null : Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1)));
  }
  return { mean, sd, n: arrays.length };
}
