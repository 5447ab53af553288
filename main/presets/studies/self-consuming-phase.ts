import type { StudyVerdict } from '../../contract/paper-claim';
import type { AggregateWindow, StudyAggregate } from '../../contract/study-aggregate';
import type { StudyPreset } from './index';
import { compareCheck, fmt, matchCheck, pairedOver, statOver, verdictFrom } from './verdict-helpers';

/**
 * Seed 004 (self-consuming generative models, Fu et al., ICML 2024): with a fixed real set of n samples and m synthetic
 * samples of the previous generation in every later training set (mixed training, real fraction n/(n + m)), the TV
 * distance of the generated distribution to the real one first rises as m grows (more of the previous generation's
 * error is carried over, with weight m/(n + m)) and then falls beyond a threshold (the estimation error of n + m
 * samples shrinks, so each generation adds little). Here: the maximum-likelihood Gaussian in two dimensions (the
 * parametric model where both effects are closed-form), n = 100 real samples, 50 generations (20 seeds), m/n from 0 to 256, TV of
 * the fitted density to the declared truth on a grid. The verdict reads tvToTruthRise (TV minus the same run's
 * generation-0 TV, so paired over the real sample) averaged over generations 25–49.
 */

export const AMOUNTS = [0, 1, 4, 16, 64, 256] as const;
const REAL = 100;
const GENERATIONS = 50;
/** The later generations, where the carried-over error has built up: the verdict averages over them. */
const FROM = 25;
const FIELD = 'loop.syntheticPerReal';
/** The windows the verdict reads: the aggregate keeps each seed's mean over them (its sd over the seeds measured). */
const WINDOWS: AggregateWindow[] = ['tvToTruthRise', 'tvToTruth'].map((metric) => ({ metric, from: FROM, to: GENERATIONS - 1 }));

/**
 * The independent numpy re-run (test/fixtures/studies/simulate_self_consuming_phase.py, 100 seeds,
 * self_consuming_phase_simulation.json; the re-run fixtures test holds these copies to it), at this study's 50
 * generations: per m/n, each seed's rise (TV − generation-0 TV, averaged over generations 25–49), its mean and sd over
 * the seeds; per interior m/n, the fall (that rise minus the same seed's rise at m/n = 256), its mean and sd. By horizon,
 * for m/n = 1 … 256: at 8 generations .0115 / .0164 / .0082 / .0045 / .0010 (the fall is mostly the short horizon's
 * artefact: the large amounts have not drifted yet); at 50 (this study) .0098 / .0170 / .0170 / .0140 / .0051, a fall of
 * .012 from m/n = 4 with a per-seed sd of .015 (14 seeds would give 84 % power); at 200 .0121 / .0156 / .0186 / .0167 / .0129, a
 * fall of .006 that would need about 50 seeds. (An earlier 24-seed version gave .0205 at m/n = 4 and 50 generations:
 * the rise's spread is wide and skewed, so fewer seeds overstated the peak.) The 100 seeds still overstate it a little:
 * 2,000 seeds of the same description give a rise at m/n = 4 of .0154 ± .0003 (s.e.), and 800 seeds of the engine's own
 * code path .0146 ± .0004; less the re-run's .0051 at m/n = 256 that is a fall of about .0095, for which 20 seeds give
 * 80 % power (hence 20). The engine agrees with the description: on the same real sample the re-run's loop gives a
 * rise .0006 ± .0006 below the engine's (400 seeds), the synthetic draws' moments are the normal and Wishart laws of the
 * previous fit (1,960 generations), and the TVs of the same fit agree to 1e-4.
 */
export const SELF_CONSUMING_RERUN: Record<
  (typeof AMOUNTS)[number],
  { rise: { mean: number; sd: number }; fall?: { mean: number; sd: number } }
> = {
  0: { rise: { mean: 0, sd: 0 } },
  1: { rise: { mean: 0.009793, sd: 0.008117 }, fall: { mean: 0.004685, sd: 0.0127 } },
  4: { rise: { mean: 0.01703, sd: 0.01179 }, fall: { mean: 0.01192, sd: 0.01486 } },
  16: { rise: { mean: 0.017, sd: 0.01703 }, fall: { mean: 0.01189, sd: 0.01596 } },
  64: { rise: { mean: 0.01398, sd: 0.01957 }, fall: { mean: 0.008869, sd: 0.01749 } },
  256: { rise: { mean: 0.005108, sd: 0.01061 } },
};
export const SELF_CONSUMING_RERUN_SEEDS = 100;

/**
 * The interior amount the claim checks are made at, fixed before looking at a study's data: the re-run's peak, where its
 * fall to m/n = 256 is largest for its spread (.0119 / .0149; at 16: .0119 / .0160). Taking ours' own largest rise
 * instead would pick the amount by the same noise the check then tests (a winner's curse), and would test a fall
 * whose size the re-run does not predict.
 */
export const RERUN_PEAK = 4;
const RERUN_TEXT = `numpy re-run of the description, ${SELF_CONSUMING_RERUN_SEEDS} seeds (test/fixtures/studies/simulate_self_consuming_phase.py)`;

/**
 * Whether TV rises then falls with m/n, from the aggregate (exported for the tests). The rise of a cell is its TV minus
 * the same run's generation-0 TV (paired over the real sample; at m/n = 0 the fit never changes, so the rise is also TV
 * minus the real-data-only cell's TV), averaged over generations FROM … last. Claim checks, one-sided at 2 s.e. with
 * their power for the re-run's effect: the rise at the re-run's peak (RERUN_PEAK) is above 0; and the rise at the
 * largest amount lies below it (the fall, paired by seed: each seed's difference). Their s.e. come from the sd over our
 * seeds of each seed's window mean (the aggregate keeps them: WINDOWS). Number checks: each amount's rise agrees with
 * the re-run's within 3 s.e. (the re-run's per-seed sd).
 */
export function selfConsumingPhaseVerdict(aggregate: StudyAggregate): StudyVerdict {
  const cells = AMOUNTS.map((a) => aggregate.cells.find((c) => c.fields[FIELD] === a));
  const rise = cells.map((c) => statOver(c, 'tvToTruthRise', FROM, GENERATIONS - 1));
  const tv = cells.map((c) => statOver(c, 'tvToTruth', FROM, GENERATIONS - 1));
  const last = AMOUNTS.length - 1;
  const peak = AMOUNTS.indexOf(RERUN_PEAK);
  const rerunPeak = SELF_CONSUMING_RERUN[RERUN_PEAK];
  // ours' own interior maximum, reported beside it
  let top = 1;
  for (let i = 2; i < last; i++) if ((rise[i]?.mean ?? -Infinity) > (rise[top]?.mean ?? -Infinity)) top = i;
  const window = `generations ${FROM}–${GENERATIONS - 1}`;
  const peakRise = rise[peak];
  // paired by seed: each seed's rise at the peak minus its rise at the largest amount (the same real sample)
  const fall = pairedOver(cells[peak], cells[last], 'tvToTruthRise', FROM, GENERATIONS - 1);
  const checks = [
    compareCheck({
      label: `TV rises with synthetic data (m/n = ${AMOUNTS[peak]}, the re-run’s peak)`,
      quantity: `TV − generation-0 TV of the same run, mean over ${window}, m/n = ${AMOUNTS[peak]} (sd over our seeds of each seed’s mean)`,
      ours: peakRise,
      reference: { kind: 'closed-form', text: 'no rise: 0', stat: 0 },
      direction: 'above',
      effect: rerunPeak.rise.mean,
      effectText: `the re-run’s rise ${fmt(rerunPeak.rise.mean)} at m/n = ${AMOUNTS[peak]}`,
    }),
    compareCheck({
      label: `then falls: the rise at m/n = ${AMOUNTS[last]} below the peak’s`,
      quantity: `the rise at m/n = ${AMOUNTS[peak]} minus the rise at m/n = ${AMOUNTS[last]}, mean over ${window} (paired by seed: sd over our seeds of each seed’s difference)`,
      ours: fall,
      reference: { kind: 'closed-form', text: 'no fall: 0', stat: 0 },
      direction: 'above',
      effect: rerunPeak.fall?.mean ?? 0,
      effectText: `the re-run’s fall ${fmt(rerunPeak.fall?.mean)} from m/n = ${AMOUNTS[peak]}`,
    }),
    ...AMOUNTS.slice(1).map((a, k) =>
      matchCheck({
        label: `m/n = ${a}: the rise matches the re-run`,
        quantity: `TV − generation-0 TV of the same run, mean over ${window}, m/n = ${a}`,
        ours: rise[k + 1],
        reference: { kind: 'rerun', text: RERUN_TEXT, ...SELF_CONSUMING_RERUN[a].rise, n: SELF_CONSUMING_RERUN_SEEDS },
      }),
    ),
  ];
  return verdictFrom(
    checks,
    `Rise of TV over the real-data fit, mean over ${window}, by m/n: ` +
      AMOUNTS.slice(1)
        .map((a, k) => `${a}: ${fmt(rise[k + 1]?.mean)} (re-run ${fmt(SELF_CONSUMING_RERUN[a].rise.mean)})`)
        .join(', ') +
      `; ours peaks at m/n = ${AMOUNTS[top]}; mean TV to the truth ${fmt(tv[0]?.mean)} with real data alone.`,
  );
}

export const selfConsumingPhase: StudyPreset = {
  name: 'self-consuming-phase',
  description:
    'Seed 004’s phase transition: mixed training (all 100 real samples plus m/n times as many synthetic samples of the ' +
    'previous generation), ML Gaussian in 2-D, 50 generations, m/n = 0 … 256, 20 seeds (the horizon and seeds at which ' +
    'numpy re-runs give the fall, about 0.0095 with a per-seed sd of 0.015, 80 % power; at 8 generations the fall is an artefact). TV of each generation’s fitted ' +
    'density to the declared truth (grid quadrature with its error estimate) rises, then falls, as m/n grows.',
  expectedMinutes: 120 * 3,
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
    axes: [{ path: FIELD, values: [...AMOUNTS] }],
    seeds: 20,
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
  windows: WINDOWS,
};
