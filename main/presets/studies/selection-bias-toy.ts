import type { PaperClaim, StudyFigureSpec, StudyVerdict, VerdictCheck } from '../../contract/paper-claim';
import type { MetricStat, StudyAggregate, StudyCellAggregate } from '../../contract/study-aggregate';
import type { StudyPreset } from './index';

/**
 * The selection-bias paper's Gaussian toy (seed 000, Theorems 1–2): d = 10, real data N(0, I) (1,000 rows), the
 * Gaussian refitted by maximum likelihood (+1e-6·I) each generation, 1,000 candidates and 100 kept, 100 generations,
 * 3 seeds; loop.paradigm replace / accumulate-synthetic × selection.scheme none / topalpha, the verifier aimed at the
 * theory's biased target (selection.target shifted-real: u* = the real mean with the first 5 coordinates shifted by
 * N(0, 3²), Σ_bias = 0.3·Σ*). Schemes without a reference ignore the target, so the cells are labelled by the two
 * values alone. The paper's accumulate (its public code's) pools the synthetic samples only: our
 * `accumulate-synthetic`; our `accumulate` also keeps the real data in the pool, which holds Tr(Σ̄) near 10.
 */

const CELLS = [
  { paradigm: 'replace', scheme: 'none' },
  { paradigm: 'replace', scheme: 'topalpha' },
  { paradigm: 'accumulate-synthetic', scheme: 'none' },
  { paradigm: 'accumulate-synthetic', scheme: 'topalpha' },
] as const;

/**
 * An independent numpy re-run of the paper's description at this study's sizes, over 20 seeds
 * (test/fixtures/selection/simulate_selection_bias_toy.py, its output selection_bias_toy_simulation.json; the
 * preset's test holds these copies to it): the mean Tr of the fitted model at t = 1, 10, 100 (t = generation + 1) and
 * the seeds' sd of it at t = 100, and the mean and sd of a seed's ψ over generations ≥ 1. The target's random shift
 * makes a seed's ψ and trace vary widely, hence 20 seeds. The seed text gives the theorems but no numbers, so these
 * are the numbers our runs are held against.
 */
export const SELECTION_BIAS_TOY_RERUN = {
  'replace · none': { trace: { 1: 9.99, 10: 9.105, 100: 3.407 }, traceSd100: 3.35, psi: 0.42, psiSd: 0.281 },
  'replace · topalpha': { trace: { 1: 9.99, 10: 0.0571, 100: 0.00023 }, traceSd100: 0.000107, psi: 2.585, psiSd: 0.126 },
  'accumulate-synthetic · none': { trace: { 1: 9.99, 10: 9.881, 100: 9.844 }, traceSd100: 0.686, psi: 0.00213, psiSd: 0.00762 },
  'accumulate-synthetic · topalpha': { trace: { 1: 9.99, 10: 4.136, 100: 2.516 }, traceSd100: 2.223, psi: 0.31, psiSd: 0.21 },
} as const;
const RERUN = SELECTION_BIAS_TOY_RERUN;
/** Our `accumulate` (the real data kept in the pool) with the biased verifier, from the same re-run; not a cell here. */
export const SELECTION_BIAS_TOY_RERUN_ACCUMULATE_WITH_REAL = { trace100: 8.4, psi: 0.087 };
const RERUN_SEEDS = 20;

type CellName = keyof typeof RERUN;

const cellFields = (paradigm: string, scheme: string) => ({ 'loop.paradigm': paradigm, 'selection.scheme': scheme });

const claim: PaperClaim = {
  paper: '000 — When sample selection bias precipitates model collapse',
  statement:
    'A verifier that keeps the top-α candidates by closeness to a biased target u* (−Mahalanobis distance under Σ_bias) ' +
    'drives the refitted Gaussian to a point mass: the mean aligns with u* and Tr(Σ̄_t) decays as a power law t^−ψ, even ' +
    'under the Accumulate paradigm (every synthetic sample so far, as the paper’s code pools them) that is stable without ' +
    'selection (Theorems 1–2), in two stages: rapid homogenisation, then slow convergence.',
  figures: [
    {
      quantity: 'Accumulate + biased top-α selection: Tr(Σ̄_t) of the fitted model (last generation)',
      paper: '→ 0 almost surely',
      where: 'Theorem 1',
      ours: { metric: 'modelVarianceTrace', cell: cellFields('accumulate-synthetic', 'topalpha'), generation: 'last' },
    },
    {
      quantity: 'Accumulate + biased top-α selection: ‖μ̄_t − u*‖ (distance of the kept mean to u*, last generation)',
      paper: '→ 0 almost surely',
      where: 'Theorem 1',
      ours: { metric: 'selection.keptMeanToTarget', cell: cellFields('accumulate-synthetic', 'topalpha'), generation: 'last' },
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
        ...([1, 10, 100] as const).map((t) => ({
          quantity: `${name}: Tr(Σ̄) of the fitted model at t = ${t}`,
          paper: ref.trace[t],
          where: 'numpy re-run of the description',
          ours: { metric: 'modelVarianceTrace', cell: cellFields(paradigm, scheme), generation: t - 1 },
        })),
      ];
    }),
    {
      quantity: 'Our accumulate (the real data kept in the pool) + biased verifier: Tr(Σ̄) at t = 100, ψ',
      paper: `${SELECTION_BIAS_TOY_RERUN_ACCUMULATE_WITH_REAL.trace100}, ψ = ${SELECTION_BIAS_TOY_RERUN_ACCUMULATE_WITH_REAL.psi}`,
      where: 'numpy re-run of the description (not a cell of this study: set loop.paradigm accumulate to run it)',
    },
  ],
  paperSetting:
    'The paper’s toy is this size (d = 10, 100 generations, 1,000 generated, 100 kept). Its accumulate pools the synthetic ' +
    'samples only, as accumulate-synthetic here; the paradigm accumulate also pools the real data, which holds Tr(Σ̄) near 10.',
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
 * replace; under accumulate-synthetic (the paper's accumulate) the biased verifier collapsing the fitted model's
 * Tr(Σ̄), the kept samples, and the kept mean moving to u* (Theorem 1), while without selection it stays stable; and
 * each cell's ψ (mean of the seeds' own fits) and Tr(Σ̄) at t = 100 (mean of the seeds) against the numpy re-run,
 * within three standard errors of the difference of the two seed means, sd the re-run's over its 20 seeds (ψ: at
 * least 0.02). These tolerances were fixed from the re-run alone, before our runs of this variant.
 */
export function selectionBiasToyVerdict(a: StudyAggregate): StudyVerdict {
  const cells = Object.fromEntries(
    CELLS.map(({ paradigm, scheme }) => [`${paradigm} · ${scheme}`, findCell(a, paradigm, scheme)]),
  ) as Record<CellName, StudyCellAggregate | undefined>;
  const fit = (name: CellName) => cells[name]?.fits.modelVarianceTrace;
  if (CELLS.some(({ paradigm, scheme }) => !fit(`${paradigm} · ${scheme}` as CellName))) {
    const missing = CELLS.filter(({ paradigm, scheme }) => !fit(`${paradigm} · ${scheme}` as CellName)).map(
      (c) => `${c.paradigm} · ${c.scheme}`,
    );
    return {
      reproduced: 'pending',
      summary: `No ψ fit of the fitted model's Tr(Σ̄) yet for ${missing.join(', ')} (runs unfinished, or fewer than 4 generations).`,
      checks: [],
    };
  }
  const checks: VerdictCheck[] = [];
  const rt = fit('replace · topalpha')!;
  const rn = fit('replace · none')!;
  const at = fit('accumulate-synthetic · topalpha')!;
  const an = fit('accumulate-synthetic · none')!;
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
  const accTop = cells['accumulate-synthetic · topalpha']!;
  const atFirst = atGeneration(accTop, 0, 'modelVarianceTrace');
  const atLast = accTop.last.metrics.modelVarianceTrace;
  checks.push({
    label: 'Theorem 1: the biased verifier collapses the fitted model under accumulate-synthetic (last Tr(Σ̄) below half of generation 0’s)',
    ours: atLast?.mean ?? null,
    against: atFirst ? 0.5 * atFirst.mean : 'no generation 0',
    pass: atFirst !== undefined && atLast !== undefined && atLast.mean < 0.5 * atFirst.mean,
  });
  checks.push({
    label: 'Theorem 2: Tr(Σ̄_t) of accumulate-synthetic · topalpha decays as a power law (ψ > 3 s.e.)',
    ours: at.psi,
    against: at.stderr === null ? 'no standard error' : `3 s.e. = ${fmt(3 * at.stderr)}`,
    pass: at.stderr !== null && at.psi > 3 * at.stderr,
  });
  const keptFirst = atGeneration(accTop, 0, 'varianceTrace');
  const keptLast = accTop.last.metrics.varianceTrace;
  checks.push({
    label: 'Theorem 1: the kept samples of accumulate-synthetic · topalpha collapse (last Tr(Σ) below half of generation 0’s)',
    ours: keptLast?.mean ?? null,
    against: keptFirst ? 0.5 * keptFirst.mean : 'no generation 0',
    pass: keptFirst !== undefined && keptLast !== undefined && keptLast.mean < 0.5 * keptFirst.mean,
  });
  const toFirst = atGeneration(accTop, 0, 'selection.keptMeanToTarget');
  const toLast = accTop.last.metrics['selection.keptMeanToTarget'];
  checks.push({
    label: 'Theorem 1: the kept mean of accumulate-synthetic · topalpha moves to u* (last distance below a quarter of generation 0’s)',
    ours: toLast?.mean ?? null,
    against: toFirst ? 0.25 * toFirst.mean : 'no generation 0',
    pass: toFirst !== undefined && toLast !== undefined && toLast.mean < 0.25 * toFirst.mean,
  });
  const anFirst = atGeneration(cells['accumulate-synthetic · none'], 0, 'modelVarianceTrace');
  const anLast = cells['accumulate-synthetic · none']!.last.metrics.modelVarianceTrace;
  checks.push({
    label: 'Accumulate-synthetic without selection is stable (last Tr(Σ̄) above 0.8 of generation 0’s)',
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
  for (const { paradigm, scheme } of CELLS) {
    const name = `${paradigm} · ${scheme}` as CellName;
    const ref = RERUN[name];
    const t100 = atGeneration(cells[name], 99, 'modelVarianceTrace');
    const tol = t100 === undefined ? 0 : 3 * ref.traceSd100 * Math.sqrt(1 / t100.n + 1 / RERUN_SEEDS);
    checks.push({
      label: `${name}: Tr(Σ̄) at t = 100 (mean of the seeds) matches the numpy re-run within ${t100 === undefined ? '—' : fmt(tol)}`,
      ours: t100?.mean ?? null,
      against: ref.trace[100],
      pass: t100 !== undefined && Math.abs(t100.mean - ref.trace[100]) <= tol,
    });
  }
  const passed = checks.filter((c) => c.pass).length;
  const reproduced = passed === checks.length ? 'yes' : passed === 0 ? 'no' : 'partly';
  const trText = (name: CellName) => {
    const v = atGeneration(cells[name], 99, 'modelVarianceTrace')?.mean;
    return v === undefined ? '—' : fmt(v);
  };
  return {
    reproduced,
    summary:
      `ψ of the fitted model's Tr(Σ̄): replace ${fmt(rt.psi)} with the biased verifier against ${fmt(rn.psi)} without ` +
      `(re-run ${fmt(RERUN['replace · topalpha'].psi)} / ${fmt(RERUN['replace · none'].psi)}); accumulate-synthetic ${fmt(at.psi)} ` +
      `against ${fmt(an.psi)} (re-run ${fmt(RERUN['accumulate-synthetic · topalpha'].psi)} / ${fmt(RERUN['accumulate-synthetic · none'].psi)}), ` +
      `Tr(Σ̄) at t = 100 ${trText('accumulate-synthetic · topalpha')} against ${trText('accumulate-synthetic · none')} ` +
      `(re-run ${fmt(RERUN['accumulate-synthetic · topalpha'].trace[100])} / ${fmt(RERUN['accumulate-synthetic · none'].trace[100])}). ` +
      `${passed} of ${checks.length} checks pass.`,
    checks,
  };
}

export const selectionBiasToy: StudyPreset = {
  name: 'selection-bias-toy',
  description:
    'The selection-bias paper’s Gaussian toy (Theorems 1–2): d = 10, 100 generations, 1,000 generated and 100 kept, ' +
    'replace / accumulate-synthetic (the paper’s accumulate: synthetic samples only) × no selection / the biased verifier ' +
    '(top-α toward u* = the real mean shifted on half the ' +
    'coordinates, Σ_bias = 0.3·Σ*), 3 seeds; Tr(Σ̄) of the fitted model on log-log axes with its ψ fit.',
  expectedMinutes: 7,
  study: {
    name: 'selection-bias-toy',
    description:
      'Claim (seed 000, Theorems 1–2): top-α selection toward a biased target collapses the refitted Gaussian to a point ' +
      'mass, Tr(Σ̄_t) = O(t^−ψ), even under accumulate (of the synthetic samples, as the paper’s); checked against a numpy ' +
      're-run of the description.',
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
      { path: 'loop.paradigm', values: ['replace', 'accumulate-synthetic'] },
      { path: 'selection.scheme', values: ['none', 'topalpha'] },
    ],
    seeds: 3,
  },
  claim,
  figures,
  verdict: selectionBiasToyVerdict,
};
