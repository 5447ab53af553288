import type { PaperFigure, StudyFigureSpec, StudyVerdict } from '../contract/paper-claim';
import type { StudyProgress } from '../contract/study';
import type { StudyAggregate, StudyCellAggregate } from '../contract/study-aggregate';
import { metricLabel } from '../contract/metric-catalog';
import { parsePsiMetric, psiEstimators, psiLabel, type PsiEstimator } from '../shared/psi';
import { buildStudyFigures, cellLabelOf, fitOf } from '../shared/study-figures';
import type { StudyPreset } from '../presets/studies';
import { canonicalJson } from '../shared/canonical-json';
import { presetOfStudy } from './preset-study';
import type { StudyManager, StudyStatus } from './study-manager';
import { formatNumber } from '../shared/number-format';
import type { StudyVectorAggregate } from '../shared/vector-aggregate';
import type { OursValue, PaperVsOursRow, StudyReport, StudyReportTiming } from '../contract/study-report';

export type { OursValue, PaperVsOursRow, StudyReport, StudyReportSizes, StudyReportTiming } from '../contract/study-report';

/**
 * A study's report: the claim of the paper it reproduces (from the preset it was started from), the verdict computed
 * from its aggregate, the paper's numbers beside ours, its figures as the paper draws them (ECharts options with their
 * data), its wall time and its sizes. The `studies.report` operation answers it; `collapse-lab study report` writes it
 * out (main/studies/write-study-report.ts). Its types are in main/contract/study-report.ts.
 */

/** The bookkeeping metrics shown as the study's sizes, when its runs record them. */
const SIZE_METRICS = ['candidates', 'kept', 'trainSize', 'realInTraining', 'syntheticInTraining', 'nGenerated', 'nTest'] as const;

/** Returns the report of a study in the manager's workspace (from its cached digest, computed again when a run changed). */
export function studyReport(manager: StudyManager, studyId: string): StudyReport {
  return collectStudyReport(manager, studyId).report;
}

/** Returns the report of a study with the aggregate it was built from (for the tables written beside it). */
export function collectStudyReport(manager: StudyManager, studyId: string): { report: StudyReport; aggregate: StudyAggregate } {
  const status = manager.status(studyId);
  // computed once from the runs, then cached until one of them changes (study-digest.ts)
  const { aggregate, vectors, computeSeconds, startedAt, finishedAt } = manager.digest(studyId);
  const wallSeconds = startedAt && finishedAt ? Math.max(0, (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000) : null;
  const report = buildStudyReport({
    status,
    aggregate,
    vectors,
    preset: presetOfStudy(status.spec),
    timing: { startedAt, finishedAt, wallSeconds, computeSeconds },
  });
  return { report, aggregate };
}

/** What a report is built from: the study's status, its aggregates, its preset (or none) and its timing. */
export interface StudyReportInput {
  status: Pick<StudyStatus, 'id' | 'name' | 'description' | 'state' | 'progress' | 'fieldPaths' | 'seeds' | 'runs'> & {
    spec: { preset?: string };
  };
  aggregate: StudyAggregate;
  vectors?: StudyVectorAggregate;
  preset: StudyPreset | null;
  timing: StudyReportTiming;
}

/**
 * The figures of an aggregate, built once per aggregate object (a study's cached digest keeps its aggregate until a
 * run changes): a 7,500-run grid's figures are megabytes of series, and the study page asks for its report at each
 * open and as runs settle.
 */
const builtFigures = new WeakMap<
  StudyAggregate,
  { specs: string; vectors: StudyVectorAggregate | undefined; figures: StudyReport['figures'] }
>();
function figuresOf(specs: StudyFigureSpec[], aggregate: StudyAggregate, vectors: StudyVectorAggregate | undefined) {
  const key = JSON.stringify(specs);
  const known = builtFigures.get(aggregate);
  if (known && known.specs === key && known.vectors === vectors) return known.figures;
  const figures = buildStudyFigures(specs, { aggregate, ...(vectors ? { vectors } : {}) });
  builtFigures.set(aggregate, { specs: key, vectors, figures });
  return figures;
}

/** Returns the report from its parts (pure: the claim, verdict, paper-vs-ours rows and figures). */
export function buildStudyReport(input: StudyReportInput): StudyReport {
  const { status, aggregate, vectors, preset, timing } = input;
  const claim = preset?.claim ?? null;
  const specs = preset?.figures && preset.figures.length > 0 ? preset.figures : defaultFigures(aggregate, vectors);
  const perGeneration: Record<string, number> = {};
  for (const key of SIZE_METRICS) {
    const stats = aggregate.cells.map((c) => c.last.metrics[key]).filter((s) => s !== undefined);
    if (stats.length > 0) perGeneration[key] = stats.reduce((a, s) => a + s.mean * s.n, 0) / stats.reduce((a, s) => a + s.n, 0);
  }
  return {
    studyId: status.id,
    name: status.name,
    ...(status.description ? { description: status.description } : {}),
    preset: status.spec.preset ?? null,
    state: status.state,
    progress: status.progress,
    claim,
    verdict: preset ? reportVerdict(preset, aggregate, status.progress) : null,
    paperVsOurs: claim ? claim.figures.map((f) => paperVsOurs(aggregate, f)) : [],
    figures: figuresOf(specs, aggregate, vectors),
    timing,
    sizes: {
      runs: status.progress.total,
      completedRuns: status.progress.completed,
      cells: new Set(status.runs.map((r) => r.cellKey)).size,
      seeds: status.seeds,
      generations: Math.max(0, ...status.runs.map((r) => r.generations)),
      fieldPaths: status.fieldPaths,
      perGeneration,
    },
  };
}

/**
 * Returns the preset's verdict on the aggregate. While runs are unfinished it is 'pending', with the checks the data
 * allows so far (provisional); a verdict function that fails on partial data gives a pending verdict naming the error.
 */
export function reportVerdict(preset: StudyPreset, aggregate: StudyAggregate, progress: StudyProgress): StudyVerdict | null {
  if (!preset.verdict) return null;
  const unfinished = progress.completed < progress.total;
  let v: StudyVerdict;
  try {
    v = preset.verdict(aggregate);
  } catch (e) {
    if (!unfinished) throw new Error(`study preset ${preset.name}: its verdict failed on the aggregate: ${(e as Error).message}`);
    return {
      reproduced: 'pending',
      summary: `${progress.completed} of ${progress.total} runs finished; no verdict yet (${(e as Error).message}).`,
      checks: [],
    };
  }
  if (!unfinished || v.reproduced === 'pending') return v;
  return {
    reproduced: 'pending',
    summary: `${progress.completed} of ${progress.total} runs finished; provisional, on the finished runs: ${v.summary}`,
    checks: v.checks,
  };
}

/** Returns one paper-vs-ours row: the paper's number and ours looked up in the aggregate as the figure's `ours` says. */
export function paperVsOurs(aggregate: StudyAggregate, figure: PaperFigure): PaperVsOursRow {
  const row = { quantity: figure.quantity, paper: figure.paper, where: figure.where };
  if (!figure.ours) return { ...row, ours: null, oursText: '—', source: 'no number of ours matches' };
  const found = lookupOurs(aggregate, figure.ours);
  if ('missing' in found) return { ...row, ours: null, oursText: '—', source: found.missing };
  return { ...row, ours: found.value, oursText: oursText(found.value), source: found.source };
}

/** `mean ± sd (n)` at 4 significant digits; sd left out when null. */
export function oursText(v: OursValue): string {
  return v.sd === null ? `${formatNumber(v.mean)} (${v.n})` : `${formatNumber(v.mean)} ± ${formatNumber(v.sd)} (${v.n})`;
}

/**
 * Our number for a PaperFigure's `ours`: the cell whose axis values include every (path, value) of `cell` (the only
 * cell when `cell` is absent and the study has one), at `generation` (default 'last': each run's last line). A metric
 * `psi-per-seed:<metric>` is ψ per seed of that metric over the study's window (mean ± sd of the seeds' own fits),
 * `psi-of-mean:<metric>` ψ of the cell mean (the fit of the mean series ± its standard error): main/shared/psi.ts.
 */
export function lookupOurs(
  aggregate: StudyAggregate,
  ours: NonNullable<PaperFigure['ours']>,
): { value: OursValue; source: string } | { missing: string } {
  const wanted = ours.cell ?? {};
  const cells = aggregate.cells.filter((c) => Object.entries(wanted).every(([p, v]) => canonicalJson(c.fields[p]) === canonicalJson(v)));
  const named = Object.keys(wanted).length > 0;
  if (cells.length === 0)
    return { missing: named ? `no finished cell with ${cellLabelOf(Object.keys(wanted), wanted)}` : 'no finished cell yet' };
  if (cells.length > 1) {
    return {
      missing: `${cells.length} cells match${named ? ` ${cellLabelOf(Object.keys(wanted), wanted)}` : ''}: the claim must name the cell`,
    };
  }
  const cell = cells[0];
  const where = cellLabelOf(aggregate.fieldPaths, cell.fields);
  const psiOf = parsePsiMetric(ours.metric);
  if (psiOf) return psiLookup(cell, psiOf.estimator, psiOf.metric, where);
  const generation = ours.generation ?? 'last';
  const source = generation === 'last' ? cell.last.metrics : cell.generations.find((g) => g.generation === generation)?.metrics;
  const stat = source?.[ours.metric];
  const at =
    generation === 'last'
      ? `last generation${cell.last.generations.length === 1 ? ` (${cell.last.generations[0]})` : 's'}`
      : `generation ${generation}`;
  if (!stat) return { missing: `${metricLabel(ours.metric, aggregate.samples)} (${ours.metric}) not recorded in cell ${where} at ${at}` };
  return {
    value: { mean: stat.mean, sd: stat.sd, n: stat.n },
    source: `${metricLabel(ours.metric, aggregate.samples)}, cell ${where}, ${at}`,
  };
}

function psiLookup(
  cell: StudyCellAggregate,
  estimator: PsiEstimator,
  metric: string,
  where: string,
): { value: OursValue; source: string } | { missing: string } {
  const fit = fitOf(cell, metric);
  if (!fit) return { missing: `no power-law fit of ${metric} in cell ${where}` };
  const name = `${psiLabel(estimator, fit.firstGeneration, fit.lastGeneration)} of ${metricLabel(metric)}`;
  if (estimator === 'per-seed') {
    if (!fit.seedPsi) return { missing: `no seed of cell ${where} has a fit of ${metric}` };
    return { value: { ...fit.seedPsi }, source: `${name} (mean ${psiEstimators['per-seed'].spread}), cell ${where}` };
  }
  return {
    value: { mean: fit.psi, sd: fit.stderr, n: fit.points },
    source: `${name} (${psiEstimators['of-mean'].spread}; n = points), cell ${where}`,
  };
}

/** Figures for a study without a preset's: the ψ fits, the class histogram, the mode energies and a few quality metrics. */
export function defaultFigures(aggregate: StudyAggregate, vectors?: StudyVectorAggregate): StudyFigureSpec[] {
  const out: StudyFigureSpec[] = [];
  const fitted = new Set(
    aggregate.cells.flatMap((c) =>
      Object.values(c.fits)
        .map((f) => f?.metric)
        .filter((m): m is string => !!m),
    ),
  );
  for (const m of fitted)
    out.push({
      kind: 'loglog-trace',
      title: `${metricLabel(m, aggregate.samples)} against generation (log-log) with the ψ fit`,
      metric: m,
    });
  for (const m of ['fid', 'w1', 'w2', 'recall', 'downstreamAccuracy']) {
    if (aggregate.metrics.includes(m))
      out.push({ kind: 'metric-vs-generation', title: `${metricLabel(m, aggregate.samples)} by generation`, metric: m });
  }
  if (vectors?.keys.includes('classHistogram')) out.push({ kind: 'class-histogram', title: 'Classes of the kept samples by generation' });
  if (vectors?.keys.includes('hermiteEnergy')) out.push({ kind: 'mode-energies', title: 'Hermite mode energies by generation' });
  return out;
}
