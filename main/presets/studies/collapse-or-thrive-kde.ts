import type { PaperClaim, StudyFigureSpec, StudyVerdict, VerdictCheck } from '../../contract/paper-claim';
import type { StudyAggregate } from '../../contract/study-aggregate';
import { COLLAPSE_OR_THRIVE_KDE_RERUN, COLLAPSE_OR_THRIVE_KDE_RERUN_SEEDS } from './collapse-or-thrive-kde-rerun';
import type { StudyPreset } from './index';
import { cellWith, compareCheck, fmt, matchCheck, statAt, verdictFrom } from './verdict-helpers';

/**
 * Collapse-or-Thrive (Kazdan, Schaeffer et al., arXiv 2410.16713), its KDE experiment: a Gaussian KDE with a fixed
 * bandwidth h ∈ {0.1, 0.5, 1.0} refitted on its own samples for 30 model iterations, on scikit-learn's 2-D blobs, moons,
 * circles and swiss roll (x, z), n = 100 per iteration, paradigms {replace, accumulate, accumulate-subsample}. The
 * metric is the paper's: the negative log-likelihood of held-out real test data under each iteration's KDE. The
 * verdict's tolerances come from an independent numpy/scikit-learn re-run of the paper's description
 * (test/fixtures/studies/simulate_collapse_or_thrive_kde.py, 200 seeds), made before our runs.
 */

export const SHAPES = ['blobs', 'moons', 'circles', 'swiss-roll'] as const;
export const BANDWIDTHS = [0.1, 0.5, 1.0] as const;
export const PARADIGMS = ['replace', 'accumulate', 'accumulate-subsample'] as const;
export const GENERATIONS = 30;
const LAST = 29 as const;
const N = 100;
const TEST = 200;
/** Number checks over 36 cells: 3.5 s.e. keeps the chance of one failing by chance near 1 % for the whole grid. */
const GRID_Z = 3.5;

export const SHAPE = 'dataset.shape';
export const BANDWIDTH = 'model.params.bandwidth';
export const PARADIGM = 'loop.paradigm';
const NLL = 'modelTestNll';

const RERUN_TEXT = `numpy/scikit-learn re-run of the description, ${COLLAPSE_OR_THRIVE_KDE_RERUN_SEEDS} seeds (test/fixtures/studies/simulate_collapse_or_thrive_kde.py)`;

type Shape = (typeof SHAPES)[number];
type Paradigm = (typeof PARADIGMS)[number];
/** The re-run's cell: its keys write the bandwidth as Python does (1.0). */
export const kdeRerunOf = (s: Shape, h: number, p: Paradigm) => COLLAPSE_OR_THRIVE_KDE_RERUN[`${s} h=${h.toFixed(1)} ${p}`];

function verdictOf(aggregate: StudyAggregate): StudyVerdict {
  const cell = (s: Shape, h: number, p: Paradigm) => cellWith(aggregate, { [SHAPE]: s, [BANDWIDTH]: h, [PARADIGM]: p });
  const nll = (s: Shape, h: number, p: Paradigm, g: number) => statAt(cell(s, h, p), NLL, g);
  const checks: VerdictCheck[] = [];
  for (const s of SHAPES) {
    for (const h of BANDWIDTHS) {
      const at = `${s}, h = ${h}`;
      // log scale: replace's NLL is heavy-tailed over the seeds (a few runs' supports drift far from the data)
      const r = (p: Paradigm, g: 0 | 1 | 9 | 29) => Math.log(kdeRerunOf(s, h, p)[g].mean);
      checks.push(
        compareCheck({
          label: `${at}: under replace the test NLL grows (iteration 30 above iteration 2)`,
          quantity: `test NLL at iteration 30, replace, ${at} (log)`,
          ours: nll(s, h, 'replace', LAST),
          reference: { kind: 'cell', text: 'the same cell at iteration 2', stat: nll(s, h, 'replace', 1) },
          direction: 'above',
          scale: 'log',
          effect: r('replace', LAST) - r('replace', 1),
          effectText: 'the re-run’s growth (log ratio)',
        }),
        compareCheck({
          label: `${at}: accumulate stays bounded (below replace at iteration 30)`,
          quantity: `test NLL at iteration 30, accumulate, ${at} (log)`,
          ours: nll(s, h, 'accumulate', LAST),
          reference: { kind: 'cell', text: 'replace, same shape and h', stat: nll(s, h, 'replace', LAST) },
          direction: 'below',
          scale: 'log',
          effect: r('replace', LAST) - r('accumulate', LAST),
          effectText: 'the re-run’s log ratio',
        }),
        compareCheck({
          label: `${at}: accumulate-subsample lies below replace at iteration 30`,
          quantity: `test NLL at iteration 30, accumulate-subsample, ${at} (log)`,
          ours: nll(s, h, 'accumulate-subsample', LAST),
          reference: { kind: 'cell', text: 'replace, same shape and h', stat: nll(s, h, 'replace', LAST) },
          direction: 'below',
          scale: 'log',
          effect: r('replace', LAST) - r('accumulate-subsample', LAST),
          effectText: 'the re-run’s log ratio',
        }),
      );
      for (const p of PARADIGMS) {
        for (const g of [9, LAST] as const) {
          checks.push(
            matchCheck({
              label: `${at}, ${p}: the test NLL at iteration ${g + 1} matches the re-run`,
              quantity: `test NLL at iteration ${g + 1}, ${at}, ${p}, mean over the seeds`,
              ours: nll(s, h, p, g),
              reference: { kind: 'rerun', text: RERUN_TEXT, ...kdeRerunOf(s, h, p)[g], n: COLLAPSE_OR_THRIVE_KDE_RERUN_SEEDS },
              z: GRID_Z,
            }),
          );
        }
      }
    }
  }
  const m = (p: Paradigm) => fmt(statAt(cell('moons', 0.1, p), NLL, LAST)?.mean);
  const rm = (p: Paradigm) => fmt(kdeRerunOf('moons', 0.1, p)[LAST].mean);
  return verdictFrom(
    checks,
    `Moons, h = 0.1, iteration 30, test NLL: replace ${m('replace')}, accumulate ${m('accumulate')}, ` +
      `accumulate-subsample ${m('accumulate-subsample')} (re-run ${rm('replace')} / ${rm('accumulate')} / ${rm('accumulate-subsample')}).`,
  );
}

/** The verdict: exported for the tests. */
export const collapseOrThriveKdeVerdict = verdictOf;

const claim: PaperClaim = {
  paper:
    'Collapse or Thrive? Perils and promises of synthetic data in a self-generating world (Kazdan, Schaeffer et al., arXiv 2410.16713)',
  statement:
    'Refitting kernel density estimates to their own samples, replacing the data each iteration makes the negative ' +
    'log-likelihood of real test data grow iteration after iteration; accumulating all data keeps it bounded (it ' +
    'plateaus); accumulate-subsample lies in between.',
  figures: [
    ...PARADIGMS.map((p) => ({
      quantity: `test NLL at iteration 30, moons, h = 0.1, ${p}`,
      paper: kdeRerunOf('moons', 0.1, p)[LAST].mean,
      where: `numpy/scikit-learn re-run of the paper’s description (its KDE figure’s setting), ${COLLAPSE_OR_THRIVE_KDE_RERUN_SEEDS} seeds`,
      ours: { metric: NLL, cell: { [SHAPE]: 'moons', [BANDWIDTH]: 0.1, [PARADIGM]: p }, generation: LAST },
    })),
    ...PARADIGMS.map((p) => ({
      quantity: `test NLL at iteration 30, swiss roll, h = 0.5, ${p}`,
      paper: kdeRerunOf('swiss-roll', 0.5, p)[LAST].mean,
      where: `numpy/scikit-learn re-run of the paper’s description, ${COLLAPSE_OR_THRIVE_KDE_RERUN_SEEDS} seeds`,
      ours: { metric: NLL, cell: { [SHAPE]: 'swiss-roll', [BANDWIDTH]: 0.5, [PARADIGM]: p }, generation: LAST },
    })),
    { quantity: 'replace', paper: 'test NLL grows with the iterations', where: 'KDE figure' },
    { quantity: 'accumulate', paper: 'test NLL bounded (plateaus)', where: 'KDE figure' },
    { quantity: 'accumulate-subsample', paper: 'between replace and accumulate', where: 'KDE figure' },
  ],
  paperSetting:
    `The paper’s datasets and bandwidths: blobs (3 centres (−4, −4), (0, 4), (4, −2), std 1), moons (noise 0.1), circles ` +
    `(noise 0.05, factor 0.5) and swiss roll (noise 0.5, its (x, z) plane) as scikit-learn draws them; a Gaussian KDE ` +
    `with the fixed bandwidth h (kernel N(0, h²I), as sklearn’s KernelDensity); n = ${N} per iteration, ${TEST} real test ` +
    `rows; ${GENERATIONS} iterations (fewer than the paper’s, to keep accumulate’s growing KDE cheap on a CPU).`,
};

const figures: StudyFigureSpec[] = [
  {
    kind: 'metric-vs-generation',
    title: 'Test NLL of real data by iteration, per dataset, bandwidth and paradigm',
    metric: NLL,
  },
  {
    kind: 'metric-vs-field',
    title: 'Test NLL at iteration 30 against the bandwidth, a line per dataset and paradigm',
    metric: NLL,
    field: BANDWIDTH,
    withField: [SHAPE],
  },
];

function gridStudy(name: string, seeds: number) {
  return {
    name,
    description:
      'Collapse-or-Thrive’s KDEs: fixed-bandwidth Gaussian KDEs refitted on their samples for 30 iterations, 2-D blobs / ' +
      `moons / circles / swiss roll × h ∈ {0.1, 0.5, 1.0} × {replace, accumulate, accumulate-subsample}, ${seeds} seeds; ` +
      'the NLL of real test data under each iteration’s KDE.',
    base: {
      dataset: { kind: 'toy-2d', shape: 'moons', trainSize: N, testSize: TEST },
      islands: { count: 1, split: 'iid' },
      model: { kind: 'kde', params: { bandwidth: 0.1, kernel: 'isotropic' } },
      loop: { generations: GENERATIONS, paradigm: 'replace', keep: N, ratio: 1 },
      selection: { scheme: 'none' },
      metrics: { downstream: false, maxSamples: TEST },
      gridSamples: 1,
    },
    axes: [
      { path: SHAPE, values: [...SHAPES] },
      { path: BANDWIDTH, values: [...BANDWIDTHS] },
      { path: PARADIGM, values: [...PARADIGMS] },
    ],
    seeds,
    storage: 'metrics',
    metrics: [NLL],
  };
}

export const collapseOrThriveKde: StudyPreset = {
  name: 'collapse-or-thrive-kde',
  description:
    'Collapse-or-Thrive (arXiv 2410.16713), its KDEs: 2-D blobs / moons / circles / swiss roll × bandwidth 0.1 / 0.5 / 1.0 × ' +
    'replace / accumulate / accumulate-subsample × 20 seeds, 30 iterations (720 runs); the NLL of held-out real data, ' +
    'against a 20-seed numpy/scikit-learn re-run.',
  expectedMinutes: 720 * 0.05,
  study: gridStudy('collapse-or-thrive-kde', 20),
  claim,
  figures,
  verdict: verdictOf,
};

export const collapseOrThriveKdeQuick: StudyPreset = {
  name: 'collapse-or-thrive-kde-quick',
  description:
    'The Collapse-or-Thrive KDE grid with 5 seeds (180 runs): the same claim and checks; where 5 seeds cannot resolve a ' +
    'comparison, the verdict says inconclusive and how many seeds it would need.',
  expectedMinutes: 180 * 0.05,
  study: gridStudy('collapse-or-thrive-kde-quick', 5),
  claim,
  figures,
  verdict: verdictOf,
};
