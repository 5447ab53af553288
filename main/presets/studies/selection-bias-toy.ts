import type { PaperClaim, StudyFigureSpec, StudyVerdict, VerdictCheck } from '../../contract/paper-claim';
import type { MetricStat, StudyAggregate, StudyCellAggregate } from '../../contract/study-aggregate';
import type { StudyPreset } from './index';

/**
 * The selection-bias paper's Gaussian toy (seed 000, Theorems 1–2): d = 10, real data N(0, I) (1,000 rows), the
 * Gaussian refitted by maximum likelihood (+1e-6·I) each generation, 1,000 candidates and 100 kept, 100 generations,
 * 3 seeds; loop.paradigm replace / accumulate × selection.scheme none / topalpha, the verifier aimed at the theory's
 * biased target (selection.target shifted-real: u* = the real mean with the first 5 coordinates shifted by N(0, 3²),
 * Σ_bias = 0.3·Σ*). Schemes without a reference ignore the target, so the cells are labelled by the two values alone.
 * Our `accumulate` keeps the real data in the pool; the public code's accumulates synthetic samples only (the
 * re-run below gives both).
 */

const CELLS = [
  { paradigm: 'replace', scheme: 'none' },
  { paradigm: 'replace', scheme: 'topalpha' },
  { paradigm: 'accumulate', scheme: 'none' },
  { paradigm: 'accumulate', scheme: 'topalpha' },
] as const;

/**
 * An independent numpy re-run of the paper's description at this study's sizes, over 20 seeds
 * (test/fixtures/selection/simulate_selection_bias_toy.py, its output selection_bias_toy_simulation.json): the mean
 * Tr of the fitted model at t = 1, 10, 100 (t = generation + 1), and the mean and sd of a seed's ψ over generations
 * ≥ 1. The target's random shift makes a seed's ψ vary widely, hence 20 seeds. The seed text gives the theorems but no
 * numbers, so these are the numbers our runs are held against.
 */
const RERUN = {
  'replace · none': { trace: { 1: 9.99, 10: 9.11, 100: 3.41 }, psi: 0.42, psiSd: 0.281 },
  'replace · topalpha': { trace: { 1: 9.99, 10: 0.0571, 100: 0.00023 }, psi: 2.585, psiSd: 0.126 },
  'accumulate · none': { trace: { 1: 9.99, 10: 9.98, 100: 9.96 }, psi: 0.001, psiSd: 0.004 },
  'accumulate · topalpha': { trace: { 1: 9.99, 10: 10.22, 100: 8.4 }, psi: 0.087, psiSd: 0.156 },
} as const;
/** The public code's accumulate (synthetic samples only) with the biased verifier, from the same re-run. */
const RERUN_SYNTHETIC_ONLY = { trace100: 2.52, psi: 0.31 };
const RERUN_SEEDS = 20;

type CellName = keyof typeof RERUN;

const cellFields = (paradigm: string, scheme: string) => ({ 'loop.paradigm': paradigm, 'selection.scheme': scheme });

const claim: PaperClaim = {
  paper: '000 — When sample selection bias precipitates model collapse',
  statement:
    'A verifier that keeps the top-α candidates by closeness to a biased target u* (−Mahalanobis distance under Σ_bias) ' +
    'drives the refitted Gaussian to a point mass: the mean aligns with u* and Tr(Σ̄_t) decays as a power law t^−ψ, even ' +
    'under the Accumulate paradigm that is stable without selection (Theorems 1–2), in two stages: rapid homogenisation, ' +
    'then slow convergence.',
  figures: [
    { quantity: 'Accumulate + biased top-α selection: Σ̄_t', paper: '→ 0 almost surely', where: 'Theorem 1' },
    {
      quantity: 'Accumulate + biased top-α selection: ‖μ̄_t − u*‖ (distance of the kept mean to u*, last generation)',
      paper: '→ 0 almost surely',
      where: 'Theorem 1',
      ours: { metric: 'selection.keptMeanToTarget', cell: cellFields('accumulate', 'topalpha'), generation: 'last' },
    },
    { quantity: 'Tr(Σ̄_t) under biased selection', paper: 'O(t^−ψ), ψ from the spectral gap', where: 'Theorem 2' },
    ...CELLS.flatMap(({ paradigm, scheme }) => {
      const name = `${paradigm} · ${scheme}` as CellName;
      const ref = RERUN[name];
      return [
        {
          quantity: `${name}: ψ of Tr(Σ̄_t), generations ≥ 1 (mean of the seeds)`,
          paper: ref.psi,
          where: 'numpy re-run of the description (simulate_selection_bias_toy.py)',
          ours: { metric: 'powerLawPsi', cell: cellFields(paradigm, scheme), generation: 'last' as const },
        },
        {
          quantity: `${name}: Tr(Σ̄) of the fitted model at t = 10`,
          paper: ref.trace[10],
          where: 'numpy re-run of the description',
          ours: { metric: 'modelVarianceTrace', cell: cellFields(paradigm, scheme), generation: 9 },
        },
        {
          quantity: `${name}: Tr(Σ̄) of the fitted model at t = 100`,
          paper: ref.trace[100],
          where: 'numpy re-run of the description',
          ours: { metric: 'modelVarianceTrace', cell: cellFields(paradigm, scheme), generation: 99 },
        },
      ];
    }),
    {
      quantity: 'The public code’s accumulate (synthetic samples only) + biased verifier: Tr(Σ̄) at t = 100, ψ',
      paper: `${RERUN_SYNTHETIC_ONLY.trace100}, ψ = ${RERUN_SYNTHETIC_ONLY.psi}`,
      where: 'numpy re-run of the description (no matching paradigm here: ours keeps the real data in the pool)',
    },
  ],
  paperSetting:
    'The paper’s toy is this size (d = 10, 100 generations, 1,000 generated, 100 kept). Its accumulate pools the synthetic ' +
    'samples only; ours pools the real data with them, which holds Tr(Σ̄) up for longer.',
};

const figures: StudyFigureSpec[] = [
  { kind: 'loglog-trace', title: 'Tr(Σ̄) of the fitted model against t (log-log), with the ψ fit', metric: 'modelVarianceTrace' },
  { kind: 'loglog-trace', title: 'Tr(Σ) of the kept samples against t (log-log)', metric: 'varianceTrace' },
  { kind: 'metric-vs-generation', title: 'Distance of the kept mean to the target u*', metric: 'selection.keptMeanToTarget', logY: true },
];

function findCell(a: StudyAggregate, paradigm: string, scheme: string): StudyCellAggregate | undefined {
  return a.cells.find((c) => c.fields['loop.paradigm'] === paradigm && c.fields['selection.scheme'] === scheme);
}

function atGeneration(c: StudyCellAggregate | undefined, g: number, metric: string): MetricStat | undefined {
  return c?.generations.find((x) => x.generation === g)?.metrics[metric];
}

const fmt = (v: number) => (Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(3) : v.toExponential(2));

/**
 * The verdict, from the aggregate: Theorem 2's power law under the biased verifier and selection making it faster under
 * replace; under accumulate (real data kept in the pool) the fitted model's Tr(Σ̄) held away from 0 while the kept
 * samples collapse and their mean moves to u* (Theorem 1); accumulate without selection stable; and each cell's ψ (mean
 * of the seeds' own fits) against the numpy re-run, within three standard errors of the difference of the two seed
 * means (at least 0.02).
 */
export function selectionBiasToyVerdict(a: StudyAggregate): StudyVerdict {
  const cells = Object.fromEntries(CELLS.map(({ paradigm, scheme }) => [`${paradigm} · ${scheme}`, findCell(a, paradigm, scheme)])) as Record<
    CellName,
    StudyCellAggregate | undefined
  >;
  const fit = (name: CellName) => cells[name]?.fits.modelVarianceTrace;
  if (CELLS.some(({ paradigm, scheme }) => !fit(`${paradigm} · ${scheme}` as CellName))) {
    const missing = CELLS.filter(({ paradigm, scheme }) => !fit(`${paradigm} · ${scheme}` as CellName)).map((c) => `${c.paradigm} · ${c.scheme}`);
    return {
      reproduced: 'pending',
      summary: `No ψ fit of the fitted model's Tr(Σ̄) yet for ${missing.join(', ')} (runs unfinished, or fewer than 4 generations).`,
      checks: [],
    };
  }
  const checks: VerdictCheck[] = [];
  const rt = fit('replace · topalpha')!;
  const rn = fit('replace · none')!;
  const at = fit('accumulate · topalpha')!;
  const an = fit('accumulate · none')!;
  checks.push({
    label: 'Theorem 2: Tr(Σ̄_t) of replace · topalpha decays as a power law (ψ > 3 s.e.)',
    ours: rt.psi,
    against: rt.stderr === null ? 'no standard error' : `3 s.e. = ${fmt(3 * rt.stderr)}`,
    pass: rt.stderr !== null && rt.psi > 3 * rt.stderr,
  });
  checks.push({
    label: 'Biased selection at least doubles ψ under replace (ψ of replace · none as reference)',
    ours: rt.psi,
    against: rn.psi,
    pass: rt.psi > 2 * rn.psi,
  });
  // with the real data kept in the pool, the re-run's Tr(Σ̄) does not decay within 100 generations (a seed's ψ is
  // 0.09 ± 0.16): Theorem 1 shows in the kept samples and their mean, checked next
  const atFirst = atGeneration(cells['accumulate · topalpha'], 0, 'modelVarianceTrace');
  const atLast = cells['accumulate · topalpha']!.last.metrics.modelVarianceTrace;
  checks.push({
    label: 'Accumulate keeps the fitted model’s Tr(Σ̄) away from 0 with the biased verifier (last above half of generation 0’s)',
    ours: atLast?.mean ?? null,
    against: atFirst ? 0.5 * atFirst.mean : 'no generation 0',
    pass: atFirst !== undefined && atLast !== undefined && atLast.mean > 0.5 * atFirst.mean,
  });
  const keptFirst = atGeneration(cells['accumulate · topalpha'], 0, 'varianceTrace');
  const keptLast = cells['accumulate · topalpha']!.last.metrics.varianceTrace;
  checks.push({
    label: 'Theorem 1: the kept samples of accumulate · topalpha collapse (last Tr(Σ) below half of generation 0’s)',
    ours: keptLast?.mean ?? null,
    against: keptFirst ? 0.5 * keptFirst.mean : 'no generation 0',
    pass: keptFirst !== undefined && keptLast !== undefined && keptLast.mean < 0.5 * keptFirst.mean,
  });
  const toFirst = atGeneration(cells['accumulate · topalpha'], 0, 'selection.keptMeanToTarget');
  const toLast = cells['accumulate · topalpha']!.last.metrics['selection.keptMeanToTarget'];
  checks.push({
    label: 'Theorem 1: the kept mean of accumulate · topalpha moves to u* (last distance below a quarter of generation 0’s)',
    ours: toLast?.mean ?? null,
    against: toFirst ? 0.25 * toFirst.mean : 'no generation 0',
    pass: toFirst !== undefined && toLast !== undefined && toLast.mean < 0.25 * toFirst.mean,
  });
  const anFirst = atGeneration(cells['accumulate · none'], 0, 'modelVarianceTrace');
  const anLast = cells['accumulate · none']!.last.metrics.modelVarianceTrace;
  checks.push({
    label: 'Accumulate without selection is stable (last Tr(Σ̄) above 0.8 of generation 0’s)',
    ours: anLast?.mean ?? null,
    against: anFirst ? 0.8 * anFirst.mean : 'no generation 0',
    pass: anFirst !== undefined && anLast !== undefined && anLast.mean > 0.8 * anFirst.mean,
  });
  for (const { paradigm, scheme } of CELLS) {
    const name = `${paradigm} · ${scheme}` as CellName;
    const ref = RERUN[name];
    const seedPsi = fit(name)!.seedPsi;
    // two seed means of one distribution: |difference| within 3·sd·√(1/n + 1/20), sd the re-run's (20 seeds)
    const tol = seedPsi === null ? 0 : Math.max(0.02, 3 * ref.psiSd * Math.sqrt(1 / seedPsi.n + 1 / RERUN_SEEDS));
    checks.push({
      label: `${name}: ψ (mean of the seeds) matches the numpy re-run within ${seedPsi === null ? '—' : fmt(tol)}`,
      ours: seedPsi?.mean ?? null,
      against: ref.psi,
      pass: seedPsi !== null && Math.abs(seedPsi.mean - ref.psi) <= tol,
    });
  }
  const passed = checks.filter((c) => c.pass).length;
  const reproduced = passed === checks.length ? 'yes' : passed === 0 ? 'no' : 'partly';
  return {
    reproduced,
    summary:
      `ψ of the fitted model's Tr(Σ̄): replace ${fmt(rt.psi)} with the biased verifier against ${fmt(rn.psi)} without ` +
      `(re-run ${fmt(RERUN['replace · topalpha'].psi)} / ${fmt(RERUN['replace · none'].psi)}); accumulate ${fmt(at.psi)} ` +
      `against ${fmt(an.psi)} (re-run ${fmt(RERUN['accumulate · topalpha'].psi)} / ${fmt(RERUN['accumulate · none'].psi)}). ` +
      `${passed} of ${checks.length} checks pass.`,
    checks,
  };
}

export const selectionBiasToy: StudyPreset = {
  name: 'selection-bias-toy',
  description:
    'The selection-bias paper’s Gaussian toy (Theorems 1–2): d = 10, 100 generations, 1,000 generated and 100 kept, ' +
    'replace / accumulate × no selection / the biased verifier (top-α toward u* = the real mean shifted on half the ' +
    'coordinates, Σ_bias = 0.3·Σ*), 3 seeds; Tr(Σ̄) of the fitted model on log-log axes with its ψ fit.',
  expectedMinutes: 4,
  study: {
    name: 'selection-bias-toy',
    description:
      'Claim (seed 000, Theorems 1–2): top-α selection toward a biased target collapses the refitted Gaussian to a point ' +
      'mass, Tr(Σ̄_t) = O(t^−ψ), even under accumulate; checked against a numpy re-run of the description.',
    base: {
      dataset: { kind: 'gaussian', dim: 10, trainSize: 1000, testSize: 1000 },
      islands: { count: 1, split: 'iid' },
      model: { kind: 'gaussian', params: { ridge: 1e-6 } },
      loop: { generations: 100, paradigm: 'replace', keep: 100, ratio: 10 },
      selection: {
        scheme: 'none',
        features: 'raw',
        params: {},
        target: { kind: 'shifted-real', shiftSd: 3, fraction: 0.5, covScale: 0.3 },
      },
      // the metrics against the test split use 200 rows a side: the exact W₁ on 100 × 1,000 points would take most of
      // each generation's time, and the claim is about the traces
      metrics: { downstream: false, maxSamples: 200 },
      gridSamples: 100,
    },
    axes: [
      { path: 'loop.paradigm', values: ['replace', 'accumulate'] },
      { path: 'selection.scheme', values: ['none', 'topalpha'] },
    ],
    seeds: 3,
  },
  claim,
  figures,
  verdict: selectionBiasToyVerdict,
};
