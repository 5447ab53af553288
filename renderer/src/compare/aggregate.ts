import { metricCatalog } from '../../../main/contract/metric-catalog';
import type { MetricsLine } from '../../../main/contract/run-record';
import type {
  MetricStat,
  StudyAggregate,
  StudyCellAggregate,
  StudyGenerationStats,
  StudyPowerLawFit,
  StudySeedFit,
} from '../../../main/contract/study-aggregate';

/**
 * The comparison of a selection of runs, made in the renderer in the shape of a study's aggregate
 * (main/contract/study-aggregate.ts): runs whose configs differ only by seed (name and loop.generations aside, as a
 * study's cell key) form a cell; the cell's fields are the config paths whose values differ between cells. The
 * statistics follow main/studies/aggregate.ts (mean, sample sd, n; ψ fitted on log Tr(Σ_t) = log C − ψ log t).
 */

export interface CompareRunInput {
  id: string;
  config: Record<string, unknown>;
  metrics: MetricsLine[];
}

/** Numeric metrics of a line: finite top-level numbers but `generation`, and nested objects' numbers as `a.b`. */
export function numericMetricsOf(line: Record<string, unknown>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(line)) {
    if (k === 'generation') continue;
    if (typeof v === 'number') {
      if (Number.isFinite(v)) out.set(k, v);
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) {
        if (typeof v2 === 'number' && Number.isFinite(v2)) out.set(`${k}.${k2}`, v2);
      }
    }
  }
  return out;
}

export function orderMetricKeys(keys: Iterable<string>): string[] {
  const set = new Set(keys);
  const known = metricCatalog.map((m) => m.key as string).filter((k) => set.has(k));
  const knownSet = new Set(known);
  const rest = [...set].filter((k) => !knownSet.has(k)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...known, ...rest];
}

export function metricStat(values: number[]): MetricStat {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, sd: null, n };
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { mean, sd: Math.sqrt(ss / (n - 1)), n };
}

/** Least squares of log y on log t: ψ = −slope, its standard error, log C; null when it cannot be fitted. */
export function fitPowerLaw(t: number[], y: number[]): { psi: number; stderr: number | null; intercept: number } | null {
  if (t.length < 3 || t.some((v) => !(v > 0)) || y.some((v) => !(v > 0) || !Number.isFinite(v))) return null;
  const lx = t.map(Math.log);
  const ly = y.map(Math.log);
  const n = t.length;
  const mx = lx.reduce((a, b) => a + b, 0) / n;
  const my = ly.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ly[i] - intercept - slope * lx[i]) ** 2;
  const stderr = n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : NaN;
  if (!Number.isFinite(-slope)) return null;
  return { psi: -slope, stderr: Number.isFinite(stderr) ? stderr : null, intercept };
}

/** JSON with sorted keys, so that equal configs give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A config without what does not make a cell: its name, its seed and loop.generations. */
function cellConfig(config: Record<string, unknown>): Record<string, unknown> {
  const { name: _n, seed: _s, ...rest } = config;
  const loop = rest.loop && typeof rest.loop === 'object' ? { ...(rest.loop as Record<string, unknown>) } : undefined;
  if (loop) delete loop.generations;
  return loop ? { ...rest, loop } : rest;
}

/** Leaf paths of a config (arrays are leaves). */
function leaves(obj: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, obj);
  return out;
}

const FITTED = ['varianceTrace', 'traceFeatures'] as const;

interface ParsedRun {
  seed: number;
  byGeneration: Map<number, Map<string, number>>;
  last: Map<string, number>;
  lastGeneration: number;
}

function parseRun(seed: number, lines: Record<string, unknown>[]): ParsedRun | null {
  if (lines.length === 0) return null;
  const byGeneration = new Map<number, Map<string, number>>();
  const genOf = (l: Record<string, unknown>, i: number) => (typeof l.generation === 'number' && Number.isFinite(l.generation) ? l.generation : i);
  lines.forEach((l, i) => byGeneration.set(genOf(l, i), numericMetricsOf(l)));
  const lastGeneration = genOf(lines[lines.length - 1], lines.length - 1);
  return { seed, byGeneration, last: byGeneration.get(lastGeneration)!, lastGeneration };
}

function statsOf(metrics: string[], lines: Map<string, number>[]): Record<string, MetricStat> {
  const out: Record<string, MetricStat> = {};
  for (const key of metrics) {
    const values = lines.map((m) => m.get(key)).filter((v): v is number => v !== undefined);
    if (values.length > 0) out[key] = metricStat(values);
  }
  return out;
}

function fitOf(metric: string, generations: StudyGenerationStats[], runs: ParsedRun[]): StudyPowerLawFit | undefined {
  const points = generations.filter((g) => g.metrics[metric] !== undefined);
  const fit = fitPowerLaw(
    points.map((g) => g.generation + 1),
    points.map((g) => g.metrics[metric].mean),
  );
  if (!fit) return undefined;
  const seeds: StudySeedFit[] = [];
  for (const r of runs) {
    const gens = [...r.byGeneration.keys()].sort((a, b) => a - b).filter((g) => r.byGeneration.get(g)!.has(metric));
    const f = fitPowerLaw(
      gens.map((g) => g + 1),
      gens.map((g) => r.byGeneration.get(g)!.get(metric)!),
    );
    if (f) seeds.push({ seed: r.seed, psi: f.psi, stderr: f.stderr });
  }
  return {
    metric,
    psi: fit.psi,
    stderr: fit.stderr,
    intercept: fit.intercept,
    points: points.length,
    firstGeneration: points[0].generation,
    lastGeneration: points[points.length - 1].generation,
    seeds,
    seedPsi: seeds.length > 0 ? metricStat(seeds.map((s) => s.psi)) : null,
  };
}

/** The aggregate of some cells (each: key, fields, runs with their seeds and lines), as main/studies/aggregate.ts. */
export function aggregateCells(
  id: string,
  fieldPaths: string[],
  cells: { cellKey: string; fields: Record<string, unknown>; runs: { seed: number; lines: Record<string, unknown>[] }[] }[],
): StudyAggregate {
  const parsed = cells.map((c) => ({ c, runs: c.runs.map((r) => parseRun(r.seed, r.lines)).filter((r): r is ParsedRun => r !== null) }));
  const found = new Set<string>();
  for (const { runs } of parsed) for (const r of runs) for (const m of r.byGeneration.values()) for (const k of m.keys()) found.add(k);
  const metrics = orderMetricKeys(found);
  const out: StudyCellAggregate[] = parsed.map(({ c, runs }) => {
    const gens = [...new Set(runs.flatMap((r) => [...r.byGeneration.keys()]))].sort((a, b) => a - b);
    const generations = gens.map((generation) => ({
      generation,
      metrics: statsOf(
        metrics,
        runs.map((r) => r.byGeneration.get(generation)).filter((m): m is Map<string, number> => m !== undefined),
      ),
    }));
    const fits: StudyCellAggregate['fits'] = {};
    for (const m of FITTED) {
      const f = fitOf(m, generations, runs);
      if (f) fits[m] = f;
    }
    return {
      cellKey: c.cellKey,
      fields: { ...c.fields },
      seeds: runs.map((r) => r.seed),
      n: runs.length,
      generations,
      last: {
        generations: [...new Set(runs.map((r) => r.lastGeneration))].sort((a, b) => a - b),
        metrics: statsOf(
          metrics,
          runs.map((r) => r.last),
        ),
      },
      fits,
    };
  });
  return { studyId: id, fieldPaths: [...fieldPaths], metrics, cells: out };
}

/** The runs of a selection grouped into cells (configs equal but for seed, name, loop.generations), as an aggregate. */
export function compareRuns(runs: CompareRunInput[]): { aggregate: StudyAggregate; runCells: Record<string, string> } {
  const groups = new Map<string, { config: Record<string, unknown>; runs: CompareRunInput[] }>();
  for (const r of runs) {
    const key = canonicalJson(cellConfig(r.config));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { config: cellConfig(r.config), runs: [] }));
    g.runs.push(r);
  }
  const list = [...groups.values()];
  // fields: the leaf paths whose values differ between the cells, in the first config's order
  const leafMaps = list.map((g) => leaves(g.config));
  const allPaths: string[] = [];
  for (const m of leafMaps) for (const p of m.keys()) if (!allPaths.includes(p)) allPaths.push(p);
  const fieldPaths =
    list.length < 2 ? [] : allPaths.filter((p) => new Set(leafMaps.map((m) => canonicalJson(m.get(p) ?? null))).size > 1);
  const runCells: Record<string, string> = {};
  const cells = list.map((g, i) => {
    const cellKey = `cell-${i + 1}`;
    for (const r of g.runs) runCells[r.id] = cellKey;
    const leafs = leafMaps[i];
    return {
      cellKey,
      fields: Object.fromEntries(fieldPaths.map((p) => [p, leafs.get(p)])),
      runs: g.runs.map((r) => ({ seed: typeof r.config.seed === 'number' ? r.config.seed : 0, lines: r.metrics as Record<string, unknown>[] })),
    };
  });
  return { aggregate: aggregateCells('selection', fieldPaths, cells), runCells };
}
