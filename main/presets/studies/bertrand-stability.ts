import type { PaperClaim, StudyFigureSpec, StudyVerdict, VerdictCheck } from '../../contract/paper-claim';
import type { StudyAggregate } from '../../contract/study-aggregate';
import type { StudyPreset } from './index';
import { boundCheck, cellWith, compareCheck, fmt, matchCheck, statAt, verdictFrom } from './verdict-helpers';

/**
 * Bertrand, Bose, Duplessis, Jiralerspong & Gidel, "On the stability of iterative retraining of generative models on
 * their own data" (ICLR 2024): each generation refits the model by maximum likelihood to all the real data plus λ times
 * as many draws of the previous generation's model (λ synthetic per real sample: a real-data share ρ = 1/(1 + λ)). The
 * paper proves the loop stable (it stays near the real-data fit θ*) when the first model is close to the data and
 * λ(1 + Lε/α) < 1 — for an accurate first model, λ < 1, i.e. ρ > 1/2 — and shows the fully synthetic loop (ρ = 0)
 * collapsing, starting with the Gaussian. Ours: ρ ∈ {1, 1/2, 1/5, 0} (λ = 0, 1, 4, ∞; the engine's mixed:ρ with a
 * training set of n/ρ rows, so all n = 100 real rows and the rest synthetic) on the Gaussian kind (truth
 * N(0, [[1, .5], [.5, 1]])) and the GMM kind (2 components, EM; truth .7 N((−2, 0), .5 I) + .3 N((2, 0), .5 I)), 30
 * generations, TV of each generation's fitted density to the truth. The first model is the real-data fit itself, so the
 * "close to the data" half of the condition holds by construction; the sweep tests the λ half. The re-run finds ρ = 1/5
 * (λ = 4) stable too: for these maximum-likelihood fits the theorem's condition is sufficient, not necessary, so that
 * cell's stability is a number beside the claim, not the claim.
 */

export const SHARES = [1, 0.5, 0.2, 0] as const;
export type Share = (typeof SHARES)[number];
export const KINDS = ['gaussian', 'gmm'] as const;
export type Kind = (typeof KINDS)[number];
const REAL = 100;
const GENERATIONS = 30;
const LAST = GENERATIONS - 1;
/** The generation the stable cells' last TV is held to (the loop has reached its fixed point's neighbourhood by then). */
export const MID = 9;
const PARADIGM = 'loop.paradigm';
const TRAIN_SIZE = 'loop.trainSize';
const MODEL_KIND = 'model.kind';
/** The theorem's threshold for an accurate first model: λ < 1, a real share above 1/2. */
const THRESHOLD_SHARE = 0.5;

const paradigmOf = (share: number) => `mixed:${share}`;
/** All the real rows plus λ·n synthetic: n/ρ rows (n for the fully synthetic loop, n synthetic rows). */
const trainSizeOf = (share: number) => (share === 0 ? REAL : Math.round(REAL / share));
const lambdaText = (share: number) => (share === 0 ? '∞' : fmt((1 - share) / share));

/**
 * The independent numpy/scikit-learn re-run (test/fixtures/studies/simulate_bertrand_stability.py, 40 seeds,
 * bertrand_stability_simulation.json; the preset's test holds these copies to it): mean and sd over seeds of the TV to
 * the truth at generations 10 and 30, per model kind and real share.
 */
export const BERTRAND_RERUN: Record<`${Kind} ${Share}`, Record<typeof MID | typeof LAST, { mean: number; sd: number }>> = {
  'gaussian 1': { 9: { mean: 0.0783, sd: 0.03196 }, 29: { mean: 0.0783, sd: 0.03196 } },
  'gaussian 0.5': { 9: { mean: 0.09391, sd: 0.03584 }, 29: { mean: 0.09521, sd: 0.03621 } },
  'gaussian 0.2': { 9: { mean: 0.09263, sd: 0.04016 }, 29: { mean: 0.09418, sd: 0.03184 } },
  'gaussian 0': { 9: { mean: 0.2533, sd: 0.07214 }, 29: { mean: 0.4676, sd: 0.1356 } },
  'gmm 1': { 9: { mean: 0.116, sd: 0.02437 }, 29: { mean: 0.116, sd: 0.02437 } },
  'gmm 0.5': { 9: { mean: 0.1332, sd: 0.03131 }, 29: { mean: 0.1366, sd: 0.02675 } },
  'gmm 0.2': { 9: { mean: 0.1398, sd: 0.03322 }, 29: { mean: 0.1329, sd: 0.03026 } },
  'gmm 0': { 9: { mean: 0.3983, sd: 0.06974 }, 29: { mean: 0.6953, sd: 0.0926 } },
};
export const BERTRAND_RERUN_SEEDS = 40;
const RERUN_TEXT = `numpy/scikit-learn re-run of the description, ${BERTRAND_RERUN_SEEDS} seeds (test/fixtures/studies/simulate_bertrand_stability.py)`;

export function bertrandStabilityVerdict(aggregate: StudyAggregate): StudyVerdict {
  const cell = (kind: Kind, share: Share) => cellWith(aggregate, { [MODEL_KIND]: kind, [PARADIGM]: paradigmOf(share) });
  const tv = (kind: Kind, share: Share, g: number) => statAt(cell(kind, share), 'tvToTruth', g);
  const rerun = (kind: Kind, share: Share, g: typeof MID | typeof LAST) => BERTRAND_RERUN[`${kind} ${share}`][g];
  const checks: VerdictCheck[] = [];
  for (const kind of KINDS) {
    const collapseGap = Math.log(rerun(kind, 0, LAST).mean / rerun(kind, THRESHOLD_SHARE, LAST).mean);
    const collapseGrowth = Math.log(rerun(kind, 0, LAST).mean / rerun(kind, 0, MID).mean);
    const mid = tv(kind, THRESHOLD_SHARE, MID);
    checks.push(
      compareCheck({
        label: `${kind}: the fully synthetic loop (ρ = 0) drifts away: TV at generation ${LAST + 1} above ρ = 1/2’s`,
        quantity: `TV of the fitted density to the truth at generation ${LAST + 1}, ${kind}, ρ = 0 (log)`,
        ours: tv(kind, 0, LAST),
        reference: { kind: 'cell', text: `${kind}, ρ = 1/2 (λ = 1) at generation ${LAST + 1}`, stat: tv(kind, THRESHOLD_SHARE, LAST) },
        direction: 'above',
        scale: 'log',
        effect: collapseGap,
        effectText: `the re-run’s ratio ${fmt(Math.exp(collapseGap))}`,
      }),
      compareCheck({
        label: `${kind}: the fully synthetic loop keeps drifting: TV at generation ${LAST + 1} above generation ${MID + 1}’s`,
        quantity: `TV to the truth at generation ${LAST + 1} against generation ${MID + 1}, ${kind}, ρ = 0 (log)`,
        ours: tv(kind, 0, LAST),
        reference: { kind: 'cell', text: `the same cell at generation ${MID + 1}`, stat: tv(kind, 0, MID) },
        direction: 'above',
        scale: 'log',
        effect: collapseGrowth,
        effectText: `the re-run’s growth ×${fmt(Math.exp(collapseGrowth))}`,
      }),
      boundCheck({
        label: `${kind}: retraining with ρ = 1/2 (λ = 1, the theorem’s edge) is stable: TV at generation ${LAST + 1} no higher than at ${MID + 1}`,
        quantity: `TV to the truth at generation ${LAST + 1}, ${kind}, ρ = 1/2 (log)`,
        ours: mid === null ? null : tv(kind, THRESHOLD_SHARE, LAST),
        bound: { text: `the same cell at generation ${MID + 1}`, value: mid?.mean ?? NaN },
        boundKind: 'cell',
        side: 'upper',
        scale: 'log',
        effect: collapseGrowth,
        effectText: `a drift as large as the fully synthetic loop’s in the re-run (×${fmt(Math.exp(collapseGrowth))})`,
      }),
      boundCheck({
        label: `${kind}: ρ = 1/5 (λ = 4, outside the theorem’s sufficient condition) is stable too: TV at generation ${LAST + 1} no higher than at ${MID + 1}`,
        quantity: `TV to the truth at generation ${LAST + 1}, ${kind}, ρ = 1/5 (log)`,
        ours: tv(kind, 0.2, MID) === null ? null : tv(kind, 0.2, LAST),
        bound: { text: `the same cell at generation ${MID + 1}`, value: tv(kind, 0.2, MID)?.mean ?? NaN },
        boundKind: 'cell',
        side: 'upper',
        scale: 'log',
        role: 'number',
        effect: collapseGrowth,
        effectText: `a drift as large as the fully synthetic loop’s in the re-run (×${fmt(Math.exp(collapseGrowth))})`,
      }),
      ...SHARES.map((share) =>
        matchCheck({
          label: `${kind}, ρ = ${fmt(share)}: TV at generation ${LAST + 1} matches the re-run`,
          quantity: `TV to the truth at generation ${LAST + 1}, ${kind}, ρ = ${fmt(share)} (λ = ${lambdaText(share)}), mean over the seeds (log)`,
          ours: tv(kind, share, LAST),
          reference: { kind: 'rerun', text: RERUN_TEXT, ...rerun(kind, share, LAST), n: BERTRAND_RERUN_SEEDS },
          scale: 'log',
        }),
      ),
    );
  }
  const row = (kind: Kind) =>
    `${kind} ` + SHARES.map((s) => `${fmt(tv(kind, s, LAST)?.mean)} (re-run ${fmt(rerun(kind, s, LAST).mean)})`).join(' / ');
  return verdictFrom(checks, `TV to the truth at generation ${LAST + 1} for ρ = 1 / 1/2 / 1/5 / 0: ${row('gaussian')}; ${row('gmm')}.`);
}

const claim: PaperClaim = {
  paper:
    'Bertrand, Bose, Duplessis, Jiralerspong & Gidel, “On the stability of iterative retraining of generative models on their own data” (ICLR 2024)',
  statement:
    'Iteratively retraining a generative model on its real data plus λ times as much of its own samples is stable — it stays ' +
    'near the real-data fit — when the first model is close to the data and λ(1 + Lε/α) < 1 (λ < 1, a real-data share above ' +
    '1/2, for an accurate first model); retraining on its own samples alone collapses.',
  figures: [
    {
      quantity: 'Stability condition on λ (synthetic per real sample)',
      paper: 'λ(1 + Lε/α) < 1; λ < 1 for an accurate first model',
      where: 'Theorems 1 and 2',
    },
    {
      quantity: 'TV at generation 30, Gaussian, ρ = 1/2 (λ = 1)',
      paper: BERTRAND_RERUN['gaussian 0.5'][LAST].mean,
      where: 'numpy re-run (the paper’s Gaussian warm-up: stable)',
      ours: { metric: 'tvToTruth', cell: { [MODEL_KIND]: 'gaussian', [PARADIGM]: paradigmOf(0.5) }, generation: LAST },
    },
    {
      quantity: 'TV at generation 30, Gaussian, fully synthetic',
      paper: BERTRAND_RERUN['gaussian 0'][LAST].mean,
      where: 'numpy re-run (the paper: collapses)',
      ours: { metric: 'tvToTruth', cell: { [MODEL_KIND]: 'gaussian', [PARADIGM]: paradigmOf(0) }, generation: LAST },
    },
    {
      quantity: 'TV at generation 30, GMM, ρ = 1/2 (λ = 1)',
      paper: BERTRAND_RERUN['gmm 0.5'][LAST].mean,
      where: 'numpy/scikit-learn re-run',
      ours: { metric: 'tvToTruth', cell: { [MODEL_KIND]: 'gmm', [PARADIGM]: paradigmOf(0.5) }, generation: LAST },
    },
    {
      quantity: 'TV at generation 30, GMM, fully synthetic',
      paper: BERTRAND_RERUN['gmm 0'][LAST].mean,
      where: 'numpy/scikit-learn re-run',
      ours: { metric: 'tvToTruth', cell: { [MODEL_KIND]: 'gmm', [PARADIGM]: paradigmOf(0) }, generation: LAST },
    },
  ],
  paperSetting:
    'The paper retrains normalizing flows and diffusion models (DDPM, EDM, OTCFM) on CIFAR-10 and FFHQ-64 with λ ∈ {0, 0.5, 1} ' +
    'and the fully synthetic loop; ours is its Gaussian warm-up and a Gaussian mixture, with closed-form densities, so the ' +
    'drift is measured exactly (TV to the truth) instead of by FID.',
};

const LEGEND = [MODEL_KIND, PARADIGM];
const figures: StudyFigureSpec[] = [
  {
    kind: 'metric-vs-generation',
    title: 'TV to the truth by generation, per model and real-data share ρ (mixed:ρ)',
    metric: 'tvToTruth',
    legendPaths: LEGEND,
  },
  {
    kind: 'metric-vs-field',
    title: 'TV to the truth at the last generation against the real-data share ρ (λ = (1 − ρ)/ρ)',
    metric: 'tvToTruth',
    field: PARADIGM,
    legendPaths: [MODEL_KIND],
    marker: { label: 'λ = 1: the theorem’s threshold', value: paradigmOf(THRESHOLD_SHARE) },
  },
];

const gaussianData = {
  kind: 'gaussian',
  dim: 2,
  cov: [
    [1, 0.5],
    [0.5, 1],
  ],
  trainSize: REAL,
  testSize: 1000,
  truth: 'generating',
};
const mixtureData = {
  kind: 'gaussian-mixture',
  dim: 2,
  weights: [0.7, 0.3],
  means: [
    [-2, 0],
    [2, 0],
  ],
  covs: [0.5, 0.5],
  trainSize: REAL,
  testSize: 1000,
  truth: 'generating',
};

export const bertrandStability: StudyPreset = {
  name: 'bertrand-stability',
  description:
    'Bertrand et al. (ICLR 2024): retraining on all the real data plus λ times as much of the model’s own samples, real-data ' +
    'share ρ = 1/(1 + λ) ∈ {1, 1/2, 1/5, 0}, Gaussian and GMM kinds in 2-D, n = 100, 30 generations, 5 seeds; TV of each ' +
    'generation’s fitted density to the truth, stable at ρ ≥ 1/2 (the theorem’s λ < 1) and collapsing without real data.',
  expectedMinutes: 40 * 0.3,
  study: {
    name: 'bertrand-stability',
    description:
      'Claim (Bertrand et al.): iterative retraining on real data plus λ× synthetic is stable when the first model is close to ' +
      'the data and λ small enough (λ < 1 for an accurate first model); fully synthetic retraining collapses. Ours: tvToTruth ' +
      'against the real share ρ (mixed:ρ, all real rows every generation) for the Gaussian and GMM kinds.',
    base: {
      dataset: gaussianData,
      islands: { count: 1, split: 'iid' },
      model: { kind: 'gaussian', params: { ridge: 1e-6 } },
      // enough kept draws for the largest synthetic part (ρ = 1/5: 400 rows), so every synthetic row is a fresh model draw
      loop: { generations: GENERATIONS, paradigm: 'mixed:1', keep: 4 * REAL, ratio: 1 },
      selection: { scheme: 'none' },
      metrics: { downstream: false, maxSamples: 400 },
      gridSamples: 1,
    },
    axes: [
      {
        zip: [
          { path: MODEL_KIND, values: [...KINDS] },
          { path: 'model.params', values: [{ ridge: 1e-6 }, { k: 2, tol: 1e-6, maxIter: 200 }] },
          { path: 'dataset', values: [gaussianData, mixtureData] },
        ],
      },
      {
        zip: [
          { path: PARADIGM, values: SHARES.map(paradigmOf) },
          { path: TRAIN_SIZE, values: SHARES.map(trainSizeOf) },
        ],
      },
    ],
    seeds: 5,
    storage: 'metrics',
    metrics: ['tvToTruth', 'tvToTruthRise', 'tvToTruthError'],
  },
  claim,
  figures,
  verdict: bertrandStabilityVerdict,
};
