/**
 * Every metric a run records, named once: its key in `metrics.jsonl`, its proper name, the section it belongs to,
 * and which direction is better. The run record's schema (run-record.ts), the study aggregate and tables, the CLI and
 * the renderer's charts all read this list; a metric missing here is still recorded and aggregated, under its key.
 */

export type MetricSection = 'quality' | 'diversity' | 'training' | 'cost' | 'bookkeeping' | 'model';

/**
 * What a run's samples are, for the names of the metrics computed on the raw data: images (pixels), vectors (the
 * Gaussian toys, a `.npy` of vectors), or a mix (a comparison or a study across both). A dataset config's space is
 * `sampleSpaceOf` (main/contract/datasets/dataset-kinds.ts).
 */
export type SampleSpace = 'images' | 'vectors' | 'mixed';

export interface MetricInfo {
  /** The field of a metrics line. */
  key: string;
  /** Proper name for tables and chart titles (FID, W₁, Tr(Σ), ψ); on images, where the data space is pixels. */
  label: string;
  /**
   * The name on vectors or a mix, for a metric of the raw data whose `label` says pixels: a Gaussian run has no
   * pixels. Absent: `label` holds for every space.
   */
  dataLabel?: string;
  section: MetricSection;
  /** Which way is better, where one is (FID lower, recall higher); absent for descriptive quantities. */
  better?: 'lower' | 'higher';
  /** One line of what it is. */
  description: string;
}

export const metricCatalog = [
  // quality: generated samples against the held-out real test split
  { key: 'fid', label: 'FID', section: 'quality', better: 'lower', description: 'Fréchet distance in the feature space' },
  { key: 'precision', label: 'Precision', section: 'quality', better: 'higher', description: 'k-NN precision (prdc)' },
  { key: 'recall', label: 'Recall', section: 'quality', better: 'higher', description: 'k-NN recall (prdc)' },
  { key: 'density', label: 'Density', section: 'quality', better: 'higher', description: 'k-NN density (prdc)' },
  { key: 'coverage', label: 'Coverage', section: 'quality', better: 'higher', description: 'k-NN coverage (prdc)' },
  { key: 'w1', label: 'W₁', section: 'quality', better: 'lower', description: 'exact Wasserstein-1 on the flattened data' },
  { key: 'meanDistance', label: '‖μ − μ*‖', section: 'quality', better: 'lower', description: 'distance of the mean to the real mean' },
  {
    key: 'covarianceGap',
    label: '‖Σ − Σ*‖/‖Σ*‖',
    section: 'quality',
    better: 'lower',
    description: 'relative Frobenius gap of the features’ covariance to the test split’s (seed 002)',
  },
  {
    key: 'classCovarianceGap',
    label: '‖Σ_S − Σ_c‖/‖Σ_c‖ per class',
    section: 'quality',
    better: 'lower',
    description:
      'seed 002’s objective: per class, the relative Frobenius gap of the selected rows’ covariance to the class’s real rows’, ' +
      'in the top 32 principal axes of the real ones (selection feature space), averaged over classes (class-conditional pools only)',
  },
  {
    key: 'downstreamAccuracy',
    label: 'Downstream accuracy',
    section: 'quality',
    better: 'higher',
    description: 'classifier trained on the generation, tested on real data',
  },
  { key: 'w2', label: 'W₂ to truth', section: 'quality', better: 'lower', description: 'W₂ to the true distribution (1-D)' },
  {
    key: 'w2Gaussian',
    label: 'W₂ (Gaussian) to truth',
    section: 'quality',
    better: 'lower',
    description: 'W₂ between moment-matched Gaussians of samples and truth',
  },
  {
    key: 'w2Recursion',
    label: 'W₂ of the exact recursion',
    section: 'quality',
    description: 'W₂ to truth of the closed-form law of the recursion at this generation (exact score, no sampling error; 1-D)',
  },
  {
    key: 'w2Limit',
    label: 'W₂ of the constant-δ limit',
    section: 'quality',
    description: 'W₂ to truth of the closed-form limit of the constant truncation schedule at δ0 (seed 001; 1-D)',
  },
  {
    key: 'scoreErrorL2',
    label: '∫E‖e‖² dt',
    section: 'quality',
    better: 'lower',
    description: 'L² score error integrated over the reverse process (the naive KL bound)',
  },
  { key: 'scoreErrorL2Stderr', label: '∫E‖e‖² s.e.', section: 'quality', description: 'standard error of the L² score error' },
  {
    key: 'scoreErrorDiscounted',
    label: 'Σ(1−α)^{2m} ε²',
    section: 'quality',
    description:
      'score-error energies ∫E‖e‖² dt of this and the earlier generations, discounted by (1 − α)² per generation for the real share α (Khelifa et al.)',
  },
  {
    key: 'klGaussian',
    label: 'KL to truth (Gaussian)',
    section: 'quality',
    better: 'lower',
    description: 'KL divergence of the moment-matched Gaussian of the samples to the truth’s (finite; ≈ χ²/2 for small drifts)',
  },
  {
    key: 'chiSquareGaussian',
    label: 'χ² to truth (Gaussian)',
    section: 'quality',
    better: 'lower',
    description: 'χ² divergence of the moment-matched Gaussian of the samples to the truth’s (omitted where infinite)',
  },
  {
    key: 'scoreErrorGradient',
    label: '∫‖Πe‖² dt',
    section: 'quality',
    better: 'lower',
    description: 'gradient component of the score error (the paper’s KL bound), by the dual Sobolev form',
  },
  { key: 'scoreErrorGradientStderr', label: '∫‖Πe‖² s.e.', section: 'quality', description: 'standard error of the gradient component' },
  {
    key: 'energyToExact',
    label: 'Energy distance to exact',
    section: 'quality',
    better: 'lower',
    description: 'energy distance of the samples to exact draws of p̂_δ',
  },
  {
    key: 'w2GaussianToExact',
    label: 'W₂ (Gaussian) to exact',
    section: 'quality',
    better: 'lower',
    description: 'W₂ between moment-matched Gaussians of the samples and p̂_δ',
  },
  {
    key: 'tvToExact',
    label: 'TV to exact',
    section: 'quality',
    better: 'lower',
    description: 'total variation of a KDE of the samples to p̂_δ (d ≤ 2)',
  },
  {
    key: 'tvToTruth',
    label: 'TV to truth',
    section: 'quality',
    better: 'lower',
    description:
      'total variation to the declared truth: of the fitted model’s density (grid, d ≤ 2; importance sampling, d = 3), or of a KDE of the samples (diffusion-exact, d ≤ 2)',
  },
  {
    key: 'tvToTruthRise',
    label: 'TV to truth − generation 0',
    section: 'quality',
    better: 'lower',
    description:
      'tvToTruth minus the run’s generation-0 value (the model of the real data alone): the loop’s own share, paired within the run',
  },
  {
    key: 'tvToTruthError',
    label: 'TV to truth ±',
    section: 'quality',
    description: 'error estimate of tvToTruth: Richardson + mass outside the grid (d ≤ 2), standard error (d = 3)',
  },
  {
    key: 'w2ToTruth',
    label: 'W₂ to Gaussian truth',
    section: 'quality',
    better: 'lower',
    description: 'W₂ between N(kept samples’ mean, covariance) and the declared Gaussian truth (closed form)',
  },
  {
    key: 'klToTruth',
    label: 'KL to truth',
    section: 'quality',
    better: 'lower',
    description: 'KL(KDE of the samples ‖ truth) on a grid (d ≤ 2)',
  },
  {
    key: 'klToExact',
    label: 'KL to exact',
    section: 'quality',
    better: 'lower',
    description: 'KL(KDE of the samples ‖ p̂_δ) on a grid (d ≤ 2)',
  },
  {
    key: 'w2Features',
    label: 'W₂ features',
    section: 'quality',
    better: 'lower',
    description: 'W₂ between the Gaussians of the generated and test features’ moments (= √FID)',
  },
  // diversity
  {
    key: 'w2FeaturesSpread',
    label: 'W₂ features, covariance part',
    section: 'diversity',
    better: 'lower',
    description: 'the covariance (Bures) part of W₂ features, the means’ difference removed: how far the spread is from the test’s',
  },
  {
    key: 'varianceTrace',
    label: 'Tr(Σ) of the kept samples',
    section: 'diversity',
    description: 'trace of the kept samples’ covariance (data space)',
  },
  {
    key: 'modelVarianceTrace',
    label: 'Tr(Σ̄) of the fitted model',
    section: 'diversity',
    description:
      'trace of the fitted model’s covariance (Tr(Σ̄_t) of the selection-bias theorems): exact for models that expose it (gaussian), else of the candidates’ sample covariance (modelVarianceTraceCandidates says how many)',
  },
  { key: 'traceFeatures', label: 'Tr(Σ) features', section: 'diversity', description: 'trace of the covariance of the generated features' },
  {
    key: 'tracePixels',
    label: 'Tr(Σ) pixels',
    dataLabel: 'Tr(Σ) data',
    section: 'diversity',
    description: 'trace of the covariance of the generated data (subsample)',
  },
  {
    key: 'traceFeaturesTest',
    label: 'Tr(Σ) features, test',
    section: 'diversity',
    description: 'trace of the covariance of the test features',
  },
  {
    key: 'tracePixelsTest',
    label: 'Tr(Σ) pixels, test',
    dataLabel: 'Tr(Σ) data, test',
    section: 'diversity',
    description: 'trace of the covariance of the test data (of the declared truth, where the dataset declares one)',
  },
  {
    key: 'powerLawPsi',
    label: 'ψ per seed',
    section: 'diversity',
    description:
      'exponent of the fitted model’s Tr(Σ̄_t) ~ t^−ψ (t = generation + 1), this run’s own fit over t ∈ [metrics.psiFromT ' +
      '(default 10), generation + 1]; over a study’s seeds, their mean ± sd (not ψ of the cell mean)',
  },
  {
    key: 'modelMeanSqError',
    label: '‖μ̂ − μ‖²',
    section: 'quality',
    better: 'lower',
    description: 'squared error of the fitted model’s mean to the declared truth’s (models that know their mean: the Gaussian)',
  },
  {
    key: 'modelTestNll',
    label: 'Test NLL',
    section: 'quality',
    better: 'lower',
    description:
      'mean negative log-likelihood (nats) of the held-out real test rows (at most metrics.maxSamples) under the fitted model’s density (models with one: the Gaussian, the GMM, the KDE); computed only when a selection lists it',
  },
  {
    key: 'modelCovarianceLogDet',
    label: 'log det Σ̄',
    section: 'diversity',
    better: 'higher',
    description: 'log-determinant of the fitted model’s covariance (models that know it: the Gaussian)',
  },
  { key: 'powerLawPsiStderr', label: 'ψ per seed s.e.', section: 'diversity', description: 'standard error of the run’s own ψ fit' },
  {
    key: 'classEntropy',
    label: 'Class entropy',
    section: 'diversity',
    better: 'higher',
    description: 'entropy (nats) of the predicted classes',
  },
  {
    key: 'classesCovered',
    label: 'Classes covered',
    section: 'diversity',
    better: 'higher',
    description: 'classes with at least a tenth of their uniform share',
  },
  // training
  { key: 'trainLoss', label: 'Training loss', section: 'training', description: 'last epoch’s mean loss' },
  { key: 'generatorLoss', label: 'Generator loss', section: 'training', description: 'WGAN-GP generator loss' },
  { key: 'criticAccuracy', label: 'Critic accuracy', section: 'training', description: 'WGAN-GP critic accuracy on held-out data' },
  { key: 'criticScoreGap', label: 'Critic score gap', section: 'training', description: 'WGAN-GP critic score real − fake' },
  {
    key: 'criticAccuracySigmoid',
    label: 'Critic accuracy (sigmoid)',
    section: 'training',
    description: 'WGAN-GP share of real images the sigmoid critic scores above ½ (criticSigmoid only)',
  },
  { key: 'emIterations', label: 'EM iterations', section: 'training', description: 'GMM EM iterations' },
  { key: 'emConverged', label: 'EM converged', section: 'training', description: 'GMM EM converged (1) or not (0)' },
  { key: 'kdeFactor', label: 'KDE factor', section: 'model', description: 'KDE bandwidth factor' },
  { key: 'truncationDelta', label: 'δ', section: 'model', description: 'diffusion truncation time' },
  { key: 'trainingThreads', label: 'Training threads', section: 'model', description: 'threads of VAE training' },
  // cost
  {
    key: 'trainSeconds',
    label: 'Training s',
    section: 'cost',
    better: 'lower',
    description: 'wall seconds of training the generation’s model',
  },
  { key: 'sampleSeconds', label: 'Sampling s', section: 'cost', better: 'lower', description: 'wall seconds of drawing the candidates' },
  {
    key: 'selectionSeconds',
    label: 'Selection s',
    section: 'cost',
    better: 'lower',
    description: 'wall seconds of selection, candidate features included',
  },
  { key: 'metricsSeconds', label: 'Metrics s', section: 'cost', description: 'wall seconds of the metrics' },
  {
    key: 'writeSeconds',
    label: 'Writing s',
    section: 'cost',
    description: 'wall seconds of writing the generation’s files (grids, kept samples, model)',
  },
  { key: 'seconds', label: 'Generation s', section: 'cost', better: 'lower', description: 'wall seconds of the generation' },
  {
    key: 'islandBytesSentTotal',
    label: 'Bytes sent',
    section: 'cost',
    better: 'lower',
    description: 'bytes all islands sent to the selector',
  },
  // bookkeeping
  { key: 'trainSize', label: 'Training size', section: 'bookkeeping', description: 'rows the model trained on' },
  { key: 'realInTraining', label: 'Real in training', section: 'bookkeeping', description: 'real rows in the training set' },
  { key: 'syntheticInTraining', label: 'Synthetic in training', section: 'bookkeeping', description: 'synthetic rows in the training set' },
  { key: 'candidates', label: 'Candidates N', section: 'bookkeeping', description: 'candidates sampled' },
  {
    key: 'modelVarianceTraceCandidates',
    label: 'Candidates behind Tr(Σ̄)',
    section: 'bookkeeping',
    description: 'candidates whose sample covariance gave modelVarianceTrace (absent: the model’s exact covariance)',
  },
  { key: 'kept', label: 'Kept n', section: 'bookkeeping', description: 'candidates kept' },
  { key: 'nGenerated', label: 'n generated (metrics)', section: 'bookkeeping', description: 'generated samples used by the metrics' },
  { key: 'nTest', label: 'n test (metrics)', section: 'bookkeeping', description: 'test samples used by the metrics' },
  { key: 'featureDim', label: 'Feature dim', section: 'bookkeeping', description: 'dimension of the metrics’ feature space' },
  { key: 'k', label: 'k', section: 'bookkeeping', description: 'neighbours of precision/recall' },
  { key: 'w1Points', label: 'W₁ points', section: 'bookkeeping', description: 'points per side of W₁' },
] as const satisfies readonly MetricInfo[];

export type MetricKey = (typeof metricCatalog)[number]['key'];

const byKey = new Map<string, MetricInfo>(metricCatalog.map((m) => [m.key, m]));

/** The metrics a study's table and the comparison table show when none are chosen (those a study recorded). */
export const DEFAULT_TABLE_METRICS = [
  'fid',
  'precision',
  'recall',
  'coverage',
  'w1',
  'modelVarianceTrace',
  'varianceTrace',
  'powerLawPsi',
  'classesCovered',
  'selectionSeconds',
] as const;

/** The catalog entry of a metric key, or undefined for a key the catalog does not name. */
export function metricInfo(key: string): MetricInfo | undefined {
  return byKey.get(key);
}

/**
 * The proper name of a metric key on samples of this space (default images); the key itself when the catalog does
 * not name it. Every view of a run, a comparison or a study names its metrics through this, with its own space.
 */
export function metricLabel(key: string, space: SampleSpace = 'images'): string {
  const info = byKey.get(key);
  if (!info) return key;
  return space === 'images' ? info.label : (info.dataLabel ?? info.label);
}
