import type { StudyVerdict } from '../../contract/paper-claim';
import type { StudyAggregate } from '../../contract/study-aggregate';
import { mixture } from '../diffusion-exact';
import type { StudyPreset } from './index';
import { cellWith, compareCheck, fmt, matchCheck, meanAt, statAt, statOver, verdictFrom } from './verdict-helpers';

const GENERATIONS = 40;
const LAST = GENERATIONS - 1;
/** The loop's share of fresh real data per generation (paradigm mixed:λ), repeated in the model for the closed forms. */
const REAL_SHARE = 0.2;
const DELTA0 = 0.1;

export const constantSchedule = { kind: 'constant', delta0: DELTA0 };
export const powerSchedule = { kind: 'power', delta0: DELTA0, p: 1 };
export const geometricSchedule = { kind: 'geometric', delta0: DELTA0, gamma: 0.9 };
const SCHEDULE = 'model.params.truncation';

/**
 * Seed 001 (diffusion truncation): the exact-score diffusion model retrained on its own samples with 20 % fresh data
 * per generation, under a constant, a power (δ0/(g+1)) and a geometric (δ0·0.9^g) truncation schedule. Each generation
 * records W₂ to the truth, the Hermite mode energies, and the closed forms of main/models/truncation-recursion.ts:
 * W₂ of the exact recursion's law at that generation (w2Recursion) and of the constant schedule's limit (w2Limit).
 */
export const diffusionTruncation: StudyPreset = {
  name: 'diffusion-truncation',
  description:
    'Seed 001: exact-score diffusion on a 1-D mixture of two Gaussians, retrained on its own samples with 20 % fresh data for ' +
    '40 generations, under constant, power and geometric truncation schedules (δ0 = 0.1), 3 seeds. W₂ to the truth per ' +
    'generation beside the exact recursion’s closed form and the constant schedule’s limit, and the Hermite mode energies; ' +
    'checked against a finite-sample numpy re-run of the same sizes (refitting on 2,000 samples compounds over 40 generations).',
  expectedMinutes: 24,
  claim: {
    paper: '001 — Diffusion truncation and recursive training (the seed gives the abstract only)',
    statement:
      'Even with the exact score and exact sampling, stopping the reverse diffusion at a truncation time δ makes the recursion ' +
      'drift: it converges geometrically to a unique limit, an infinite mixture of increasingly Gaussian-smoothed copies of ' +
      'the data, Σ_j λ(1−λ)^j · OU_{(j+1)δ} p₀ for the samples (a low-pass filter: high Hermite modes fade first); any ' +
      'annealed schedule δ_g → 0 removes the recursive compounding.',
    figures: [
      {
        quantity: 'Limit of the recursion (constant δ)',
        paper: 'unique, closed form: an infinite mixture of Gaussian-smoothed versions of the data; geometric convergence',
        where: 'Abstract (convergence theorem)',
        ours: { metric: 'w2', cell: { [SCHEDULE]: constantSchedule }, generation: 'last' },
      },
      {
        quantity: 'Hermite spectrum of the limit',
        paper: 'higher-order modes attenuated much more strongly than coarse modes (low-pass filter)',
        where: 'Abstract (Hermite decomposition)',
      },
      {
        quantity: 'Annealed truncation δ_g → 0',
        paper: 'asymptotically eliminates recursive compounding',
        where: 'Abstract (annealing theorem)',
        ours: { metric: 'w2', cell: { [SCHEDULE]: powerSchedule }, generation: 'last' },
      },
      {
        quantity: 'Discretisation and score errors',
        paper: 'the learned law stays in a W₂ ball around the ideal limit',
        where: 'Abstract (robustness)',
      },
    ],
    paperSetting:
      'The seed text is the abstract only: synthetic Gaussian mixtures and CIFAR-10, without stated sizes. The synthetic part ' +
      'is what runs here (the exact score needs no training; a GMM fit by EM stands for the "perfect" estimate of each ' +
      "generation's law). CIFAR-10 with a trained score network needs a GPU: the ddpm model on a 32×32 dataset, δ as the " +
      "sampler's stopping time.",
  },
  figures: [
    {
      kind: 'metric-vs-generation',
      title: 'W₂ to the truth by generation, with the closed-form limit of the constant schedule',
      metric: 'w2',
      reference: { label: 'closed-form limit, constant δ', metric: 'w2Limit' },
    },
    {
      kind: 'metric-vs-generation',
      title: 'W₂ of the exact recursion (closed form, no estimation error) by generation',
      metric: 'w2Recursion',
    },
    { kind: 'mode-energies', title: 'Hermite mode energies by generation (the low-pass picture)' },
    { kind: 'metric-vs-generation', title: 'Truncation time δ by generation', metric: 'truncationDelta', logY: true },
  ],
  verdict: diffusionTruncationVerdict,
  // the windows its verdict averages over: the aggregate keeps each seed's mean (the sd over seeds measured)
  windows: ['w2', 'w2Recursion'].map((metric) => ({ metric, from: LAST - 4, to: LAST })),
  study: {
    name: 'diffusion-truncation',
    description:
      'Seed 001: exact-score diffusion retrained on its own samples (mixed:0.2, 40 generations) under constant, power and ' +
      'geometric truncation schedules, 3 seeds; W₂ to the truth with the closed-form references, Hermite mode energies.',
    base: {
      dataset: { kind: 'gaussian-mixture', dim: 1, ...mixture, trainSize: 2000, testSize: 2000 },
      islands: { count: 1, split: 'iid' },
      model: {
        kind: 'diffusion-exact',
        params: {
          components: 2,
          sampler: 'sde',
          steps: 100,
          truncation: constantSchedule,
          truth: mixture,
          hermiteModes: 8,
          recursionRealShare: REAL_SHARE,
        },
      },
      loop: { generations: GENERATIONS, paradigm: `mixed:${REAL_SHARE}`, keep: 2000, ratio: 1 },
      selection: { scheme: 'none' },
      metrics: { downstream: false, maxSamples: 1000 },
      gridSamples: 100,
    },
    axes: [{ path: SCHEDULE, values: [constantSchedule, powerSchedule, geometricSchedule] }],
    seeds: 3,
  },
};

/**
 * The independent numpy / scikit-learn re-run of this study's setting in finite samples
 * (test/fixtures/studies/simulate_diffusion_truncation.py, 40 seeds, diffusion_truncation_simulation.json; the re-run
 * fixtures test holds these copies to it): per schedule, W₂ to the truth at generation 0 and each seed's W₂ averaged
 * over generations 35–39, mean and sd over the seeds. The exact recursion has no estimation error; here each
 * generation refits the mixture on 2,000 samples, and the errors compound (the mixture weights drift, and W₂ is
 * sensitive to mass moved between modes 4 apart), so the annealed schedules settle near 0.25 rather than the
 * recursion's 0.04.
 */
export const DIFFUSION_TRUNCATION_RERUN = {
  constant: { first: 0.2759, tail: { mean: 0.6794, sd: 0.01974 } },
  power: { first: 0.2759, tail: { mean: 0.2638, sd: 0.0783 } },
  geometric: { first: 0.2759, tail: { mean: 0.2613, sd: 0.08069 } },
} as const;
export const DIFFUSION_TRUNCATION_RERUN_SEEDS = 40;
const RERUN_TEXT = `numpy / scikit-learn re-run in finite samples, ${DIFFUSION_TRUNCATION_RERUN_SEEDS} seeds (test/fixtures/studies/simulate_diffusion_truncation.py)`;

/**
 * Reproduced when (W₂ averaged over the last 5 generations, per seed then over seeds): under the constant schedule W₂
 * has grown from generation 0 (a one-sided comparison, log scale, power for the re-run's growth) and agrees with the
 * finite-sample re-run (which sits on the exact recursion's limit); the power and geometric schedules' W₂ lies below
 * the constant schedule's (log scale, power for the re-run's ratio), and agrees with the re-run within 3 s.e. at the
 * study's seed count (the re-run's per-seed sd). The exact recursion's W₂ (w2Recursion: no estimation or sampling
 * error) is drawn and reported beside them: the annealed schedules' finite-sample floor is what separates the two.
 */
export function diffusionTruncationVerdict(aggregate: StudyAggregate): StudyVerdict {
  const cells = {
    constant: cellWith(aggregate, { [SCHEDULE]: constantSchedule }),
    power: cellWith(aggregate, { [SCHEDULE]: powerSchedule }),
    geometric: cellWith(aggregate, { [SCHEDULE]: geometricSchedule }),
  };
  type Name = keyof typeof cells;
  const tail = (name: Name, metric: string) => statOver(cells[name], metric, LAST - 4, LAST);
  const recursion = (name: Name) => tail(name, 'w2Recursion')?.mean ?? null;
  const rerun = DIFFUSION_TRUNCATION_RERUN;
  const first = statAt(cells.constant, 'w2', 0);
  const limit = meanAt(cells.constant, 'w2Limit', LAST);
  const window = `generations ${LAST - 4}–${LAST}`;
  const matches = (name: Name, label: string, role: 'claim' | 'number') =>
    matchCheck({
      label: `${label}: W₂ follows the finite-sample re-run`,
      quantity: `W₂ to the truth, mean over ${window}, ${label}`,
      ours: tail(name, 'w2'),
      reference: {
        kind: 'rerun',
        text: `${RERUN_TEXT}; the exact recursion gives ${fmt(recursion(name))}`,
        ...rerun[name].tail,
        n: DIFFUSION_TRUNCATION_RERUN_SEEDS,
      },
      role,
    });
  const below = (name: 'power' | 'geometric', label: string) =>
    compareCheck({
      label: `${label}: W₂ below the constant schedule’s`,
      quantity: `W₂ to the truth, mean over ${window}, ${label} (log)`,
      ours: tail(name, 'w2'),
      reference: { kind: 'cell', text: 'the constant-δ cell', stat: tail('constant', 'w2') },
      direction: 'below',
      scale: 'log',
      effect: Math.log(rerun.constant.tail.mean / rerun[name].tail.mean),
      effectText: 'the re-run’s ratio',
    });
  const checks = [
    compareCheck({
      label: 'constant δ: W₂ grows from generation 0 (drift)',
      quantity: `W₂ to the truth, mean over ${window}, constant δ (log)`,
      ours: tail('constant', 'w2'),
      reference: { kind: 'cell', text: 'the same cell at generation 0', stat: first },
      direction: 'above',
      scale: 'log',
      effect: Math.log(rerun.constant.tail.mean / rerun.constant.first),
      effectText: 'the re-run’s growth',
    }),
    matches('constant', 'constant δ', 'claim'),
    below('power', 'power δ0/(g+1)'),
    below('geometric', 'geometric δ0·0.9^g'),
    matches('power', 'power δ0/(g+1)', 'number'),
    matches('geometric', 'geometric δ0·0.9^g', 'number'),
  ];
  const w = (name: Name) =>
    `${fmt(tail(name, 'w2')?.mean)} (re-run ${fmt(rerun[name].tail.mean)}, exact recursion ${fmt(recursion(name))})`;
  return verdictFrom(
    checks,
    `W₂ to the truth over ${window}: constant ${w('constant')}, its limit ${fmt(limit)}, generation 0 ${fmt(first?.mean)}; ` +
      `power ${w('power')}; geometric ${w('geometric')}.`,
  );
}
