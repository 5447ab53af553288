import type { PaperClaim, StudyVerdict } from './paper-claim';
import type { StudyProgress, StudyState } from './study';
import type { StudyFigure } from './study-figure';

/**
 * The types of a study's report (the `studies.report` operation's answer, built by main/studies/study-report.ts): the
 * claim of the paper its preset reproduces, the verdict computed from its aggregate, the paper's numbers beside ours,
 * its figures as the paper draws them (ECharts options with their data), its wall time and its sizes. Plain JSON.
 */

/** Our number for a paper's: mean, sd (null with one seed, or the standard error of a fitted ψ) and n. */
export interface OursValue {
  mean: number;
  sd: number | null;
  n: number;
}

/** One of the paper's numbers with ours beside it. */
export interface PaperVsOursRow {
  quantity: string;
  paper: number | string;
  where: string;
  /** Our matching number; null when the claim names none or the aggregate lacks it. */
  ours: OursValue | null;
  /** Ours as text for tables: `mean ± sd (n)`, or "—". */
  oursText: string;
  /** Where ours comes from ("FID, cell random, generation 9"), or why there is none. */
  source: string;
}

export interface StudyReportTiming {
  /** First start of any of its runs and last finish of its completed runs (ISO); null when none has. */
  startedAt: string | null;
  finishedAt: string | null;
  /** finishedAt − startedAt, seconds: the study's wall time (it includes pauses between a cancel and a resume). */
  wallSeconds: number | null;
  /** Sum of the generations' own wall seconds over the completed runs (`seconds` of their metrics lines). */
  computeSeconds: number;
}

export interface StudyReportSizes {
  runs: number;
  completedRuns: number;
  cells: number;
  seeds: number[];
  /** The most generations of any run. */
  generations: number;
  fieldPaths: string[];
  /** Mean over the runs' last lines of the bookkeeping counts they record (candidates N, kept n, training size, …). */
  perGeneration: Record<string, number>;
}

export interface StudyReport {
  studyId: string;
  name: string;
  description?: string;
  /** The preset the study was started from; null for a study file of one's own. */
  preset: string | null;
  state: StudyState;
  progress: StudyProgress;
  claim: PaperClaim | null;
  /** The preset's verdict on the aggregate ('pending' while runs are unfinished); null without a preset verdict. */
  verdict: StudyVerdict | null;
  paperVsOurs: PaperVsOursRow[];
  figures: StudyFigure[];
  timing: StudyReportTiming;
  sizes: StudyReportSizes;
}
