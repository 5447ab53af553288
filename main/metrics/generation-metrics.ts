import { isImageShape, takeRows, type Samples, type SampleShape } from '../data/samples';
import { rngFor } from '../util/random';
import { gaussianStats, rowMean, varianceTrace, type GaussianStats } from './covariance';
import { downstreamAccuracy } from './downstream-accuracy';
import { makeFeatureExtractor, parseFeatureSpace, type FeatureExtractor, type FeatureSpace } from './feature-space';
import { frechetDistance } from './fid';
import { classStats, valueHistogram } from './histograms';
import { kthNeighbourRadii, prdcWithRealRadii } from './prdc';
import { builtinReferenceDir, loadReferenceClassifier, type ReferenceClassifier } from './reference-classifier';
import { wasserstein1Exact } from './wasserstein-1';
import { asFloat64 } from '../ot/gemm';

export type { FeatureSpace } from './feature-space';

export interface GenerationMetricsInput {
  /** The generation's samples (what the next generation trains on, or what the model produced). */
  generated: Samples;
  /** The held-out real test split. Pass the same object every generation: its features are cached on it. */
  test: Samples;
  shape: SampleShape;
  numClasses: number;
  /** e.g. "mnist": picks the shipped reference classifier when there is one. */
  datasetName: string;
  /** Feature space of FID and precision/recall/density/coverage. */
  features: FeatureSpace;
  /** Neighbours for precision/recall/density/coverage (default 3). */
  k?: number;
  /** Target of the mean distance, in data space (default: the mean of the test samples used). */
  target?: Float64Array;
  /** Seed of the subsampling (default 0). */
  seed?: number;
  /** At most this many samples per side for FID, PRDC, traces, classes and downstream accuracy (default 2000). */
  maxSamples?: number;
  /** At most this many points per side for exact W1 on the flattened data (default 1000). */
  w1MaxPoints?: number;
  /** A folder with a user-trained reference classifier (model.json), instead of the built-in one of datasetName. */
  referenceDir?: string;
  /** Compute the downstream accuracy (default true; needs a classifier and a labelled test split). */
  downstream?: boolean;
}

/** One generation's metrics: a flat JSON-able record. Optional fields are omitted when their inputs do not exist. */
export interface GenerationMetrics {
  /** Samples used per side (after seeded subsampling). */
  nGenerated: number;
  nTest: number;
  /** Dimension of the feature space of FID and PRDC. */
  featureDim: number;
  /** Fréchet distance in the feature space (pytorch-fid's formula). */
  fid: number;
  /** k-NN precision, recall, density, coverage (prdc package) in the feature space, with this k. */
  precision: number;
  recall: number;
  density: number;
  coverage: number;
  k: number;
  /** Exact Wasserstein-1 (Euclidean) on the flattened data (pixels), with w1Points points per side. */
  w1: number;
  w1Points: number;
  /** Tr(Σ) of the generated and test features, and of the generated and test data (pixels). */
  traceFeatures: number;
  traceFeaturesTest: number;
  tracePixels: number;
  tracePixelsTest: number;
  /** ‖mean(generated) − target‖ in data space. */
  meanDistance: number;
  /** From the reference classifier's predictions on the generated samples (omitted without a classifier). */
  classHistogram?: number[];
  classEntropy?: number;
  classesCovered?: number;
  /** Softmax regression trained on the generated samples labelled by the reference classifier, accuracy on test. */
  downstreamAccuracy?: number;
  /** 200-bin histogram of the generated pixel values over [0, 1], as fractions (images only). */
  pixelHistogram?: number[];
  /** Wall time of this computation. */
  seconds: number;
}

interface TestCache {
  rows: Samples;
  features: Float64Array;
  featureDim: number;
  stats: GaussianStats;
  radii: Float64Array;
  traceFeatures: number;
  tracePixels: number;
  mean: Float64Array;
  extractor: FeatureExtractor;
}

const testCaches = new WeakMap<Samples, Map<string, Promise<TestCache>>>();

/** The classifier for a dataset: a given folder, else the shipped one of a built-in dataset, else none. */
export async function referenceClassifierFor(datasetName: string, referenceDir?: string): Promise<ReferenceClassifier | undefined> {
  const dir = referenceDir ?? builtinReferenceDir(datasetName);
  return dir ? loadReferenceClassifier(dir) : undefined;
}

function subsample(s: Samples, max: number, seed: number, label: string): Samples {
  if (s.n <= max) return s;
  const idx = Array.from(rngFor(seed, 'metrics', label).choose(s.n, max)).sort((a, b) => a - b);
  return takeRows(s, idx);
}

/**
 * Every per-generation metric of the generated samples against the real test split. Cheap enough to run each
 * generation: the test side (subsample, features, statistics, k-NN radii) is computed once per test set and reused.
 */
export async function computeGenerationMetrics(input: GenerationMetricsInput): Promise<GenerationMetrics> {
  const t0 = performance.now();
  const { generated, test, shape } = input;
  const dim = shape.reduce((a, b) => a * b, 1);
  if (generated.dim !== dim) throw new RangeError(`metrics: generated samples have ${generated.dim} dimensions, the shape ${shape.join('×')} has ${dim}`);
  if (test.dim !== dim) throw new RangeError(`metrics: test samples have ${test.dim} dimensions, the shape ${shape.join('×')} has ${dim}`);
  const space = parseFeatureSpace(input.features);
  const k = input.k ?? 3;
  const seed = input.seed ?? 0;
  const maxSamples = input.maxSamples ?? 2000;
  const w1Max = input.w1MaxPoints ?? 1000;
  const classifier = await referenceClassifierFor(input.datasetName, input.referenceDir);
  if (classifier && classifier.inputDim !== dim) {
    throw new Error(`metrics: the reference classifier in ${classifier.dir} takes ${classifier.inputDim} inputs, the data have ${dim}`);
  }

  const tc = await testCache(input, space, k, seed, maxSamples, classifier);
  const gen = subsample(generated, maxSamples, seed, 'generated');
  if (gen.n <= k) throw new RangeError(`metrics: ${gen.n} generated samples, need more than k = ${k}`);

  let genFeatures: Float64Array;
  let genLabels: Int32Array | undefined;
  if (space === 'reference' && classifier) {
    const out = await classifier.run(gen.x, gen.n);
    genFeatures = asFloat64(out.features);
    genLabels = out.labels;
  } else {
    genFeatures = asFloat64(await tc.extractor.apply(gen.x, gen.n));
    if (classifier) genLabels = (await classifier.run(gen.x, gen.n)).labels;
  }
  const fd = tc.featureDim;
  const genStats = gaussianStats(genFeatures, gen.n, fd);
  const fid = frechetDistance(tc.stats, genStats, fd);
  const pr = prdcWithRealRadii(tc.features, tc.rows.n, tc.radii, genFeatures, gen.n, fd, k);

  const w1Gen = subsample(gen, w1Max, seed, 'w1-generated');
  const w1Test = subsample(tc.rows, w1Max, seed, 'w1-test');
  const w1 = wasserstein1Exact(w1Gen.x, w1Gen.n, w1Test.x, w1Test.n, dim);

  const genMean = rowMean(gen.x, gen.n, dim);
  const target = input.target ?? tc.mean;
  if (target.length !== dim) throw new RangeError(`metrics: target has length ${target.length}, the data have ${dim} dimensions`);
  let md = 0;
  for (let j = 0; j < dim; j++) md += (genMean[j] - target[j]) ** 2;

  let traceFeatures = 0;
  for (let j = 0; j < fd; j++) traceFeatures += genStats.cov[j * fd + j];

  const result: GenerationMetrics = {
    nGenerated: gen.n,
    nTest: tc.rows.n,
    featureDim: fd,
    fid,
    precision: pr.precision,
    recall: pr.recall,
    density: pr.density,
    coverage: pr.coverage,
    k,
    w1,
    w1Points: Math.min(w1Gen.n, w1Test.n),
    traceFeatures,
    traceFeaturesTest: tc.traceFeatures,
    tracePixels: varianceTrace(gen.x, gen.n, dim),
    tracePixelsTest: tc.tracePixels,
    meanDistance: Math.sqrt(md),
    seconds: 0,
  };
  if (genLabels && classifier) {
    const cs = classStats(genLabels, classifier.numClasses);
    result.classHistogram = cs.classHistogram;
    result.classEntropy = cs.classEntropy;
    result.classesCovered = cs.classesCovered;
    if ((input.downstream ?? true) && tc.rows.labels && classifier.numClasses >= input.numClasses) {
      result.downstreamAccuracy = downstreamAccuracy(
        { x: gen.x, n: gen.n, labels: genLabels },
        { x: tc.rows.x, n: tc.rows.n, labels: tc.rows.labels },
        dim,
        classifier.numClasses,
        { seed },
      );
    }
  }
  if (isImageShape(shape)) result.pixelHistogram = valueHistogram(gen.x, 200, 0, 1);
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}

function testCache(
  input: GenerationMetricsInput,
  space: FeatureSpace,
  k: number,
  seed: number,
  maxSamples: number,
  classifier: ReferenceClassifier | undefined,
): Promise<TestCache> {
  let perTest = testCaches.get(input.test);
  if (!perTest) {
    perTest = new Map();
    testCaches.set(input.test, perTest);
  }
  const key = `${space}|${k}|${seed}|${maxSamples}|${classifier?.dir ?? ''}`;
  let hit = perTest.get(key);
  if (!hit) {
    hit = (async () => {
      const rows = subsample(input.test, maxSamples, seed, 'test');
      if (rows.n <= k) throw new RangeError(`metrics: ${rows.n} test samples, need more than k = ${k}`);
      const dim = rows.dim;
      const extractor = makeFeatureExtractor(space, dim, { classifier, fitOn: rows, seed, datasetName: input.datasetName });
      const features = asFloat64(await extractor.apply(rows.x, rows.n));
      const stats = gaussianStats(features, rows.n, extractor.dim);
      let traceFeatures = 0;
      for (let j = 0; j < extractor.dim; j++) traceFeatures += stats.cov[j * extractor.dim + j];
      return {
        rows,
        features,
        featureDim: extractor.dim,
        stats,
        radii: kthNeighbourRadii(features, rows.n, extractor.dim, k),
        traceFeatures,
        tracePixels: varianceTrace(rows.x, rows.n, dim),
        mean: rowMean(rows.x, rows.n, dim),
        extractor,
      };
    })();
    perTest.set(key, hit);
    hit.catch(() => perTest!.delete(key));
  }
  return hit;
}
