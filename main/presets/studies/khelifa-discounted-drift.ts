import type { PaperClaim, StudyFigureSpec, StudyVerdict, VerdictCheck } from '../../contract/paper-claim';
import type { MetricStat, StudyAggregate } from '../../contract/study-aggregate';
import type { StudyPreset } from './index';
import { cellWith, compareCheck, fmt, matchCheck, statAt, verdictFrom } from './verdict-helpers';

/**
 * Khelifa, Turner & Venkataramanan, "Error propagation and model collapse in diffusion models: a theoretical study"
 * (ICML 2026, arXiv 2602.16601): each round trains a score-based diffusion model on a share α of fresh data plus
 * 1 − α of the previous model's samples; with a perturbed score, the intra-generation divergence
 * χ²(p̂_{i+1} ‖ q_i) is of the order of the round's score-error energy ε²_i, and the accumulated divergence
 * D_N = χ²(p̂_N ‖ p_data) is a sum of the past energies discounted by (1 − α)^{2m} (fresh data forgets a past error
 * geometrically). Ours: the `diffusion-exact` kind on N(0, I₄) (a one-component Gaussian estimate, n = 1,000,
 * stochastic Heun with 100 steps, T = 5, δ = 0.01) with a gradient score error e_i = ±g·x_i whose signs are drawn afresh
 * per coordinate and generation (independent errors: the regime where the decomposition holds without bias terms);
 * α ∈ {1, 0.5, 0.2} (mixed:α: α·n rows drawn afresh from the fixed real set, the paper's fresh samples in the limit of
 * a large real set) × g ∈ {0, 0.04, 0.08}, 10 generations, 8 seeds. Each generation records D_t (klGaussian: KL
 * between moment-matched Gaussians; the paper's χ² is about twice it for small drifts and infinite once a variance
 * passes twice the truth's, which the re-run saw at α = 0.2, g = 0.08) and B_t = Σ_m (1 − α)^{2m} ε²_{t−m}
 * (scoreErrorDiscounted, ε² = scoreErrorL2). The verdict compares the excess drift D(α, g) − D(α, 0) (the g = 0 cell
 * holds the finite-sample floor) across α and g with the ratios of B: if the drift is the discounted sum, the ratios
 * agree whatever the paper's constant.
 */

export const ALPHAS = [1, 0.5, 0.2] as const;
export type Alpha = (typeof ALPHAS)[number];
export const MAGNITUDES = [0, 0.04, 0.08] as const;
export type Magnitude = (typeof MAGNITUDES)[number];
const DIM = 4;
const REAL = 1000;
const GENERATIONS = 10;
export const LAST = GENERATIONS - 1;
const PARADIGM = 'loop.paradigm';
const MAGNITUDE = 'model.params.scoreError.gradient.magnitude';
const paradigmOf = (alpha: number) => `mixed:${alpha}`;

/**
 * The independent numpy re-run (test/fixtures/studies/simulate_khelifa_discounted.py, 40 seeds,
 * khelifa_discounted_simulation.json; the preset's test holds these copies to it): at the last generation, mean and sd
 * over seeds of D (kl) and B (discounted), per α and g.
 */
export const KHELIFA_RERUN: Record<
  `${Alpha} ${Magnitude}`,
  { kl: { mean: number; sd: number }; discounted: { mean: number; sd: number } }
> = {
  '1 0': { kl: { mean: 0.01387, sd: 0.005278 }, discounted: { mean: 0.0, sd: 0.0 } },
  '1 0.04': { kl: { mean: 0.01796, sd: 0.006131 }, discounted: { mean: 0.03194, sd: 6.711e-5 } },
  '1 0.08': { kl: { mean: 0.03495, sd: 0.01044 }, discounted: { mean: 0.1278, sd: 0.0002684 } },
  '0.5 0': { kl: { mean: 0.02122, sd: 0.007857 }, discounted: { mean: 0.0, sd: 0.0 } },
  '0.5 0.04': { kl: { mean: 0.02704, sd: 0.008342 }, discounted: { mean: 0.0426, sd: 0.0001534 } },
  '0.5 0.08': { kl: { mean: 0.05264, sd: 0.02292 }, discounted: { mean: 0.1707, sd: 0.0008992 } },
  '0.2 0': { kl: { mean: 0.03109, sd: 0.0109 }, discounted: { mean: 0.0, sd: 0.0 } },
  '0.2 0.04': { kl: { mean: 0.04437, sd: 0.01641 }, discounted: { mean: 0.0879, sd: 0.000608 } },
  '0.2 0.08': { kl: { mean: 0.1105, sd: 0.06744 }, discounted: { mean: 0.354, sd: 0.004945 } },
};
export const KHELIFA_RERUN_SEEDS = 40;
const RERUN_TEXT = `numpy re-run of the description, ${KHELIFA_RERUN_SEEDS} seeds (test/fixtures/studies/simulate_khelifa_discounted.py)`;

/** a − b as a stat (independent cells: the variances add); null when either is missing. */
function difference(a: MetricStat | null, b: MetricStat | null): MetricStat | null {
  if (!a || !b) return null;
  const sd = a.sd === null || b.sd === null ? null : Math.sqrt(a.sd ** 2 + b.sd ** 2);
  return { mean: a.mean - b.mean, sd, n: Math.min(a.n, b.n) };
}

/** a / b as a stat whose sd on the log scale is the delta method's √((sd_a/a)² + (sd_b/b)²); null when missing or ≤ 0. */
function ratio(a: MetricStat | null, b: MetricStat | null): MetricStat | null {
  if (!a || !b || !(a.mean > 0) || !(b.mean > 0)) return a && b ? { mean: a.mean / b.mean, sd: null, n: Math.min(a.n, b.n) } : null;
  const r = a.mean / b.mean;
  const sd = a.sd === null || b.sd === null ? null : r * Math.hypot(a.sd / a.mean, b.sd / b.mean);
  return { mean: r, sd, n: Math.min(a.n, b.n) };
}

export function khelifaVerdict(aggregate: StudyAggregate): StudyVerdict {
  const cell = (alpha: Alpha, g: Magnitude) => cellWith(aggregate, { [PARADIGM]: paradigmOf(alpha), [MAGNITUDE]: g });
  const drift = (alpha: Alpha, g: Magnitude) => statAt(cell(alpha, g), 'klGaussian', LAST);
  const discounted = (alpha: Alpha, g: Magnitude) => statAt(cell(alpha, g), 'scoreErrorDiscounted', LAST);
  const excess = (alpha: Alpha, g: Magnitude) => difference(drift(alpha, g), drift(alpha, 0));
  const rerun = (alpha: Alpha, g: Magnitude) => KHELIFA_RERUN[`${alpha} ${g}`];
  const rerunExcess = (alpha: Alpha, g: Magnitude) => rerun(alpha, g).kl.mean - rerun(alpha, 0).kl.mean;
  /**
   * B's ratio between two cells, from our own recorded energies: what the discounted-sum law predicts for the drift's
   * ratio; null while either is missing, NaN when the denominator's is not positive (the check then fails).
   */
  const predicted = (a: [Alpha, Magnitude], b: [Alpha, Magnitude]) => {
    const x = discounted(...a)?.mean;
    const y = discounted(...b)?.mean;
    if (x === undefined || y === undefined) return null;
    return y > 0 ? x / y : NaN;
  };
  /** The excess drifts' ratio, pending while a number the check needs is missing. */
  const excessRatio = (a: [Alpha, Magnitude], b: [Alpha, Magnitude]) =>
    predicted(a, b) === null ? null : ratio(excess(...a), excess(...b));
  const top = MAGNITUDES[2];
  const checks: VerdictCheck[] = [
    compareCheck({
      label: `fresh data forget slowly: with g = ${top}, the excess drift at α = 0.2 above α = 1’s`,
      quantity: `KL(p̂ ‖ p_data) − the same α’s g = 0 value, generation ${LAST + 1}, α = 0.2 (log)`,
      ours: excess(0.2, top),
      reference: { kind: 'cell', text: `α = 1 (all real data), g = ${top}`, stat: excess(1, top) },
      direction: 'above',
      scale: 'log',
      effect: Math.log(rerunExcess(0.2, top) / rerunExcess(1, top)),
      effectText: `the re-run’s ratio ${fmt(rerunExcess(0.2, top) / rerunExcess(1, top))}`,
    }),
    ...MAGNITUDES.slice(1).flatMap((g) =>
      ([0.2, 0.5] as const).map((alpha) =>
        matchCheck({
          label: `discounted by (1 − α)^{2m}: the excess drift at α = ${alpha} over α = 1’s, g = ${g}, is B’s ratio`,
          quantity: `[D − D(g = 0)] at α = ${alpha} over the same at α = 1, g = ${g}, generation ${LAST + 1} (log)`,
          ours: excessRatio([alpha, g], [1, g]),
          reference: {
            kind: 'closed-form',
            text: `Σ_m (1 − α)^{2m} ε²_{t−m} at α = ${alpha} over α = 1 (the recorded energies, scoreErrorDiscounted)`,
            mean: predicted([alpha, g], [1, g]) ?? NaN,
          },
          scale: 'log',
          role: alpha === 0.2 && g === top ? 'claim' : 'number',
        }),
      ),
    ),
    matchCheck({
      label: `the drift scales with the energy: at α = 0.2 the excess drift at g = ${top} over g = ${MAGNITUDES[1]} is B’s ratio`,
      quantity: `[D − D(g = 0)] at g = ${top} over g = ${MAGNITUDES[1]}, α = 0.2, generation ${LAST + 1} (log)`,
      ours: excessRatio([0.2, top], [0.2, MAGNITUDES[1]]),
      reference: {
        kind: 'closed-form',
        text: `Σ_m (1 − α)^{2m} ε²_{t−m} at g = ${top} over g = ${MAGNITUDES[1]} (the recorded energies)`,
        mean: predicted([0.2, top], [0.2, MAGNITUDES[1]]) ?? NaN,
      },
      scale: 'log',
      role: 'claim',
    }),
    ...ALPHAS.flatMap((alpha) =>
      MAGNITUDES.map((g) =>
        matchCheck({
          label: `α = ${alpha}, g = ${g}: KL at generation ${LAST + 1} matches the re-run`,
          quantity: `KL(p̂ ‖ p_data) between moment-matched Gaussians, generation ${LAST + 1}, α = ${alpha}, g = ${g}, mean over the seeds (log)`,
          ours: drift(alpha, g),
          reference: { kind: 'rerun', text: RERUN_TEXT, ...rerun(alpha, g).kl, n: KHELIFA_RERUN_SEEDS },
          scale: 'log',
        }),
      ),
    ),
  ];
  const kappa = (alpha: Alpha) => {
    const e = excess(alpha, top)?.mean;
    const b = discounted(alpha, top)?.mean;
    return e !== undefined && b !== undefined && b > 0 ? e / b : null;
  };
  return verdictFrom(
    checks,
    `At generation ${LAST + 1}, g = ${top}: KL = ${ALPHAS.map((a) => fmt(drift(a, top)?.mean)).join(' / ')} for α = 1 / 0.5 / 0.2 ` +
      `(g = 0: ${ALPHAS.map((a) => fmt(drift(a, 0)?.mean)).join(' / ')}); B = ${ALPHAS.map((a) => fmt(discounted(a, top)?.mean)).join(' / ')}; ` +
      `excess drift over B ${ALPHAS.map((a) => fmt(kappa(a))).join(' / ')} (the same constant when the drift is the discounted sum).`,
  );
}

const claim: PaperClaim = {
  paper:
    'Khelifa, Turner & Venkataramanan, “Error propagation and model collapse in diffusion models: a theoretical study” (ICML 2026, arXiv 2602.16601)',
  statement:
    'With a fraction α of fresh data in every round, the accumulated divergence D_N = χ²(p̂_N ‖ p_data) of recursively trained ' +
    'diffusion models is a sum of the past rounds’ score-error energies discounted by (1 − α)^{2m}: fresh data forgets past ' +
    'errors geometrically (finite memory), and the drift grows with the energy.',
  figures: [
    {
      quantity: 'Accumulated divergence',
      paper: 'D_N ≍ Σ_m (1 − α)^{2m} ε²_{N−m} (plus bias terms)',
      where: 'discounted decomposition (main theorem)',
    },
    {
      quantity: 'KL at generation 10, α = 1, g = 0.08',
      paper: KHELIFA_RERUN['1 0.08'].kl.mean,
      where: 'numpy re-run',
      ours: { metric: 'klGaussian', cell: { [PARADIGM]: paradigmOf(1), [MAGNITUDE]: 0.08 }, generation: LAST },
    },
    {
      quantity: 'KL at generation 10, α = 0.2, g = 0.08',
      paper: KHELIFA_RERUN['0.2 0.08'].kl.mean,
      where: 'numpy re-run',
      ours: { metric: 'klGaussian', cell: { [PARADIGM]: paradigmOf(0.2), [MAGNITUDE]: 0.08 }, generation: LAST },
    },
    {
      quantity: 'Σ(1 − α)^{2m} ε² at generation 10, α = 0.2, g = 0.08',
      paper: KHELIFA_RERUN['0.2 0.08'].discounted.mean,
      where: 'numpy re-run (closed-form energies)',
      ours: { metric: 'scoreErrorDiscounted', cell: { [PARADIGM]: paradigmOf(0.2), [MAGNITUDE]: 0.08 }, generation: LAST },
    },
  ],
  paperSetting:
    'The paper trains score networks on Gaussian mixtures and CIFAR-10, where the score error is the network’s; ours injects a ' +
    'known gradient error into the exact score of a Gaussian estimate, with signs drawn afresh per generation so that the ' +
    'errors are independent (the regime of the plain discounted sum; a fixed sign adds the paper’s bias terms).',
};

const LEGEND = [PARADIGM, MAGNITUDE];
const figures: StudyFigureSpec[] = [
  {
    kind: 'metric-vs-generation',
    title: 'KL(p̂ ‖ p_data) by generation, with the bound Σ(1 − α)^{2m} ε²',
    metric: 'klGaussian',
    logY: true,
    reference: { label: 'Σ(1 − α)^{2m} ε² (the discounted energies)', metric: 'scoreErrorDiscounted' },
    legendPaths: LEGEND,
  },
  {
    kind: 'metric-vs-field',
    title: 'KL at the last generation against the fresh-data fraction α (mixed:α), per score-error magnitude g',
    metric: 'klGaussian',
    field: PARADIGM,
    legendPaths: [MAGNITUDE],
    logY: true,
  },
  {
    kind: 'metric-vs-field',
    title: 'Σ(1 − α)^{2m} ε² at the last generation against α, per g',
    metric: 'scoreErrorDiscounted',
    field: PARADIGM,
    legendPaths: [MAGNITUDE],
  },
];

const truth = { weights: [1], means: [Array.from({ length: DIM }, () => 0)], covs: [1] };

export const khelifaDiscountedDrift: StudyPreset = {
  name: 'khelifa-discounted-drift',
  description:
    'Khelifa, Turner & Venkataramanan (ICML 2026): exact-score diffusion on N(0, I₄) with an injected gradient score error ' +
    '(±g·x, signs drawn per generation), fresh-data fraction α ∈ {1, 0.5, 0.2} × g ∈ {0, 0.04, 0.08}, 10 generations, 8 ' +
    'seeds; the accumulated KL drift against the score-error energies discounted by (1 − α)^{2m}.',
  expectedMinutes: 72 * 0.4,
  study: {
    name: 'khelifa-discounted-drift',
    description:
      'Claim (Khelifa et al.): the accumulated divergence is a sum of past score-error energies discounted by (1 − α)^{2m} in ' +
      'the fresh-data fraction α. Ours: klGaussian (and chiSquareGaussian) against scoreErrorDiscounted across α (mixed:α) and the error g.',
    base: {
      dataset: { kind: 'gaussian-mixture', dim: DIM, ...truth, trainSize: REAL, testSize: 1000 },
      islands: { count: 1, split: 'iid' },
      model: {
        kind: 'diffusion-exact',
        params: {
          components: 1,
          sampler: 'sde',
          integrator: 'heun',
          horizon: 5,
          steps: 100,
          truncation: { kind: 'constant', delta0: 0.01 },
          truth,
          scoreError: {
            gradient: { magnitude: 0, potential: 'quadratic', randomSign: true },
            solenoidal: { magnitude: 0 },
            evalSamples: 500,
            evalTimes: 8,
          },
        },
      },
      loop: { generations: GENERATIONS, paradigm: 'mixed:1', keep: REAL, ratio: 1 },
      selection: { scheme: 'none' },
      metrics: { downstream: false, maxSamples: 1000 },
      gridSamples: 1,
    },
    axes: [
      { path: PARADIGM, values: ALPHAS.map(paradigmOf) },
      { path: MAGNITUDE, values: [...MAGNITUDES] },
    ],
    seeds: 8,
    storage: 'metrics',
    metrics: ['klGaussian', 'chiSquareGaussian', 'scoreErrorL2', 'scoreErrorDiscounted'],
  },
  claim,
  figures,
  verdict: khelifaVerdict,
};
