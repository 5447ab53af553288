import type { PaperClaim, StudyFigureSpec, StudyVerdict, VerdictCheck } from '../../contract/paper-claim';
import type { StudyAggregate } from '../../contract/study-aggregate';
import { COLLAPSE_OR_THRIVE_RERUN, COLLAPSE_OR_THRIVE_RERUN_SEEDS, type RerunStat } from './collapse-or-thrive-rerun';
import type { StudyPreset } from './index';
import { cellComparison, cellWith, fmt, matchCheck, statAt, verdictFrom } from './verdict-helpers';

/**
 * Collapse-or-Thrive (Kazdan, Schaeffer et al., arXiv 2410.16713), its Gaussian experiment: a Gaussian fitted by maximum
 * likelihood for 100 model iterations, d ∈ {1, 3, 10, 31, 100} × n ∈ {10, 32, 100, 316, 1000} × paradigms {replace,
 * accumulate, accumulate-subsample}, 100 seeds (7,500 runs), or 10 seeds (the quick version). Metrics as the paper's:
 * the squared error of the fitted mean ‖μ̂_t − μ‖², and the determinant (as its logarithm, log det Σ̂_t) and trace of
 * the fitted covariance. The verdict's tolerances come from an independent numpy re-run of the paper's description
 * (test/fixtures/studies/simulate_collapse_or_thrive_gaussians.py, 100 seeds), made before our runs.
 */

export const DIMS = [1, 3, 10, 31, 100] as const;
export const SIZES = [10, 32, 100, 316, 1000] as const;
export const PARADIGMS = ['replace', 'accumulate', 'accumulate-subsample'] as const;
const GENERATIONS = 100;
const LAST = 99 as const;
/** The n of the claim's checks (the paper's figures show every n; the middle one carries the claim here). */
const CLAIM_N = 100;
/** Number checks over 75 cells: 3.5 s.e. keeps the chance of one failing by chance near 5 % for the whole grid. */
const GRID_Z = 3.5;

const DIM = 'dataset.dim';
const N = 'dataset.trainSize';
const KEEP = 'loop.keep';
const PARADIGM = 'loop.paradigm';

const RERUN_TEXT = `numpy re-run of the description, ${COLLAPSE_OR_THRIVE_RERUN_SEEDS} seeds (test/fixtures/studies/simulate_collapse_or_thrive_gaussians.py)`;

type Paradigm = (typeof PARADIGMS)[number];
const ref = (d: number, n: number, p: Paradigm) => COLLAPSE_OR_THRIVE_RERUN[`d=${d} n=${n} ${p}`];
const logRatio = (a: RerunStat, b: RerunStat) => Math.log(a.mean / b.mean);
/** The iterations the claim compares (0-based generations the re-run recorded). */
type Iteration = 1 | typeof LAST;

function verdictOf(aggregate: StudyAggregate): StudyVerdict {
  const cell = (d: number, n: number, p: Paradigm) => cellWith(aggregate, { [DIM]: d, [N]: n, [PARADIGM]: p });
  const mse = (d: number, n: number, p: Paradigm, g: number) => statAt(cell(d, n, p), 'modelMeanSqError', g);
  const checks: VerdictCheck[] = [];
  for (const d of DIMS) {
    const n = CLAIM_N;
    const at = `d = ${d}, n = ${n}`;
    const r = (p: Paradigm, g: Iteration) => ref(d, n, p).meanSqError[g];
    /** ‖μ̂ − μ‖² of paradigm p at iteration g against q's at h (log), with the re-run's ratio as the effect. */
    const versus = (label: string, p: Paradigm, g: Iteration, direction: 'above' | 'below', q: Paradigm, h: Iteration, text: string) =>
      cellComparison({
        label: `${at}: ${label}`,
        quantity: `‖μ̂_t − μ‖² of the fitted mean at iteration ${g + 1}, ${p}, ${at} (log)`,
        ours: mse(d, n, p, g),
        versus: { text, stat: mse(d, n, q, h) },
        direction,
        scale: 'log',
        effect: logRatio(r(p, g), r(q, h)),
        effectText: p === q ? 'the re-run’s growth' : 'the re-run’s ratio',
      });
    checks.push(
      versus(
        'replace diverges (‖μ̂ − μ‖² grows from iteration 1 to 100)',
        'replace',
        LAST,
        'above',
        'replace',
        1,
        'the same cell at iteration 1',
      ),
      versus(
        'accumulate stays bounded (far below replace at iteration 100)',
        'accumulate',
        LAST,
        'below',
        'replace',
        LAST,
        'replace, same d and n',
      ),
      versus(
        'accumulate-subsample degrades (above accumulate at iteration 100)',
        'accumulate-subsample',
        LAST,
        'above',
        'accumulate',
        LAST,
        'accumulate, same d and n',
      ),
      versus('… slowly (below replace at iteration 100)', 'accumulate-subsample', LAST, 'below', 'replace', LAST, 'replace, same d and n'),
    );
  }
  for (const d of DIMS) {
    for (const n of SIZES) {
      for (const p of PARADIGMS) {
        const rr = ref(d, n, p);
        const c = cell(d, n, p);
        const at = `d = ${d}, n = ${n}, ${p}`;
        checks.push(
          matchCheck({
            label: `${at}: ‖μ̂ − μ‖² at iteration 100 matches the re-run`,
            quantity: `‖μ̂_t − μ‖² at iteration 100, ${at}, mean over the seeds (log)`,
            ours: statAt(c, 'modelMeanSqError', LAST),
            reference: { kind: 'rerun', text: RERUN_TEXT, ...rr.meanSqError[LAST], n: COLLAPSE_OR_THRIVE_RERUN_SEEDS },
            scale: 'log',
            z: GRID_Z,
          }),
          matchCheck({
            label: `${at}: log det Σ̂ at iteration 100 matches the re-run`,
            quantity: `log det of the fitted covariance at iteration 100, ${at}, mean over the seeds`,
            ours: statAt(c, 'modelCovarianceLogDet', LAST),
            reference: { kind: 'rerun', text: RERUN_TEXT, ...rr.logDet[LAST], n: COLLAPSE_OR_THRIVE_RERUN_SEEDS },
            z: GRID_Z,
          }),
        );
      }
    }
  }
  const m = (p: Paradigm) => fmt(statAt(cell(10, CLAIM_N, p), 'modelMeanSqError', LAST)?.mean);
  const rm = (p: Paradigm) => fmt(ref(10, CLAIM_N, p).meanSqError[LAST].mean);
  return verdictFrom(
    checks,
    `At d = 10, n = ${CLAIM_N}, iteration 100, ‖μ̂ − μ‖²: replace ${m('replace')}, accumulate ${m('accumulate')}, ` +
      `accumulate-subsample ${m('accumulate-subsample')} (re-run ${rm('replace')} / ${rm('accumulate')} / ${rm('accumulate-subsample')}).`,
  );
}

/** The verdict: exported for the tests. */
export const collapseOrThriveGaussiansVerdict = verdictOf;

const claim: PaperClaim = {
  paper:
    'Collapse or Thrive? Perils and promises of synthetic data in a self-generating world (Kazdan, Schaeffer et al., arXiv 2410.16713)',
  statement:
    'Fitting Gaussians to their own samples, replacing the data each iteration makes the fitted mean wander without bound and ' +
    'the covariance collapse (its determinant to 0); accumulating all data keeps the error bounded; accumulating but ' +
    'training on a fixed-size subsample (accumulate-subsample) degrades, but slowly — between the two.',
  figures: [
    ...PARADIGMS.map((p) => ({
      quantity: `‖μ̂ − μ‖² at iteration 100, d = 10, n = 100, ${p}`,
      paper: ref(10, 100, p).meanSqError[LAST].mean,
      where: 'numpy re-run of the paper’s description (Fig. 2’s setting), 100 seeds',
      ours: { metric: 'modelMeanSqError', cell: { [DIM]: 10, [N]: 100, [PARADIGM]: p }, generation: LAST },
    })),
    ...PARADIGMS.map((p) => ({
      quantity: `log det Σ̂ at iteration 100, d = 10, n = 100, ${p}`,
      paper: ref(10, 100, p).logDet[LAST].mean,
      where: 'numpy re-run of the paper’s description, 100 seeds',
      ours: { metric: 'modelCovarianceLogDet', cell: { [DIM]: 10, [N]: 100, [PARADIGM]: p }, generation: LAST },
    })),
    { quantity: 'replace', paper: 'squared error of the mean grows, covariance collapses', where: 'Fig. 2 (Gaussians)' },
    { quantity: 'accumulate', paper: 'error bounded', where: 'Fig. 2' },
    { quantity: 'accumulate-subsample', paper: 'degrades, more slowly than replace', where: 'Fig. 2' },
  ],
  paperSetting:
    'This is the paper’s grid: d ∈ {1, 3, 10, 31, 100} × n ∈ {10, 32, 100, 316, 1000} × 3 paradigms × 100 seeds, 100 iterations ' +
    '(7,500 runs). Its Gaussians are fitted by maximum likelihood; a ridge of 1e-6 makes n < d fits samplable here and in the re-run.',
};

const figures: StudyFigureSpec[] = [
  {
    kind: 'metric-vs-generation',
    title: '‖μ̂ − μ‖² of the fitted mean by iteration, per (d, n) and paradigm',
    metric: 'modelMeanSqError',
    logY: true,
  },
  { kind: 'metric-vs-generation', title: 'Tr(Σ̂) of the fitted covariance by iteration', metric: 'modelVarianceTrace', logY: true },
  { kind: 'metric-vs-generation', title: 'log det Σ̂ of the fitted covariance by iteration', metric: 'modelCovarianceLogDet' },
  {
    kind: 'metric-vs-field',
    title: '‖μ̂ − μ‖² at iteration 100 against n, a line per d and paradigm',
    metric: 'modelMeanSqError',
    field: N,
    withField: [KEEP],
    logX: true,
    logY: true,
  },
];

function gridStudy(name: string, seeds: number) {
  return {
    name,
    description:
      'Collapse-or-Thrive’s Gaussians: ML Gaussian fits for 100 iterations, d × n × {replace, accumulate, accumulate-subsample}, ' +
      `${seeds} seeds; ‖μ̂ − μ‖², Tr Σ̂ and log det Σ̂ of each iteration’s fit.`,
    base: {
      dataset: { kind: 'gaussian', dim: 10, trainSize: 100, testSize: 100, truth: 'generating' },
      islands: { count: 1, split: 'iid' },
      model: { kind: 'gaussian', params: { ridge: 1e-6 } },
      loop: { generations: GENERATIONS, paradigm: 'replace', keep: 100, ratio: 1 },
      selection: { scheme: 'none' },
      metrics: { downstream: false, maxSamples: 100 },
      gridSamples: 1,
    },
    axes: [
      { path: DIM, values: [...DIMS] },
      {
        zip: [
          { path: N, values: [...SIZES] },
          { path: KEEP, values: [...SIZES] },
        ],
      },
      { path: PARADIGM, values: [...PARADIGMS] },
    ],
    seeds,
    storage: 'metrics',
    metrics: ['modelMeanSqError', 'modelVarianceTrace', 'modelCovarianceLogDet'],
  };
}

export const collapseOrThriveGaussians: StudyPreset = {
  name: 'collapse-or-thrive-gaussians',
  description:
    'Collapse-or-Thrive (arXiv 2410.16713), its Gaussians: d ∈ {1, 3, 10, 31, 100} × n ∈ {10, 32, 100, 316, 1000} × replace / ' +
    'accumulate / accumulate-subsample × 100 seeds, 100 iterations (7,500 runs); the squared error of the fitted mean and the ' +
    'determinant and trace of the fitted covariance, against a 100-seed numpy re-run.',
  expectedMinutes: 7500 * 0.1,
  study: gridStudy('collapse-or-thrive-gaussians', 100),
  claim,
  figures,
  verdict: verdictOf,
};

export const collapseOrThriveGaussiansQuick: StudyPreset = {
  name: 'collapse-or-thrive-gaussians-quick',
  description:
    'The Collapse-or-Thrive Gaussian grid with 10 seeds (750 runs): the same claim and checks; where 10 seeds cannot resolve a ' +
    'comparison, the verdict says inconclusive and how many seeds it would need.',
  expectedMinutes: 750 * 0.1,
  study: gridStudy('collapse-or-thrive-gaussians-quick', 10),
  claim,
  figures,
  verdict: verdictOf,
};
