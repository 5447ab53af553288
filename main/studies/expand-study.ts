import { createHash } from 'node:crypto';
import { ConfigError, experimentConfig, type ExperimentConfig, type FieldIssue } from '../contract/config';
import { datasetDeclarationOf } from '../contract/datasets/dataset-kinds';
import { studySpec, type StudySpec } from '../contract/study';
import { fieldIssuesOf, inProductTerms } from '../contract/zod-messages';
import { canonicalJson } from '../shared/canonical-json';
import { cellIdentity, runIdentity } from '../shared/run-identity';

export { canonicalJson };

/** One run of a study: its resolved, validated config and its stable keys. */
export interface StudyRunPlan {
  /** Hash of the resolved config without `name` and `loop.generations`: the same run whatever the axes' order. */
  key: string;
  /** The same hash without the seed: the run's cell. */
  cellKey: string;
  seed: number;
  /** The cell's axis values, by config path, in the axes' order. */
  fields: Record<string, unknown>;
  config: ExperimentConfig;
}

export interface StudyPlan {
  spec: StudySpec;
  studyId: string;
  /** Config paths of the axes, in order (the cell fields of tables and the CSV). */
  fieldPaths: string[];
  seeds: number[];
  runs: StudyRunPlan[];
}

/** Validate a study file; on failure throw a ConfigError naming each field at fault. */
export function validateStudy(input: unknown, source = 'study'): StudySpec {
  const r = studySpec.safeParse(input, inProductTerms);
  if (r.success) return r.data;
  throw new ConfigError(source, fieldIssuesOf(r.error));
}

/** The folder name of a study: its name as a slug. */
export function studyIdOf(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'study'
  );
}

/**
 * Expand a study into its runs: the Cartesian product of the axes (a zip counts as one axis), in the axes' order,
 * times the seeds. Every run's config is validated; an error names the cell's values and the field at fault.
 * `firstSeedOnly`: each cell's run of the first seed only (`seeds` still lists them all, and the default storage is
 * the whole study's), for what is the same for every seed of a cell (the duration estimate of a 7,500-run grid from
 * its 75 cells).
 */
export function expandStudy(input: unknown, source = 'study', opts: { firstSeedOnly?: boolean } = {}): StudyPlan {
  const spec = validateStudy(input, source);
  const seeds = typeof spec.seeds === 'number' ? Array.from({ length: spec.seeds }, (_, i) => i) : spec.seeds;
  const axes = spec.axes.map((a) => ('zip' in a ? a.zip : [a]));
  const fieldPaths = axes.flat().map((p) => p.path);
  const cells: Record<string, unknown>[] = [];
  const walk = (i: number, fields: Record<string, unknown>) => {
    if (i === axes.length) return void cells.push(fields);
    const n = axes[i][0].values.length;
    for (let v = 0; v < n; v++) {
      const next = { ...fields };
      for (const p of axes[i]) next[p.path] = p.values[v];
      walk(i + 1, next);
    }
  };
  walk(0, {});

  const storage = spec.storage ?? defaultStudyStorage(spec, cells.length * seeds.length);
  const runs: StudyRunPlan[] = [];
  const issues: FieldIssue[] = [];
  const seenKeys = new Map<string, string>();
  for (const fields of cells) {
    const label = cellLabel(fields);
    for (const seed of opts.firstSeedOnly ? seeds.slice(0, 1) : seeds) {
      const raw = structuredClone(spec.base) as Record<string, unknown>;
      for (const [p, v] of Object.entries(fields)) setPath(raw, p, structuredClone(v));
      raw.seed = seed;
      raw.name = runName(spec.name, label, seed);
      if (storage !== undefined) raw.storage = storage;
      if (spec.metrics) setPath(raw, 'metrics.compute', [...spec.metrics]);
      const r = experimentConfig.safeParse(raw, inProductTerms);
      if (!r.success) {
        for (const i of fieldIssuesOf(r.error)) {
          issues.push({ path: `base.${i.path}`, message: `${i.message}${label ? ` (in cell ${label})` : ''}` });
        }
        continue;
      }
      const key = runKey(r.data);
      if (seenKeys.has(key)) {
        issues.push({
          path: 'axes',
          message: `cells ${seenKeys.get(key) || '(base)'} and ${label || '(base)'} resolve to the same run config`,
        });
        continue;
      }
      seenKeys.set(key, label);
      runs.push({ key, cellKey: cellKeyOf(r.data), seed, fields, config: r.data });
    }
  }
  if (issues.length > 0) throw new ConfigError(source, dedupe(issues));
  return { spec, studyId: studyIdOf(spec.name), fieldPaths, seeds, runs };
}

/** A study of at least this many runs on a vector (toy) dataset keeps the metrics lines only, unless it says otherwise. */
export const BIG_TOY_STUDY_RUNS = 100;

/**
 * The storage of a study that names none: the base config's; else, for a big grid of toy runs (vector data, at least
 * BIG_TOY_STUDY_RUNS runs), `metrics` (the scatter plots of 7,500 Gaussian runs are millions of files nobody opens);
 * else each run's default (all).
 */
export function defaultStudyStorage(spec: StudySpec, runs: number): string | undefined {
  const base = spec.base as { storage?: unknown; dataset?: Record<string, unknown> };
  if (base.storage !== undefined) return undefined;
  const dataset = base.dataset;
  const declaration = typeof dataset?.kind === 'string' ? datasetDeclarationOf(dataset.kind) : undefined;
  if (!declaration || declaration.samplesAreImages(dataset!)) return undefined;
  return runs >= BIG_TOY_STUDY_RUNS ? 'metrics' : undefined;
}

/** The stable key of a run: a hash of its resolved config, `name`, `loop.generations` and `storage` aside (runIdentity). */
export function runKey(config: ExperimentConfig): string {
  return hash(runIdentity(config));
}

/** The key of a run's cell: as runKey, without the seed (cellIdentity). */
export function cellKeyOf(config: ExperimentConfig): string {
  return hash(cellIdentity(config));
}

function hash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 12);
}

/** Set `a.b.c` in a plain object, creating the objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = target;
  for (const part of parts.slice(0, -1)) {
    const next = o[part];
    if (next === undefined || next === null) o[part] = {};
    else if (typeof next !== 'object' || Array.isArray(next)) throw new Error(`${path}: ${part} is not an object in the base config`);
    o = o[part] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]] = value;
}

/** `selection.scheme=random, loop.paradigm=replace`: a cell's values in a line. */
export function cellLabel(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([p, v]) => `${p}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

function runName(study: string, label: string, seed: number): string {
  const name = `${study}${label ? `: ${label}` : ''} (seed ${seed})`;
  return name.length <= 120 ? name : `${name.slice(0, 117)}…`;
}

function dedupe(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\n${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
