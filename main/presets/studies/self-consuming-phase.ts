import type { StudyVerdict } from '../../contract/paper-claim';
import type { StudyAggregate, StudyCellAggregate } from '../../contract/study-aggregate';
import type { StudyPreset } from './index';
import { check, fmt, meanOver, verdictFrom } from './verdict-helpers';

/**
 * Seed 004 (self-consuming generative models, Fu et al., ICML 2024): with a fixed real set of n samples and m synthetic
 * samples of the previous generation in every later training set (mixed training, real fraction n/(n + m)), the TV
 * distance of the generated distribution to the real one first rises as m grows (more of the previous generation's
 * error is carried over, with weight m/(n + m)) and then falls beyond a threshold (the estimation error of n + m
 * samples shrinks, so each generation adds little). Here: the maximum-likelihood Gaussian in two dimensions (the
 * parametric model where both effects are closed-form), n = 100 real samples, 8 generations, m/n from 0 to 256, TV of
 * the fitted density to the declared truth on a grid. The verdict reads tvToTruthRise (TV minus the same run's
 * generation-0 TV, so paired over the real sample) averaged over generations 4–7.
 */

const AMOUNTS = [0, 1, 4, 16, 64, 256];
const REAL = 100;
const GENERATIONS = 8;
/** The later generations, where the carried-over error has built up: the verdict averages over them. */
const FROM = 4;
const FIELD = 'loop.syntheticPerReal';

/** Mean over generations FROM … last of the per-generation means, and an upper bound of its standard error. */
function lateStat(cell: StudyCellAggregate | undefined, metric: string): { mean: number | null; se: number | null } {
  const mean = meanOver(cell, metric, FROM, GENERATIONS - 1);
  if (!cell || mean === null) return { mean: null, se: null };
  // the standard error of an average of correlated means is at most the average of their standard errors
  let se = 0;
  for (let g = FROM; g < GENERATIONS; g++) {
    const s = cell.generations.find((x) => x.generation === g)?.metrics[metric];
    if (!s || s.sd === null) return { mean, se: null };
    se += s.sd / Math.sqrt(s.n);
  }
  return { mean, se: se / (GENERATIONS - FROM) };
}

/** Whether TV rises then falls with m/n, from the aggregate (exported for the tests). */
export function selfConsumingPhaseVerdict(aggregate: StudyAggregate): StudyVerdict {
  const cells = AMOUNTS.map((a) => aggregate.cells.find((c) => c.fields[FIELD] === a));
  const rise = cells.map((c) => lateStat(c, 'tvToTruthRise'));
  const tv = cells.map((c) => lateStat(c, 'tvToTruth'));
  // the peak: the interior amount with the largest rise
  let peak = 1;
  for (let i = 2; i < AMOUNTS.length - 1; i++) if ((rise[i].mean ?? -Infinity) > (rise[peak].mean ?? -Infinity)) peak = i;
  const last = AMOUNTS.length - 1;
  const p = rise[peak];
  const e = rise[last];
  const fallSe = p.se !== null && e.se !== null ? Math.hypot(p.se, e.se) : null;
  const fall = p.mean !== null && e.mean !== null ? p.mean - e.mean : null;
  let argmax = 0;
  tv.forEach((t, i) => {
    if ((t.mean ?? -Infinity) > (tv[argmax].mean ?? -Infinity)) argmax = i;
  });
  const checks = [
    check(
      `TV rises with synthetic data: TV − generation-0 TV at m/n = ${AMOUNTS[peak]} (generations ${FROM}–${GENERATIONS - 1}) above 2 s.e.`,
      p.mean,
      p.se === null ? 'its s.e.' : `2 × ${fmt(p.se)}`,
      (v) => v > 2 * p.se!,
      p.se,
    ),
    check(
      `then falls: that rise minus the rise at m/n = ${AMOUNTS[last]} above 2 s.e.`,
      fall,
      fallSe === null ? 'the combined s.e.' : `2 × ${fmt(fallSe)}`,
      (v) => v > 2 * fallSe!,
      fallSe,
    ),
    check(
      `the mean TV to the truth peaks at an interior amount (m/n = ${AMOUNTS[argmax]}), not at m/n = ${AMOUNTS[0]} or ${AMOUNTS[last]}`,
      tv[argmax].mean,
      `TV at m/n = ${AMOUNTS[0]}: ${fmt(tv[0].mean)}, at ${AMOUNTS[last]}: ${fmt(tv[last].mean)}`,
      () => argmax !== 0 && argmax !== last,
      ...tv.map((t) => t.mean),
    ),
  ];
  return verdictFrom(
    checks,
    `Mean TV to the truth over generations ${FROM}–${GENERATIONS - 1} by m/n: ` +
      AMOUNTS.map((a, i) => `${a}: ${fmt(tv[i].mean)}`).join(', ') +
      '.',
  );
}

export const selfConsumingPhase: StudyPreset = {
  name: 'self-consuming-phase',
  description:
    'Seed 004’s phase transition: mixed training (all 100 real samples plus m/n times as many synthetic samples of the ' +
    'previous generation), ML Gaussian in 2-D, 8 generations, m/n = 0 … 256, 6 seeds. TV of each generation’s fitted ' +
    'density to the declared truth (grid quadrature with its error estimate) rises, then falls, as m/n grows.',
  expectedMinutes: 36 * 0.5,
  study: {
    name: 'self-consuming-phase',
    description:
      'Claim (seed 004): the TV distance between the self-consuming loop’s distribution and the real one first rises and then ' +
      'falls as the amount of synthetic data per generation grows (a phase transition); it stays controlled when the real ' +
      'proportion is large. Ours: Gaussian MLE, d = 2, n = 100, tvToTruth against loop.syntheticPerReal.',
    base: {
      dataset: {
        kind: 'gaussian',
        dim: 2,
        cov: [
          [1, 0.5],
          [0.5, 1],
        ],
        trainSize: REAL,
        testSize: 1000,
        truth: 'generating',
      },
      islands: { count: 1, split: 'iid' },
      model: { kind: 'gaussian', params: {} },
      // every generation draws enough for the largest amount, so each cell's synthetic rows are fresh model draws
      loop: { generations: GENERATIONS, paradigm: 'mixed:1', keep: REAL * AMOUNTS[AMOUNTS.length - 1], ratio: 1, syntheticPerReal: 0 },
      selection: { scheme: 'none' },
      metrics: { downstream: false, maxSamples: 300 },
      gridSamples: 16,
    },
    axes: [{ path: FIELD, values: AMOUNTS }],
    seeds: 6,
  },
  claim: {
    paper: '004 — Towards theoretical understandings of self-consuming generative models',
    statement:
      'Trained on mixtures of real data and their own samples, generative models stay within a TV distance of the real ' +
      'distribution that is controlled when the mixed training sets or the real proportions are large enough; as the amount ' +
      'of synthetic data grows, this TV distance first rises and then declines beyond a threshold (a phase transition).',
    figures: [
      {
        quantity: 'TV to the real distribution against the amount of synthetic data',
        paper: 'rises, then falls beyond a threshold (abstract; no numbers in the seed text)',
        where: 'abstract, phase-transition theorem',
        ours: { metric: 'tvToTruth', generation: 'last' },
      },
      {
        quantity: 'TV added by the loop (TV − generation-0 TV) with no synthetic data',
        paper: 'controlled when the real proportion is large',
        where: 'abstract',
        ours: { metric: 'tvToTruthRise', cell: { [FIELD]: 0 }, generation: 'last' },
      },
    ],
    paperSetting:
      'The paper analyses diffusion models with a one-hidden-layer score network (and kernel density estimation) under mixed ' +
      'training; its theorems bound TV for any real size n and synthetic amounts m_i. Ours is the parametric case with closed-form ' +
      'densities: set model.kind to kde or gmm (both have a density) to run the same sweep with those models.',
  },
  figures: [
    {
      kind: 'metric-vs-field',
      title: 'TV to the truth against the synthetic amount m/n (last generation)',
      metric: 'tvToTruth',
      field: FIELD,
    },
    { kind: 'metric-vs-field', title: 'TV added by the loop (TV − generation 0) against m/n', metric: 'tvToTruthRise', field: FIELD },
    { kind: 'metric-vs-generation', title: 'TV to the truth by generation', metric: 'tvToTruth' },
  ],
  verdict: selfConsumingPhaseVerdict,
};
