import type { StudyVerdict, VerdictCheck } from '../../contract/paper-claim';
import type { MetricStat, StudyAggregate } from '../../contract/study-aggregate';
import type { StudyPreset } from './index';
import { cellComparison, cellWith, fmt, statAt, verdictFrom } from './verdict-helpers';

const SCHEME = 'selection.scheme';
const SCHEMES = ['covmatch', 'center', 'random'] as const;
/** One round of selection: generation 0 trains on the real data, samples the pool, selects once. */
const ROUND = 0;
const CLASSES = 10;
const REAL_PER_CLASS = 200;
const SELECTED_PER_CLASS = 800;
/** The pool per class: N = 4n, as the selection paper's loop (seed 002 does not state its pool size). */
const RATIO = 4;
/**
 * Epochs of each class's VAE on its ~200 images (7 batches of 32 an epoch): the loss leaves the class-mean plateau
 * (≈ 200 nats) after about 9 epochs and reaches ≈ 160 at 20, 135 at 40 (class 0, seed 0).
 */
const EPOCHS_PER_CLASS = 20;
/**
 * Seeds: the 20-seed run of this setting gave power 67 % (against random) and 53 % (against centre) for one accuracy
 * point, about 27 and 38 seeds for 80 % (a 9-seed run: seed sd 0.54 covmatch, 1.3 random, 2.1 centre points); 38
 * resolves one point against both. The per-class covariance gap needs far fewer (its seed spread is small).
 */
const SEEDS = 38;

/**
 * The per-class covariance gap's effect for its power: covmatch's gap a tenth smaller than the other scheme's. One run
 * of this setting (seed 0) gave 0.713 (covmatch), 0.938 (centre) and 0.838 (random): 24 % and 15 % smaller; a tenth is
 * below both, so the checks' power is not borrowed from the run that sized them.
 */
const CLASS_GAP_RATIO = 1.1;
const CLASS_GAP_EFFECT_TEXT = 'a per-class gap a tenth smaller';

/** Seed 002's Table 1 (CIFAR-10, truncated StyleGAN2-Ada, training from scratch), accuracy in %. */
const PAPER = { covmatch: 54.0, center: 50.04, random: 49.38, none: 44.36, real: 61.08 };

/**
 * Seed 002 (high-dimensional analysis of synthetic data selection) in its own setting: per class, ONE round of
 * selection — n_t = 200 real and n_s = 800 selected synthetic samples per class — greedy Frobenius covariance matching
 * in the 32-d PCA subspace of each class's real features, then a classifier trained on real + selected and tested on
 * real data; against centre matching (nearest the class mean) and random selection. Per class: a class-conditional
 * generator (model.perClass: one VAE per class, trained on that class's real images only) draws each class's pool of
 * 4 × 800, and each class keeps 800 from its own pool (main/selection/class-pools.ts) against its real rows, held by
 * one island of one class (ExDir(1, 0.1), per-island reference); the selected samples train the classifier with their
 * generator's class, as the paper's class-conditional samples do. The recursive variant in the retraining loop is the
 * covariance-matching-recursive extension.
 */
export const covarianceMatching: StudyPreset = {
  name: 'covariance-matching',
  description:
    'Seed 002 in its setting: per class, one round of selection of 800 of a class’s VAE samples against its 200 real MNIST ones ' +
    '(covariance matching in 32 PCA dimensions of the reference features vs centre matching vs random), a classifier ' +
    `trained on real + selected and tested on real data, ${SEEDS} seeds.`,
  expectedMinutes: 90,
  claim: {
    paper: '002 — High-dimensional analysis of synthetic data selection (ICLR 2026)',
    statement:
      'With enough real training data, the test error of training on real + selected synthetic data depends on the synthetic ' +
      'set only through its covariance, not its mean: matching the covariance of the real data (greedy ‖Σ̂(S) − Σ̂_t‖_F per ' +
      'class in a 32-d PCA subspace of the features) beats centre matching and random selection downstream.',
    figures: [
      {
        quantity: 'Accuracy (%), scratch: covariance matching',
        paper: PAPER.covmatch,
        where: 'Table 1 (CIFAR-10)',
        ours: { metric: 'downstreamAccuracy', cell: { [SCHEME]: 'covmatch' }, generation: ROUND },
      },
      {
        quantity: 'Accuracy (%), scratch: centre matching',
        paper: PAPER.center,
        where: 'Table 1 (CIFAR-10)',
        ours: { metric: 'downstreamAccuracy', cell: { [SCHEME]: 'center' }, generation: ROUND },
      },
      {
        quantity: 'Accuracy (%), scratch: random',
        paper: PAPER.random,
        where: 'Table 1 (CIFAR-10)',
        ours: { metric: 'downstreamAccuracy', cell: { [SCHEME]: 'random' }, generation: ROUND },
      },
      { quantity: 'Accuracy (%), scratch: no synthetic / real upper bound', paper: `${PAPER.none} / ${PAPER.real}`, where: 'Table 1' },
      { quantity: 'Accuracy (%), distillation: covariance / centre / random', paper: '59.77 / 53.83 / 54.89', where: 'Table 1' },
      { quantity: 'Accuracy (%), pretrained: covariance / centre / random', paper: '69.20 / 67.01 / 67.65', where: 'Table 1' },
      { quantity: 'ImageNet-100: covariance matching vs random', paper: '57.52 vs 54.14', where: 'Table 3a' },
      {
        quantity: 'Per-class covariance gap of the selected set (PCA-32 of the class’s real features)',
        paper: 'minimised by covariance matching (its objective); it prefers diverse samples',
        where: 'Sec. 4, Table 5',
        ours: { metric: 'classCovarianceGap', cell: { [SCHEME]: 'covmatch' }, generation: ROUND },
      },
    ],
    paperSetting:
      'The paper: CIFAR-10 with CLIP ViT-B features, n_t = 200 real and n_s = 800 selected synthetic images per class from a ' +
      'truncated, class-conditional StyleGAN2-Ada (and T2I models), the greedy in a 32-d PCA subspace fitted on the class’s ' +
      'real features, a ResNet or ViT trained on real + selected (from scratch, by distillation or from a pretrained ' +
      'model; the digest does not say what the generator was trained on: the public class-conditional CIFAR-10 ' +
      'StyleGAN2-Ada saw all 50,000 training images). Here: MNIST, 2,000 real training images (about 200 per class), one ' +
      `MLP VAE per class trained on that class's images only (model.perClass, ${EPOCHS_PER_CLASS} epochs) gives each class a ` +
      `pool of ${RATIO} × 800 samples, the reference classifier's 128 features, each class's greedy selects 800 from its own ` +
      'pool against its real rows (one island per class), and the softmax regression of the downstream metric on the ' +
      "pixels (metrics.downstreamWithReal: real rows with their labels + the selected with their generator's class).",
  },
  figures: [
    {
      kind: 'metric-vs-field',
      title: 'Downstream accuracy (real + selected, tested on real data) by selection scheme',
      metric: 'downstreamAccuracy',
      field: SCHEME,
      generation: ROUND,
    },
    {
      kind: 'metric-vs-field',
      title: 'Per-class covariance gap ‖Σ_selected − Σ_class‖_F / ‖Σ_class‖_F (PCA-32, mean over classes) by selection scheme',
      metric: 'classCovarianceGap',
      field: SCHEME,
      generation: ROUND,
    },
    {
      kind: 'metric-vs-field',
      title: 'Pooled covariance gap of the selected set to the test split (class means included) by selection scheme',
      metric: 'covarianceGap',
      field: SCHEME,
      generation: ROUND,
    },
    { kind: 'class-histogram', title: 'Predicted classes of the selected samples' },
  ],
  verdict: covarianceMatchingVerdict,
  study: {
    name: 'covariance-matching',
    description:
      "Seed 002's setting: per class, 200 real + 800 selected of the class's own VAE's MNIST samples, one round; covmatch vs center vs " +
      `random, a classifier trained on real + selected, ${SEEDS} seeds.`,
    base: {
      dataset: { kind: 'mnist', subset: CLASSES * REAL_PER_CLASS, testSubset: 2000 },
      islands: { count: CLASSES, split: 'exdir:1,0.1' },
      model: { kind: 'vae-mlp', params: { epochs: EPOCHS_PER_CLASS, batchSize: 32, latent: 20 }, perClass: true },
      loop: { generations: ROUND + 1, paradigm: 'replace', keep: CLASSES * SELECTED_PER_CLASS, ratio: RATIO },
      selection: { scheme: 'random', reference: 'per-island', verifier: 0, features: 'reference', params: {} },
      metrics: {
        maxSamples: CLASSES * SELECTED_PER_CLASS,
        downstream: true,
        downstreamWithReal: true,
        compute: ['downstreamAccuracy', 'covarianceGap', 'classesCovered'],
      },
      gridSamples: 64,
      storage: 'metrics',
    },
    axes: [{ path: SCHEME, values: [...SCHEMES] }],
    seeds: SEEDS,
  },
};

/**
 * Reproduced when, after the one round, the classifier trained on real + covariance-matched samples is more accurate
 * on real test data than with centre-matched and with random samples: one-sided comparisons of the seed means at 2 s.e.,
 * each with its power for one accuracy point (the paper's gains are 4.0 and 4.6 points on CIFAR-10, where the real data
 * alone leave far more to gain than on MNIST); and when the selected set's per-class covariance gap (the greedy's own
 * objective, in each class's PCA-32 of its real features, main/metrics/class-covariance-gap.ts) is smaller for
 * covariance matching than for both (log scale, power for a gap a tenth smaller). The pooled set's gap to the test
 * split is reported beside, unchecked: it mixes in the classes' means, which the per-class objective ignores.
 */
export function covarianceMatchingVerdict(aggregate: StudyAggregate): StudyVerdict {
  const at = (scheme: string, metric: string) => statAt(cellWith(aggregate, { [SCHEME]: scheme }), metric, ROUND);
  const acc = byScheme((s) => at(s, 'downstreamAccuracy'));
  const classGap = byScheme((s) => at(s, 'classCovarianceGap'));
  const pooledGap = byScheme((s) => at(s, 'covarianceGap'));
  const checks = covarianceMatchingChecks(acc, classGap, {
    accuracy: 'accuracy on real test data of a classifier trained on real + selected (one round), covmatch',
    gap:
      'per class, ‖Σ_selected − Σ_real‖_F / ‖Σ_real‖_F in the top 32 principal axes of the class’s real features ' +
      '(seed 002’s objective), mean over the classes, covmatch',
    gapRole: 'claim',
    gapName: 'per-class covariance gap',
    gapEffect: { effect: Math.log(CLASS_GAP_RATIO), text: CLASS_GAP_EFFECT_TEXT },
  });
  const pct = (v: { mean: number } | null | undefined) => (v ? `${(100 * v.mean).toFixed(2)} %` : '—');
  const three = (g: Record<Scheme, MetricStat | null>) => `${fmt(g.covmatch?.mean)} / ${fmt(g.center?.mean)} / ${fmt(g.random?.mean)}`;
  return verdictFrom(
    checks,
    `Accuracy on real + selected: covmatch ${pct(acc.covmatch)}, center ${pct(acc.center)}, random ${pct(acc.random)} ` +
      `(paper, CIFAR-10 scratch: ${PAPER.covmatch} / ${PAPER.center} / ${PAPER.random} %); per-class covariance gap ` +
      `(covmatch / center / random) ${three(classGap)}; the pooled selected set's gap to the test split, not checked ` +
      `(it mixes in the classes' means, which the per-class objective ignores): ${three(pooledGap)}.`,
  );
}

type Scheme = (typeof SCHEMES)[number];

/** A stat for each of the three schemes. */
export function byScheme(stat: (scheme: Scheme) => MetricStat | null): Record<Scheme, MetricStat | null> {
  return { covmatch: stat('covmatch'), center: stat('center'), random: stat('random') };
}

/**
 * The claim's comparisons, here and in the covariance-matching-recursive extension: covariance matching's downstream
 * accuracy above centre matching's and random's (one-sided, 2 s.e., power for one accuracy point), and its covariance
 * gap below both (log scale, power for a gap a quarter smaller). `quantity` names what each compares, `gapRole`
 * whether the gap is part of the claim or a number beside it.
 */
export function covarianceMatchingChecks(
  acc: Record<Scheme, MetricStat | null>,
  gap: Record<Scheme, MetricStat | null>,
  quantity: {
    accuracy: string;
    gap: string;
    gapRole: 'claim' | 'number';
    /** The gap's name in the checks' labels (default "covariance gap"). */
    gapName?: string;
    /** The gap's effect on the log scale and its text (default a quarter smaller). */
    gapEffect?: { effect: number; text: string };
  },
): VerdictCheck[] {
  const others = ['center', 'random'] as const;
  return [
    ...others.map((other) =>
      cellComparison({
        label: `downstream accuracy: covariance matching > ${other}`,
        quantity: quantity.accuracy,
        ours: acc.covmatch,
        versus: { text: `the ${other} cell`, stat: acc[other] },
        direction: 'above',
        effect: 0.01,
        effectText: 'one accuracy point',
      }),
    ),
    ...others.map((other) =>
      cellComparison({
        label: `${quantity.gapName ?? 'covariance gap'}: covariance matching < ${other}`,
        quantity: quantity.gap,
        ours: gap.covmatch,
        versus: { text: `the ${other} cell`, stat: gap[other] },
        direction: 'below',
        scale: 'log',
        effect: quantity.gapEffect?.effect ?? Math.log(4 / 3),
        effectText: quantity.gapEffect?.text ?? 'a gap a quarter smaller',
        role: quantity.gapRole,
      }),
    ),
  ];
}
