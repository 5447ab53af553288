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
   * `cell` may be left out when the study has one cell. ψ of the cell's power-law fit of a metric over the study's
   * window (main/shared/psi.ts) is `psi-per-seed:<metric>` (the seeds' own fits, mean ± sd) or `psi-of-mean:<metric>`
   * (the fit of the cell's mean series ± its standard error), e.g. `psi-per-seed:modelVarianceTrace`
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

/** Where a check's reference number comes from. */
export type VerdictReferenceKind =
  /** a number the paper states */
  | 'paper'
  /** a closed form (a theorem's bound, an exact recursion) */
  | 'closed-form'
  /** an independent NumPy/SciPy re-run of the paper's description, committed as a fixture beside its script */
  | 'rerun'
  /** another cell of the same study (a comparison) */
  | 'cell';

/**
 * One check the verdict makes, stated so that it can fail: the quantity, the reference it is compared with (and where
 * that comes from), and the tolerance with how it was derived from the reference's standard error at the study's own
 * seed count (on a log scale where the quantity spans decades). A comparison also carries its power: when it does not
 * pass and could not have been expected to at this seed count, it is 'inconclusive', with the seeds it would need.
 */
export interface VerdictCheck {
  label: string;
  /** What is measured, with its definition: "ψ per seed of Tr(Σ̄), t ∈ [10, 100], mean over 3 seeds". */
  quantity: string;
  reference: { kind: VerdictReferenceKind; text: string };
  /** Our value (null when the data lacks it). */
  ours: number | null;
  /** What it was compared with: the reference's number, or a threshold as text. */
  against?: number | string;
  /** The tolerance and its derivation: "3 s.e. = 0.21 (re-run sd 0.16 over 20 seeds, ours over 3)". */
  tolerance: string;
  /** 'log' when compared as logarithms (the quantity spans decades). */
  scale: 'linear' | 'log';
  /**
   * 'claim': the paper's claim itself (a failure makes the verdict 'no'); 'number': one of the numbers beside the claim,
   * such as a re-run's value (a failure makes it 'partly').
   */
  role: 'claim' | 'number';
  pass: boolean;
  /** 'inconclusive': a comparison that did not pass at a power below 80 % for the effect it tests. */
  outcome: 'pass' | 'fail' | 'inconclusive';
  /** A comparison's power for the effect it tests, at the study's seeds, and the seeds that would give 80 %. */
  power?: { effect: number; power: number; seeds: number; seedsNeeded: number | null; text: string };
}

/**
 * Whether the claim is reproduced at this size, computed from the study's aggregate (never a fixed text): 'pending'
 * the data is not there yet (runs unfinished); 'no' a check of the claim fails; 'inconclusive' none fails but one lacks
 * the power to decide (its text says how many seeds would); 'partly' the claim's checks pass but a number beside it
 * does not; 'yes' every check passes.
 */
export interface StudyVerdict {
  reproduced: 'yes' | 'partly' | 'inconclusive' | 'no' | 'pending';
  /** One or two plain sentences, built from the checks' numbers. */
  summary: string;
  checks: VerdictCheck[];
}

/** The figures a study draws, each as its paper draws it. Built into ECharts options by main/contract/study-figures.ts. */
export type StudyFigureSpec =
  /** log-log Tr(Σ) of the fitted model against generation, per cell, with the ψ fit line. */
  | { kind: 'loglog-trace'; title: string; metric: string }
  /** A metric against a config field (e.g. TV distance against the synthetic amount), one line per other-axis value. */
  | {
      kind: 'metric-vs-field';
      title: string;
      metric: string;
      field: string;
      generation?: number | 'last';
      /** Logarithmic axes (the quantity and the field span decades). */
      logX?: boolean;
      logY?: boolean;
      /** Axis paths that vary together with the field (a zip: n and the samples kept per generation), not lines of their own. */
      withField?: string[];
      /** The axis paths whose values name the lines (default: every axis but the field and withField). */
      legendPaths?: string[];
      /** A value of the field marked by a vertical line (a theorem's threshold), with its label. */
      marker?: { label: string; value: number | string };
    }
  /** Class histogram of the kept samples over generations (stacked), one panel per cell. */
  | { kind: 'class-histogram'; title: string }
  /** A metric against generation, one line per cell (mean ± sd band), optionally with a closed-form reference line. */
  | {
      kind: 'metric-vs-generation';
      title: string;
      metric: string;
      logY?: boolean;
      reference?: { label: string; metric: string };
      /** A closed-form bound drawn as a constant line (a theorem's limit). */
      bound?: { label: string; value: number };
      /** The axis paths whose values name the cells' lines (default: every axis). */
      legendPaths?: string[];
    }
  /** Hermite mode energies against generation (the low-pass picture), one panel per cell. */
  | { kind: 'mode-energies'; title: string };
