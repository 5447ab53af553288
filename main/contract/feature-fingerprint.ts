import { z } from 'zod';

/**
 * What a feature metric (Fréchet distance, precision/recall/density/coverage, Tr(Σ) of features, covariance gap) was
 * computed with: the feature network (name, family, weights sha256, layer, input size, resize and normalisation), the
 * feature dimension and the sample counts of each side. Two such numbers are comparable only when their fingerprints
 * agree; each metrics line carries its own, the comparison table and the curves refuse to mix them in one column, and
 * the Fréchet distance is named by its space (FID only in Inception-v3's).
 */
export const featureFingerprint = z.object({
  /** The feature space as configured: `raw`, `reference`, `pca:K` or `onnx:PATH`. */
  space: z.string(),
  /** The network, e.g. "inception-v3-pytorch-fid", "reference classifier (mnist)", "pixels", "PCA-32". */
  network: z.string(),
  /** What names the Fréchet distance: inception → FID, dinov2 → FD_DINOv2, others → FD (network). */
  family: z.enum(['inception', 'dinov2', 'reference', 'pixels', 'pca', 'other']),
  /** sha256 of the network's weights file(s), where there is a network. */
  weightsSha256: z.string().optional(),
  /** The layer the features are, e.g. "pool3". */
  layer: z.string().optional(),
  /** Height and width of the network's input. */
  inputSize: z.array(z.number().int()).optional(),
  /** How images reach the network: resize, channel order, normalisation. */
  preprocessing: z.string().optional(),
  featureDim: z.number().int().min(0),
  /** Samples of each side the metric saw (after the seeded subsample). */
  nReal: z.number().int().min(0),
  nGenerated: z.number().int().min(0),
});
export type FeatureFingerprint = z.infer<typeof featureFingerprint>;

/** The metrics computed in the feature space, which its fingerprint describes. */
export const FEATURE_METRICS: readonly string[] = [
  'fid',
  'precision',
  'recall',
  'density',
  'coverage',
  'traceFeatures',
  'traceFeaturesTest',
  'covarianceGap',
  'featureDim',
];

export function isFeatureMetric(key: string): boolean {
  return FEATURE_METRICS.includes(key);
}

/** The Fréchet distance's name in a space: FID (Inception-v3 only), FD_DINOv2, or "FD (network)". */
export function frechetName(fp: Pick<FeatureFingerprint, 'family' | 'network'> | undefined): string {
  if (!fp) return 'FID';
  if (fp.family === 'inception') return 'FID';
  if (fp.family === 'dinov2') return 'FD_DINOv2';
  if (fp.family === 'reference') return 'FD (reference classifier)';
  if (fp.family === 'pixels') return fp.network === 'raw data' ? 'FD (raw data)' : 'FD (pixels)';
  return `FD (${fp.network})`;
}

/** The space's short name, e.g. "Inception-v3 pool3" or "reference classifier (mnist)": what a PRDC label adds. */
export function spaceName(fp: FeatureFingerprint): string {
  return fp.layer && fp.family !== 'reference' ? `${fp.network} ${fp.layer}` : fp.network;
}

/** One key per comparable set of fingerprints: the network and how it was fed, the dimension and the sample counts. */
export function fingerprintKey(fp: FeatureFingerprint | undefined): string {
  if (!fp) return 'unrecorded';
  return [
    fp.network,
    fp.weightsSha256 ?? '',
    fp.layer ?? '',
    (fp.inputSize ?? []).join('x'),
    fp.preprocessing ?? '',
    fp.featureDim,
    fp.nReal,
    fp.nGenerated,
  ].join('|');
}

/** The fingerprint as lines for a hover or a table note. */
export function describeFingerprint(fp: FeatureFingerprint): string[] {
  const lines = [`features: ${fp.network}${fp.layer ? `, layer ${fp.layer}` : ''} (${fp.featureDim}-d; space ${fp.space})`];
  if (fp.weightsSha256) lines.push(`weights sha256 ${fp.weightsSha256.slice(0, 16)}…`);
  if (fp.inputSize) lines.push(`input ${fp.inputSize.join('×')}${fp.preprocessing ? `; ${fp.preprocessing}` : ''}`);
  else if (fp.preprocessing) lines.push(fp.preprocessing);
  lines.push(`samples: ${fp.nReal} real, ${fp.nGenerated} generated`);
  if (Math.min(fp.nReal, fp.nGenerated) <= fp.featureDim) lines.push(singularWarning(fp));
  return lines;
}

/** Fewer samples than feature dimensions: the covariance is singular, and the Fréchet distance is biased. */
export function singularWarning(fp: Pick<FeatureFingerprint, 'nReal' | 'nGenerated' | 'featureDim'>): string {
  return (
    `fewer samples (${Math.min(fp.nReal, fp.nGenerated)}) than feature dimensions (${fp.featureDim}): the covariance is ` +
    'singular, so the Fréchet distance is biased and not comparable with one from more samples'
  );
}
