/**
 * What a built-in study reproduces: the paper's claim, the paper's own numbers, the figures to draw as the paper draws
 * them, and the verdict computed from our data. Plain data (the renderer and the report read it); the verdict function
 * itself lives with the study preset (main/presets/studies/<name>.ts) and is run by the engine.
 */

/** One number (or short text) the paper reports, with where it says it. */
export interface PaperFigure {
  /** What is measured, in the paper's words: "FID at generation 10, Scheme II". */
  quantity: string;
  /** The paper's value: a number, or a text when the paper gives a range or a qualitative result ("≈ 0.5", "collapses"). */
  paper: number | string;
  /** "Table 2", "Fig. 3", "Theorem 1". */
  where: string;
  /**
   * Our matching number: the metric key (main/contract/metric-catalog.ts) in the cell whose axis values are `cell`
   * (config path → value), at `generation` ('last' = each run's last line). Absent when no number of ours matches.
   * `cell` may be left out when the study has one cell. `metric: 'psi:<metric>'` is ψ of the cell's power-law fit of
   * that metric (e.g. `psi:modelVarianceTrace`): the seeds' mean ± sd, or the mean series' fit ± its standard error
   * (main/studies/study-report.ts lookupOurs).
   */
  ours?: { metric: string; cell?: Record<string, unknown>; generation?: number | 'last' };
}

/** The paper a study reproduces, its claim and its numbers. */
export interface PaperClaim {
  /** The seed text's number and short title: "000 — Selection bias on data islands". */
  paper: string;
  /** The claim in one or two sentences, as a reviewer would state it. */
  statement: string;
  figures: PaperFigure[];
  /** The paper's own setting when ours is smaller (e.g. needs a GPU), stated so that a user can run it. */
  paperSetting?: string;
}

/** One check the verdict makes, with the numbers it compared. */
export interface VerdictCheck {
  label: string;
  /** Our value (null when the data lacks it). */
  ours: number | null;
  /** What it was compared with: a number (the paper's, another cell's) or a threshold, as text or number. */
  against?: number | string;
  pass: boolean;
}

/**
 * Whether the claim is reproduced at this size, computed from the study's aggregate (never a fixed text):
 * 'yes' all checks pass; 'partly' some do; 'no' none do; 'pending' the data is not there yet (runs unfinished).
 */
export interface StudyVerdict {
  reproduced: 'yes' | 'partly' | 'no' | 'pending';
  /** One or two plain sentences, built from the checks' numbers. */
  summary: string;
  checks: VerdictCheck[];
}

/** The figures a study draws, each as its paper draws it. Built into ECharts options by main/contract/study-figures.ts. */
export type StudyFigureSpec =
  /** log-log Tr(Σ) of the fitted model against generation, per cell, with the ψ fit line. */
  | { kind: 'loglog-trace'; title: string; metric: string }
  /** A metric against a config field (e.g. TV distance against the synthetic amount), one line per other-axis value. */
  | { kind: 'metric-vs-field'; title: string; metric: string; field: string; generation?: number | 'last' }
  /** Class histogram of the kept samples over generations (stacked), one panel per cell. */
  | { kind: 'class-histogram'; title: string }
  /** A metric against generation, one line per cell (mean ± sd band), optionally with a closed-form reference line. */
  | { kind: 'metric-vs-generation'; title: string; metric: string; logY?: boolean; reference?: { label: string; metric: string } }
  /** Hermite mode energies against generation (the low-pass picture), one panel per cell. */
  | { kind: 'mode-energies'; title: string };
