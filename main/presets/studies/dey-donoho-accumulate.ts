import type { PaperClaim, StudyFigureSpec, StudyVerdict } from '../../contract/paper-claim';
import type { StudyAggregate } from '../../contract/study-aggregate';
import type { StudyPreset } from './index';
import { boundCheck, cellWith, compareCheck, fmt, matchCheck, statAt, verdictFrom } from './verdict-helpers';

/**
 * Dey & Donoho (arXiv 2410.22812), for the Gaussian location family: refitting by maximum likelihood on all the data so
 * far (accumulate), the estimate's efficiency relative to training on the real data alone,
 * E‖x̄_real − μ‖² / E‖μ̂_t − μ‖² = (d/n) / E‖μ̂_t − μ‖², stays at or above 6/π² ≈ 0.608 for every t (the error is at most
 * (π²/6)·d/n); under replace it falls without bound (like 1/t). d = 10, n = 100, 100 generations, 40 seeds (the bound check's 80 % power needs about 34).
 */

const D = 10;
const N = 100;
const GENERATIONS = 100;
const LAST = GENERATIONS - 1;
const PARADIGM = 'loop.paradigm';
/** (π²/6)·d/n: the largest E‖μ̂_t − μ‖² under accumulate, i.e. efficiency 6/π². */
export const DEY_DONOHO_BOUND = ((Math.PI * Math.PI) / 6) * (D / N);

/**
 * The independent numpy re-run (test/fixtures/studies/simulate_dey_donoho.py, 200 seeds, dey_donoho_simulation.json;
 * the preset's test holds these copies to it): mean and sd over seeds of ‖μ̂_t − μ‖² at generations 9 and 99.
 */
export const DEY_DONOHO_RERUN = {
  accumulate: { 9: { mean: 0.1555, sd: 0.07184 }, 99: { mean: 0.1637, sd: 0.0733 } },
  replace: { 9: { mean: 0.9649, sd: 0.5084 }, 99: { mean: 7.002, sd: 9.706 } },
} as const;
const RERUN_SEEDS = 200;
const RERUN_TEXT = 'numpy re-run of the description, 200 seeds (test/fixtures/studies/simulate_dey_donoho.py)';

export function deyDonohoVerdict(aggregate: StudyAggregate): StudyVerdict {
  const cell = (p: string) => cellWith(aggregate, { [PARADIGM]: p });
  const mse = (p: string, g: number) => statAt(cell(p), 'modelMeanSqError', g);
  const bound = { text: `(π²/6)·d/n = ${fmt(DEY_DONOHO_BOUND)}: efficiency 6/π² ≈ 0.608 (Dey & Donoho)`, value: DEY_DONOHO_BOUND };
  const checks = [
    boundCheck({
      label: 'accumulate: efficiency at generation 100 stays at or above 6/π²',
      quantity: '‖μ̂_t − μ‖² of the fitted mean at generation 100, accumulate (log)',
      ours: mse('accumulate', LAST),
      bound,
      side: 'upper',
      scale: 'log',
      effect: Math.log(1.25),
      effectText: 'an error 25 % above the bound (efficiency 0.49)',
    }),
    compareCheck({
      label: 'replace: efficiency at generation 100 falls far below 6/π²',
      quantity: '‖μ̂_t − μ‖² at generation 100, replace (log)',
      ours: mse('replace', LAST),
      reference: { kind: 'closed-form', text: bound.text, stat: DEY_DONOHO_BOUND },
      direction: 'above',
      scale: 'log',
      factor: 4,
      effect: Math.log(DEY_DONOHO_RERUN.replace[99].mean / DEY_DONOHO_BOUND / 4),
      effectText: 'the re-run’s error (efficiency 0.014)',
    }),
    compareCheck({
      label: 'replace keeps falling: its error at generation 100 above its error at generation 10',
      quantity: '‖μ̂_t − μ‖² at generation 100 against generation 10, replace (log)',
      ours: mse('replace', LAST),
      reference: { kind: 'cell', text: 'the same cell at generation 10', stat: mse('replace', 9) },
      direction: 'above',
      scale: 'log',
      effect: Math.log(DEY_DONOHO_RERUN.replace[99].mean / DEY_DONOHO_RERUN.replace[9].mean),
      effectText: 'the re-run’s growth',
    }),
    ...(['accumulate', 'replace'] as const).flatMap((p) =>
      ([9, 99] as const).map((g) =>
        matchCheck({
          label: `${p}: ‖μ̂ − μ‖² at generation ${g + 1} matches the re-run`,
          quantity: `‖μ̂_t − μ‖² at generation ${g + 1}, ${p}, mean over the seeds (log)`,
          ours: mse(p, g),
          reference: { kind: 'rerun', text: RERUN_TEXT, ...DEY_DONOHO_RERUN[p][g], n: RERUN_SEEDS },
          scale: 'log',
        }),
      ),
    ),
  ];
  const eff = (p: string) => {
    const m = mse(p, LAST)?.mean;
    return m === undefined ? null : D / N / m;
  };
  return verdictFrom(
    checks,
    `Efficiency (d/n)/E‖μ̂ − μ‖² at generation 100: accumulate ${fmt(eff('accumulate'))}, replace ${fmt(eff('replace'))} ` +
      `(bound 6/π² = ${fmt(6 / Math.PI ** 2)}; re-run ${fmt(D / N / DEY_DONOHO_RERUN.accumulate[99].mean)} / ` +
      `${fmt(D / N / DEY_DONOHO_RERUN.replace[99].mean)}).`,
  );
}

const claim: PaperClaim = {
  paper: 'Dey & Donoho, “Universality of the π²/6 pathway in avoiding model collapse” (arXiv 2410.22812)',
  statement:
    'Under accumulate, refitting on real plus all earlier synthetic data, the efficiency relative to real-only training stays ' +
    'at or above 6/π² ≈ 0.607 for every generation (exponential-family maximum-likelihood fits; here the Gaussian mean); ' +
    'under replace it falls without bound.',
  figures: [
    {
      quantity: 'Efficiency under accumulate, every generation',
      paper: '≥ 6/π² ≈ 0.608',
      where: 'main theorem',
    },
    {
      quantity: '‖μ̂ − μ‖² at generation 100, accumulate',
      paper: DEY_DONOHO_RERUN.accumulate[99].mean,
      where: `numpy re-run (bound (π²/6)·d/n = ${fmt(DEY_DONOHO_BOUND)})`,
      ours: { metric: 'modelMeanSqError', cell: { [PARADIGM]: 'accumulate' }, generation: LAST },
    },
    {
      quantity: '‖μ̂ − μ‖² at generation 100, replace',
      paper: DEY_DONOHO_RERUN.replace[99].mean,
      where: 'numpy re-run (replace: efficiency → 0)',
      ours: { metric: 'modelMeanSqError', cell: { [PARADIGM]: 'replace' }, generation: LAST },
    },
  ],
  paperSetting:
    'The theorem holds for any d and n and for exponential families in general; this study is the Gaussian mean at d = 10, n = 100.',
};

const figures: StudyFigureSpec[] = [
  {
    kind: 'metric-vs-generation',
    title: '‖μ̂ − μ‖² by generation, with accumulate’s bound (π²/6)·d/n',
    metric: 'modelMeanSqError',
    logY: true,
    bound: { label: '(π²/6)·d/n (efficiency 6/π²)', value: DEY_DONOHO_BOUND },
  },
  { kind: 'metric-vs-generation', title: 'log det Σ̂ of the fitted covariance by generation', metric: 'modelCovarianceLogDet' },
];

export const deyDonohoAccumulate: StudyPreset = {
  name: 'dey-donoho-accumulate',
  description:
    'Dey & Donoho (arXiv 2410.22812): the Gaussian fitted by maximum likelihood under replace and accumulate, d = 10, n = 100, ' +
    '100 generations, 40 seeds; the squared error of the fitted mean against accumulate’s bound (π²/6)·d/n (efficiency 6/π²).',
  expectedMinutes: 80 * 0.2,
  study: {
    name: 'dey-donoho-accumulate',
    description:
      'Claim (Dey & Donoho): under accumulate the efficiency relative to real-only training stays ≥ 6/π²; under replace it falls ' +
      'without bound. Gaussian MLE, d = 10, n = 100, 100 generations.',
    base: {
      dataset: { kind: 'gaussian', dim: D, trainSize: N, testSize: 100, truth: 'generating' },
      islands: { count: 1, split: 'iid' },
      model: { kind: 'gaussian', params: { ridge: 1e-6 } },
      loop: { generations: GENERATIONS, paradigm: 'replace', keep: N, ratio: 1 },
      selection: { scheme: 'none' },
      metrics: { downstream: false, maxSamples: 100 },
      gridSamples: 1,
    },
    axes: [{ path: PARADIGM, values: ['replace', 'accumulate'] }],
    seeds: 40,
    storage: 'metrics',
    metrics: ['modelMeanSqError', 'modelVarianceTrace', 'modelCovarianceLogDet'],
  },
  claim,
  figures,
  verdict: deyDonohoVerdict,
};
