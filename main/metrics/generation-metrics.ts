import { sampleDeclaredTruth, type DeclaredTruth } from '../data/declared-truth';
import { isImageShape, takeRows, type Samples, type SampleShape } from '../data/samples';
import { gaussianW2, sampleMoments } from '../models/mixture-distances';
import { rngFor } from '../util/random';
import { gaussianStats, rowMean, varianceTrace, type GaussianStats } from './covariance';
import { downstreamAccuracy, type LabelledRows } from './downstream-accuracy';
import type { FeatureFingerprint } from '../contract/feature-fingerprint';
import { parseFeatureSpaceSpec, type FeatureSpaceSpec } from '../contract/feature-space-spec';
import { makeFeatureExtractor, type FeatureExtractor } from './feature-space';
import { covarianceGap } from './covariance-gap';
import { frechetDistance } from './fid';
import { featureW2 } from './feature-w2';
import { classStats, valueHistogram } from './histograms';
import { kthNeighbourRadii, prdcWithRealRadii } from './prdc';
import { builtinReferenceDir, loadReferenceClassifier, type ReferenceClassifier } from './reference-classifier';
import { tvToDeclaredTruth, type DensityModel } from './tv-distance';
import { wasserstein1Exact } from './wasserstein-1';
import { asFloat64 } from '../ot/gemm';
import { selectedComputations, type MetricComputation } from '../contract/metric-selection';

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
  features: FeatureSpaceSpec;
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
  /**
   * Labelled real rows the downstream classifier trains on besides the generated samples (seed 002's real + selected;
   * config metrics.downstreamWithReal); absent: the generated samples alone.
   */
  downstreamReal?: Samples;
  /**
   * The dataset's declared truth. When given, every metric is scored against it instead of `test`: against seeded
   * draws of the truth (as many as `test` has rows, drawn once per truth and cached) and, where they exist, its closed
   * forms (raw-feature FID and covariance gap against its exact moments, the mean distance to its exact mean, Tr(Σ) of
   * its exact covariance, W₂ to a Gaussian truth from the generated samples' moments).
   */
  truth?: DeclaredTruth;
  /** The fitted model, when its density is known in closed form: with a truth in d ≤ 3, its TV to the truth. */
  model?: DensityModel;
  /**
   * The costly computations to run (main/contract/metric-selection.ts; default every one): the fields of the others
   * are omitted, and the reference side computes only what the chosen ones read.
   */
  compute?: ReadonlySet<MetricComputation>;
  /**
   * The mean and unbiased variance trace of all of `generated`'s rows when the caller has them already (the loop's
   * sampleMoments of the kept samples: the loops of rowMean and varianceTrace, the same values): used when the metrics
   * read every generated row, instead of two more passes over them.
   */
  generatedMoments?: { mean: Float64Array; varianceTrace: number };
  /**
   * The generated rows already through the reference classifier (the selection's own pass over the kept rows): read
   * instead of running it again when they are these rows, unsubsampled, through the same weights (a row's outputs do
   * not depend on the rows beside it in a batch, so the metrics are the same bytes).
   */
  generatedFeatures?: GeneratedFeatures;
}

/** Rows through a reference classifier: its penultimate features [n, dim], predicted labels, weights' sha256. */
export interface GeneratedFeatures {
  x: Float32Array;
  n: number;
  dim: number;
  labels: Int32Array;
  weightsSha256: string;
}

/**
 * One generation's metrics: a flat JSON-able record. Optional fields are omitted when their inputs do not exist, or
 * when the computation that gives them was not chosen (`compute`).
 */
export interface GenerationMetrics {
  /** Samples used per side (after seeded subsampling). */
  nGenerated: number;
  nTest: number;
  /** Dimension of the feature space of FID and PRDC. */
  featureDim?: number;
  /**
   * What the feature metrics were computed with: the network (name, weights sha256, layer, input size, resize and
   * normalisation), the feature dimension and each side's sample count (main/contract/feature-fingerprint.ts); absent
   * when no feature metric was computed.
   */
  featureFingerprint?: FeatureFingerprint;
  /** Fréchet distance in the feature space (pytorch-fid's formula). */
  fid?: number;
  /** k-NN precision, recall, density, coverage (prdc package) in the feature space, with this k. */
  precision?: number;
  recall?: number;
  density?: number;
  coverage?: number;
  k?: number;
  /** Exact Wasserstein-1 (Euclidean) on the flattened data (pixels), with w1Points points per side. */
  w1?: number;
  w1Points?: number;
  /** Tr(Σ) of the generated and test features, and of the generated and test data (pixels). */
  traceFeatures?: number;
  traceFeaturesTest?: number;
  tracePixels: number;
  tracePixelsTest: number;
  /** ‖mean(generated) − target‖ in data space. */
  meanDistance: number;
  /** ‖Σ_gen − Σ_test‖_F / ‖Σ_test‖_F of the features (main/metrics/covariance-gap.ts; seed 002). */
  covarianceGap?: number;
  /** W₂ between the Gaussians of the generated and test features' moments (= √FID), and its covariance part alone. */
  w2Features?: number;
  w2FeaturesSpread?: number;
  /** From the reference classifier's predictions on the generated samples (omitted without a classifier). */
  classHistogram?: number[];
  classEntropy?: number;
  classesCovered?: number;
  /** Softmax regression trained on the generated samples labelled by the reference classifier, accuracy on test. */
  downstreamAccuracy?: number;
  /** 200-bin histogram of the generated pixel values over [0, 1], as fractions (images only). */
  pixelHistogram?: number[];
  /** What the metrics were scored against: the dataset's declared truth, or the held-out test split. */
  scoredAgainst: 'truth' | 'test';
  /** W₂ between N(generated samples' mean, covariance) and a Gaussian declared truth (closed form). */
  w2ToTruth?: number;
  /** TV of the fitted model's density to the declared truth (d ≤ 3, models with a density), and its error estimate. */
  tvToTruth?: number;
  tvToTruthError?: number;
  /** Wall time of this computation. */
  seconds: number;
}

interface TestCache {
  rows: Samples;
  tracePixels: number;
  mean: Float64Array;
  /** The feature side, when FID or PRDC is computed. */
  features?: TestFeatures;
}

interface TestFeatures {
  features: Float64Array;
  featureDim: number;
  stats: GaussianStats;
  /** The k-th neighbour radii, when PRDC is computed. */
  radii?: Float64Array;
  traceFeatures: number;
  extractor: FeatureExtractor;
}

const testCaches = new WeakMap<Samples, Map<string, Promise<TestCache>>>();
const truthDrawCaches = new WeakMap<DeclaredTruth, Map<string, Samples>>();

/** Seeded draws of the truth, `n` rows, drawn once per (truth, n, seed): the reference set of every sample metric. */
function truthDraws(truth: DeclaredTruth, n: number, seed: number): Samples {
  let perTruth = truthDrawCaches.get(truth);
  if (!perTruth) {
    perTruth = new Map();
    truthDrawCaches.set(truth, perTruth);
  }
  const key = `${n}|${seed}`;
  let s = perTruth.get(key);
  if (!s) {
    s = sampleDeclaredTruth(truth, n, rngFor(seed, 'metrics', 'truth-draws'));
    perTruth.set(key, s);
  }
  return s;
}

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
 * Every per-generation metric of the generated samples against the real test split, or against the dataset's declared
 * truth when there is one. Cheap enough to run each generation: the reference side (subsample, features, statistics,
 * k-NN radii) is computed once per reference set and reused.
 */
export async function computeGenerationMetrics(input: GenerationMetricsInput): Promise<GenerationMetrics> {
  const t0 = performance.now();
  const { generated, shape, truth } = input;
  if (truth && truth.dim !== generated.dim) {
    throw new RangeError(`metrics: the declared truth has ${truth.dim} dimensions, the generated samples ${generated.dim}`);
  }
  const dim = shape.reduce((a, b) => a * b, 1);
  if (generated.dim !== dim)
    throw new RangeError(`metrics: generated samples have ${generated.dim} dimensions, the shape ${shape.join('×')} has ${dim}`);
  const { space, k, seed, maxSamples, w1Max, compute, needLabels, classifier, tc } = await referenceSide(input);
  const gen = subsample(generated, maxSamples, seed, 'generated');
  if (gen.n <= k && compute.has('prdc')) throw new RangeError(`metrics: ${gen.n} generated samples, need more than k = ${k}`);

  // the caller's moments of every generated row, when the metrics read them all
  const known = gen === generated && input.generatedMoments?.mean.length === dim ? input.generatedMoments : undefined;
  const genMean = known ? known.mean : rowMean(gen.x, gen.n, dim);
  const target = input.target ?? (truth ? truth.mean : tc.mean);
  if (target.length !== dim) throw new RangeError(`metrics: target has length ${target.length}, the data have ${dim} dimensions`);
  let md = 0;
  for (let j = 0; j < dim; j++) md += (genMean[j] - target[j]) ** 2;

  // the classifier's outputs of these rows, when the selection computed them
  const g = input.generatedFeatures;
  const given =
    g && classifier && gen === generated && g.n === gen.n && g.dim === classifier.featureDim && g.weightsSha256 === classifier.weightsSha256
      ? { features: g.x, labels: g.labels }
      : undefined;
  let genLabels: Int32Array | undefined;
  const featureMetrics: Partial<GenerationMetrics> = {};
  if (tc.features) {
    const tf = tc.features;
    let genFeatures: Float64Array;
    if (space === 'reference' && classifier) {
      const out = given ?? (await classifier.run(gen.x, gen.n));
      genFeatures = asFloat64(out.features);
      genLabels = out.labels;
    } else genFeatures = asFloat64(await tf.extractor.apply(gen.x, gen.n));
    const fd = tf.featureDim;
    const genStats = gaussianStats(genFeatures, gen.n, fd);
    if (compute.has('fid')) {
      // a truth's exact moments where the feature space is the data itself
      const referenceStats = truth && space === 'raw' ? { mean: truth.mean, cov: truth.cov, n: tc.rows.n, d: fd } : tf.stats;
      let traceFeatures = 0;
      for (let j = 0; j < fd; j++) traceFeatures += genStats.cov[j * fd + j];
      const fid = frechetDistance(referenceStats, genStats, fd);
      const w2 = featureW2(fid, genStats.mean, referenceStats.mean, fd);
      Object.assign(featureMetrics, {
        fid,
        w2Features: w2.w2,
        w2FeaturesSpread: w2.spread,
        traceFeaturesTest: tf.traceFeatures,
        traceFeatures,
        covarianceGap: covarianceGap(genStats.cov, referenceStats.cov, fd),
      });
    }
    if (tf.radii) {
      const pr = prdcWithRealRadii(tf.features, tc.rows.n, tf.radii, genFeatures, gen.n, fd, k);
      Object.assign(featureMetrics, { precision: pr.precision, recall: pr.recall, density: pr.density, coverage: pr.coverage, k });
    }
    featureMetrics.featureDim = fd;
    featureMetrics.featureFingerprint = { ...tf.extractor.identity, nReal: tc.rows.n, nGenerated: gen.n };
  }
  if (needLabels && classifier && !genLabels) genLabels = (given ?? (await classifier.run(gen.x, gen.n))).labels;

  let w1Metrics: Partial<GenerationMetrics> = {};
  if (compute.has('w1')) {
    const w1Gen = subsample(gen, w1Max, seed, 'w1-generated');
    const w1Test = subsample(tc.rows, w1Max, seed, 'w1-test');
    w1Metrics = { w1: wasserstein1Exact(w1Gen.x, w1Gen.n, w1Test.x, w1Test.n, dim), w1Points: Math.min(w1Gen.n, w1Test.n) };
  }

  // in the order `collapse-lab metrics` prints them (quality first; a test-side quantity before its generated one)
  const result: Omit<GenerationMetrics, 'seconds'> = {
    fid: featureMetrics.fid,
    precision: featureMetrics.precision,
    recall: featureMetrics.recall,
    density: featureMetrics.density,
    coverage: featureMetrics.coverage,
    k: featureMetrics.k,
    featureDim: featureMetrics.featureDim,
    nTest: tc.rows.n,
    nGenerated: gen.n,
    w1: w1Metrics.w1,
    w1Points: w1Metrics.w1Points,
    traceFeaturesTest: featureMetrics.traceFeaturesTest,
    traceFeatures: featureMetrics.traceFeatures,
    tracePixelsTest: truth ? exactTrace(truth) : tc.tracePixels,
    tracePixels: known ? known.varianceTrace : varianceTrace(gen.x, gen.n, dim),
    meanDistance: Math.sqrt(md),
    covarianceGap: featureMetrics.covarianceGap,
    w2Features: featureMetrics.w2Features,
    w2FeaturesSpread: featureMetrics.w2FeaturesSpread,
    featureFingerprint: featureMetrics.featureFingerprint,
    scoredAgainst: truth ? 'truth' : 'test',
  };
  for (const key of Object.keys(result) as (keyof typeof result)[]) if (result[key] === undefined) delete result[key];
  if (truth?.kind === 'gaussian' && compute.has('w2Truth')) {
    const m = sampleMoments(generated.x, generated.n, dim);
    result.w2ToTruth = gaussianW2(m.mean, m.cov, truth.mean, truth.cov);
  }
  if (truth && input.model && compute.has('tv')) {
    const tv = await tvToDeclaredTruth(input.model, truth, { seed });
    if (tv) {
      result.tvToTruth = tv.tv;
      result.tvToTruthError = tv.error;
    }
  }
  if (genLabels && classifier) {
    if (compute.has('classes')) {
      const cs = classStats(genLabels, classifier.numClasses);
      result.classHistogram = cs.classHistogram;
      result.classEntropy = cs.classEntropy;
      result.classesCovered = cs.classesCovered;
    }
    if (compute.has('downstream') && (input.downstream ?? true) && tc.rows.labels && classifier.numClasses >= input.numClasses) {
      result.downstreamAccuracy = downstreamAccuracy(
        // a class-conditional model's samples train with their own class (seed 002's), other samples with the classifier's
        withRealRows({ x: gen.x, n: gen.n, labels: gen.labels ?? genLabels }, input.downstreamReal, dim),
        { x: tc.rows.x, n: tc.rows.n, labels: tc.rows.labels },
        dim,
        classifier.numClasses,
        { seed },
      );
    }
  }
  if (isImageShape(shape)) result.pixelHistogram = valueHistogram(gen.x, 200, 0, 1);
  return { ...result, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The reference side of a generation's metrics, computed once per reference set and seed and cached (the test split's
 * or the truth's rows, their features, statistics and neighbour radii; the reference classifier). A run's metrics
 * thread prepares it for its first generation while that generation trains.
 */
export async function prepareGenerationMetrics(input: Omit<GenerationMetricsInput, 'generated' | 'model'>): Promise<void> {
  await referenceSide(input);
}

async function referenceSide(input: Omit<GenerationMetricsInput, 'generated' | 'model'>) {
  const { shape, truth } = input;
  const test = truth ? truthDraws(truth, input.test.n, input.seed ?? 0) : input.test;
  const dim = shape.reduce((a, b) => a * b, 1);
  if (test.dim !== dim) throw new RangeError(`metrics: test samples have ${test.dim} dimensions, the shape ${shape.join('×')} has ${dim}`);
  const space = parseFeatureSpaceSpec(input.features);
  const k = input.k ?? 3;
  const seed = input.seed ?? 0;
  const maxSamples = input.maxSamples ?? 2000;
  const w1Max = input.w1MaxPoints ?? 1000;
  const compute = input.compute ?? selectedComputations(undefined);
  const needFeatures = compute.has('fid') || compute.has('prdc');
  const needLabels = compute.has('classes') || compute.has('downstream');
  const classifier =
    needLabels || (needFeatures && space === 'reference') ? await referenceClassifierFor(input.datasetName, input.referenceDir) : undefined;
  if (classifier && classifier.inputDim !== dim) {
    throw new Error(`metrics: the reference classifier in ${classifier.dir} takes ${classifier.inputDim} inputs, the data have ${dim}`);
  }
  const tc = await testCache({ ...input, test }, space, k, seed, maxSamples, classifier, {
    features: needFeatures,
    radii: compute.has('prdc'),
  });
  return { space, k, seed, maxSamples, w1Max, compute, needLabels, classifier, tc };
}

function exactTrace(t: DeclaredTruth): number {
  let s = 0;
  for (let a = 0; a < t.dim; a++) s += t.cov[a * t.dim + a];
  return s;
}

function testCache(
  input: Omit<GenerationMetricsInput, 'generated' | 'model'>,
  space: FeatureSpaceSpec,
  k: number,
  seed: number,
  maxSamples: number,
  classifier: ReferenceClassifier | undefined,
  need: { features: boolean; radii: boolean },
): Promise<TestCache> {
  let perTest = testCaches.get(input.test);
  if (!perTest) {
    perTest = new Map();
    testCaches.set(input.test, perTest);
  }
  // the seed matters only where it subsamples the test rows or fits the feature space (PCA): elsewhere one entry
  // serves every generation of a run (each generation has its own metrics seed)
  const seeded = input.test.n > maxSamples || (need.features && space.startsWith('pca:'));
  const key = `${space}|${k}|${seeded ? seed : '-'}|${maxSamples}|${classifier?.dir ?? ''}|${need.features}|${need.radii}`;
  let hit = perTest.get(key);
  if (!hit) {
    hit = (async () => {
      const rows = subsample(input.test, maxSamples, seed, 'test');
      if (need.radii && rows.n <= k) throw new RangeError(`metrics: ${rows.n} test samples, need more than k = ${k}`);
      const dim = rows.dim;
      const cache: TestCache = { rows, tracePixels: varianceTrace(rows.x, rows.n, dim), mean: rowMean(rows.x, rows.n, dim) };
      if (!need.features) return cache;
      const extractor = await makeFeatureExtractor(space, dim, {
        classifier,
        fitOn: rows,
        seed,
        datasetName: input.datasetName,
        shape: input.shape,
      });
      const features = asFloat64(await extractor.apply(rows.x, rows.n));
      const stats = gaussianStats(features, rows.n, extractor.dim);
      let traceFeatures = 0;
      for (let j = 0; j < extractor.dim; j++) traceFeatures += stats.cov[j * extractor.dim + j];
      cache.features = {
        features,
        featureDim: extractor.dim,
        stats,
        ...(need.radii ? { radii: kthNeighbourRadii(features, rows.n, extractor.dim, k) } : {}),
        traceFeatures,
        extractor,
      };
      return cache;
    })();
    perTest.set(key, hit);
    hit.catch(() => perTest!.delete(key));
  }
  return hit;
}

/**
 * The downstream classifier's training rows: the generated samples (labelled by the reference classifier), after the
 * real rows with their true labels when there are any (seed 002's real + selected).
 */
function withRealRows(generated: LabelledRows, real: Samples | undefined, dim: number): LabelledRows {
  if (!real) return generated;
  if (!real.labels)
    throw new Error('metrics.downstreamWithReal: the real training data have no labels to train the downstream classifier on');
  if (real.dim !== dim) throw new RangeError(`metrics.downstreamWithReal: the real data have ${real.dim} dimensions, the samples ${dim}`);
  const x = new Float64Array((real.n + generated.n) * dim);
  x.set(real.x.subarray(0, real.n * dim), 0);
  x.set(generated.x.subarray(0, generated.n * dim), real.n * dim);
  const labels = new Int32Array(real.n + generated.n);
  labels.set(real.labels.subarray(0, real.n), 0);
  for (let i = 0; i < generated.n; i++) labels[real.n + i] = generated.labels[i];
  return { x, n: real.n + generated.n, labels };
}
