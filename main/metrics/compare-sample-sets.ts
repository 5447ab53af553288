import type { FeatureSpaceSpec } from '../contract/feature-space-spec';
import type { Samples, SampleShape } from '../data/samples';
import { computeGenerationMetrics, referenceClassifierFor } from './generation-metrics';
import { slicedWasserstein1 } from './wasserstein-1';

/**
 * Every per-generation metric between two given sample sets, a real one and a generated ("fake") one, outside a run
 * (`collapse-lab metrics`). The metrics are the run's (computeGenerationMetrics), with the real set as the test split,
 * so a metric added there appears here without an edit. Named for two sets: a quantity of the test side is `…Real`,
 * its generated counterpart `…Fake` (nTest → nReal, traceFeaturesTest → traceFeaturesReal, traceFeatures →
 * traceFeaturesFake).
 *
 * W₁'s rule for large sets: exact W₁ (a transport LP) takes at most W1_EXACT_MAX points per side, a seeded
 * subsample beyond; then sliced W₁ over every point of both sets (SLICED_W1_PROJECTIONS random directions) is
 * reported beside it as w1Sliced.
 */
export const W1_EXACT_MAX = 4000;
export const SLICED_W1_PROJECTIONS = 256;

/**
 * Left out: the 200-bin pixel-value histogram is a chart's data (the run view draws it), not a number to read; and
 * scoredAgainst, since a comparison is always scored against the given real set.
 */
export const NOT_COMPARED: ReadonlySet<string> = new Set(['pixelHistogram', 'scoredAgainst']);

export interface SampleSetComparisonInput {
  real: Samples;
  fake: Samples;
  /** Shape of one sample (both sets share it). */
  shape: SampleShape;
  /** Feature space of FID and precision/recall (default: `reference` when there is a classifier, else `raw`). */
  features?: FeatureSpaceSpec;
  /** Neighbours of precision, recall, density and coverage. */
  k: number;
  /** Seed of every subsample and of the sliced W₁ directions. */
  seed: number;
  /** At most this many samples per side for the feature metrics (default: all). */
  maxSamples?: number;
  /** A built-in dataset whose shipped reference classifier gives features and classes ('' for none). */
  datasetName: string;
  /** A folder with a user-trained reference classifier, instead of a built-in one. */
  referenceDir?: string;
  /** Exact W₁ takes at most this many points per side (default W1_EXACT_MAX); more, and sliced W₁ is added. */
  w1ExactMax?: number;
}

/** The metrics as named for two sample sets, the feature space first beside its dimension; `seconds` last. */
export type SampleSetComparison = Record<string, unknown>;

export async function compareSampleSets(input: SampleSetComparisonInput): Promise<SampleSetComparison> {
  const { real, fake } = input;
  if (real.dim !== fake.dim) throw new RangeError(`the real samples have ${real.dim} values each, the generated ones ${fake.dim}`);
  const classifier = await referenceClassifierFor(input.datasetName, input.referenceDir);
  const features = input.features ?? (classifier ? 'reference' : 'raw');
  if (features === 'reference' && !classifier) {
    throw new Error(
      'features = reference needs a reference classifier: a built-in dataset (mnist, fashion-mnist) or a folder made by ' +
        '`collapse-lab train-reference`',
    );
  }
  const w1ExactMax = input.w1ExactMax ?? W1_EXACT_MAX;
  const m = await computeGenerationMetrics({
    generated: fake,
    test: real,
    shape: input.shape,
    numClasses: 0,
    datasetName: input.datasetName,
    referenceDir: input.referenceDir,
    features,
    k: input.k,
    seed: input.seed,
    maxSamples: input.maxSamples ?? Number.MAX_SAFE_INTEGER,
    w1MaxPoints: w1ExactMax,
  });
  const sliced =
    Math.max(real.n, fake.n) > w1ExactMax
      ? {
          w1Sliced: slicedWasserstein1(fake.x, fake.n, real.x, real.n, real.dim, SLICED_W1_PROJECTIONS, input.seed),
          w1SlicedProjections: SLICED_W1_PROJECTIONS,
        }
      : {};
  const { seconds, ...metrics } = m;
  const out: SampleSetComparison = {};
  for (const [key, value] of Object.entries(metrics)) {
    if (value === undefined || NOT_COMPARED.has(key)) continue;
    if (key === 'featureDim') out.features = features;
    out[twoSetName(key, metrics)] = value;
    if (key === 'w1Points') Object.assign(out, sliced);
  }
  return { ...out, seconds };
}

/** A metric's name for two sets (see compareSampleSets). */
export function twoSetName(key: string, metrics: object): string {
  if (key.endsWith('Test')) return `${key.slice(0, -'Test'.length)}Real`;
  if (key.endsWith('Generated')) return `${key.slice(0, -'Generated'.length)}Fake`;
  if (`${key}Test` in metrics) return `${key}Fake`;
  return key;
}
