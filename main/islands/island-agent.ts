import { takeRows, type Samples } from '../data/samples';
import { asFloat64, gemmABt } from '../ot/gemm';
import { calibratedGradient, calibratedGradientGeodesic, stepAlongPlan } from '../ot/calibrated-gradient';
import type { IslandFeatureMap, IslandRequest, IslandResponse } from './protocol';

/**
 * One data island: it holds its own real samples and answers protocol requests. Nothing outside reads `data`; the
 * selector talks to it only through an IslandChannel, and every answer is a statistic, a score per candidate or a
 * point computed from the broadcast support (never one of its rows).
 */
export class IslandAgent {
  readonly #data: Samples;
  /** The data in feature spaces already seen (by IslandFeatureMap.key), as float64 for the OT solvers. */
  readonly #projected = new Map<string, { x: Float64Array; n: number; dim: number }>();
  /** Column potential of the last interpolation, by support size: the warm start of the next barycenter round. */
  readonly #lastPotential = new Map<number, Float64Array>();

  constructor(
    readonly id: number,
    data: Samples,
    readonly numClasses: number,
  ) {
    this.#data = data;
  }

  get size(): number {
    return this.#data.n;
  }

  async handle(req: IslandRequest): Promise<IslandResponse> {
    switch (req.type) {
      case 'describe': {
        const classCounts = new Array(this.numClasses).fill(0);
        if (this.#data.labels) for (const l of this.#data.labels) classCounts[l]++;
        return { type: 'describe', island: this.id, size: this.#data.n, classCounts };
      }
      case 'moments': {
        const f = await this.#features(req.features, req.ofClass);
        const { mean, covariance, trace } = moments(f.x, f.n, f.dim, req.covariance !== false);
        return { type: 'moments', island: this.id, n: f.n, mean, covariance, varianceTrace: trace, dim: f.dim };
      }
      case 'ot-scores': {
        const f = await this.#features(req.features, req.ofClass);
        checkDim(req.dim, f.dim, req.candidates.length, req.n, 'candidates');
        const x = asFloat64(req.candidates);
        const r =
          req.proxy === 'geodesic'
            ? calibratedGradientGeodesic(x, req.n, f.x, f.n, f.dim, req.t, req.ot)
            : calibratedGradient(x, req.n, f.x, f.n, f.dim, req.ot);
        return { type: 'ot-scores', island: this.id, ...r };
      }
      case 'ot-interpolate': {
        const f = await this.#features(req.features, req.ofClass);
        checkDim(req.dim, f.dim, req.support.length, req.n, 'support');
        const xi = asFloat64(req.support);
        const warm = req.warmStart ? this.#lastPotential.get(req.n * 1_000_003 + f.n) : undefined;
        const r = stepAlongPlan(xi, req.n, f.x, f.n, f.dim, req.t, req.ot, warm);
        this.#lastPotential.set(req.n * 1_000_003 + f.n, r.g);
        return {
          type: 'ot-interpolate',
          island: this.id,
          points: Float32Array.from(r.points),
          iterations: r.iterations,
          marginalError: r.marginalError,
        };
      }
      default:
        throw new Error(`island ${this.id}: unknown request type "${(req as { type: string }).type}"`);
    }
  }

  /** The island's rows (of class `ofClass` only, when given) in a feature space. */
  async #features(space: IslandFeatureMap, ofClass?: number): Promise<{ x: Float64Array; n: number; dim: number }> {
    const key = space.key === undefined ? undefined : ofClass === undefined ? space.key : `${space.key}#class${ofClass}`;
    const cached = key !== undefined ? this.#projected.get(key) : undefined;
    if (cached) return cached;
    const data = ofClass === undefined ? this.#data : this.#rowsOfClass(ofClass);
    const s = space.kind === 'classifier' || space.kind === 'onnx' ? await networkFeatures(data, space) : projectFeatures(data, space);
    const out = { x: asFloat64(s.x), n: s.n, dim: s.dim };
    if (key !== undefined) {
      if (this.#projected.size >= 2) this.#projected.delete(this.#projected.keys().next().value as string);
      this.#projected.set(key, out);
    }
    return out;
  }

  #rowsOfClass(c: number): Samples {
    const labels = this.#data.labels;
    if (!labels) throw new Error(`island ${this.id}: asked for its rows of class ${c}, but its data have no class labels`);
    const rows: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === c) rows.push(i);
    if (rows.length === 0) throw new Error(`island ${this.id}: asked for its rows of class ${c}, but it holds none`);
    return takeRows(this.#data, rows);
  }
}

/**
 * Features of a network: a reference classifier or an ONNX feature network (each loaded on first use: TensorFlow.js
 * and onnxruntime stay out of islands that never need them).
 */
export async function networkFeatures(s: Samples, space: IslandFeatureMap): Promise<Samples> {
  return (await networkOutputs(s, space)).features;
}

/**
 * networkFeatures, with the reference classifier's predicted labels and weights' sha256 when the space is a
 * classifier's (what the metrics of the kept rows read again: main/selection/select-candidates.ts keptFeatures).
 */
export async function networkOutputs(
  s: Samples,
  space: IslandFeatureMap,
): Promise<{ features: Samples; classifier?: { labels: Int32Array; weightsSha256: string } }> {
  if (space.kind === 'onnx') {
    if (!space.onnx || !space.shape) throw new Error("onnx feature space needs the network's file and the image shape");
    const { OnnxFeatureNetwork } = await import('../metrics/onnx-network');
    const net = await OnnxFeatureNetwork.load(space.onnx);
    return { features: { x: await net.features(s.x, s.n, space.shape), n: s.n, dim: net.featureDim } };
  }
  if (!space.classifier) throw new Error("classifier feature space needs the classifier's folder");
  const { loadReferenceClassifier } = await import('../metrics/reference-classifier');
  const clf = await loadReferenceClassifier(space.classifier);
  if (clf.inputDim !== s.dim) {
    throw new Error(`the reference classifier in ${clf.dir} takes ${clf.inputDim} inputs but the samples have ${s.dim}`);
  }
  const out = await clf.run(s.x, s.n);
  return {
    features: { x: out.features, n: s.n, dim: clf.featureDim },
    classifier: { labels: out.labels, weightsSha256: clf.weightsSha256 },
  };
}

function checkDim(dim: number, own: number, length: number, n: number, what: string): void {
  if (dim !== own) throw new Error(`${what} have ${dim} features but the island's data has ${own} in this feature space`);
  if (length !== n * dim) throw new Error(`${what}: ${length} values for ${n} × ${dim}`);
}

/** The island's samples in the feature space the selector chose. */
export function projectFeatures(s: Samples, space: IslandFeatureMap): Samples {
  if (space.kind === 'raw') return s;
  const { matrix, centre, k } = space;
  if (!matrix || !centre || !k) throw new Error('projection feature space needs matrix, centre and k');
  if (centre.length !== s.dim || matrix.length !== s.dim * k) {
    throw new Error(`projection feature space is [${centre.length} → ${k}] but the island's samples have ${s.dim} values`);
  }
  const out = new Float32Array(s.n * k);
  const row = new Float64Array(s.dim);
  const acc = new Float64Array(k);
  for (let i = 0; i < s.n; i++) {
    for (let j = 0; j < s.dim; j++) row[j] = s.x[i * s.dim + j] - centre[j];
    acc.fill(0);
    for (let j = 0; j < s.dim; j++) {
      const r = row[j];
      if (r === 0) continue;
      const o = j * k;
      for (let c = 0; c < k; c++) acc[c] += r * matrix[o + c];
    }
    for (let c = 0; c < k; c++) out[i * k + c] = acc[c];
  }
  return { x: out, n: s.n, dim: k };
}

/** Mean, unbiased covariance (when asked) and its trace. */
export function moments(
  x: ArrayLike<number>,
  n: number,
  d: number,
  withCovariance = true,
): { mean: Float64Array; covariance: Float64Array; trace: number } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const denom = Math.max(1, n - 1);
  if (!withCovariance) {
    let ss = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const t = x[i * d + j] - mean[j];
        ss += t * t;
      }
    }
    return { mean, covariance: new Float64Array(0), trace: ss / denom };
  }
  // the scatter matrix as Xcᵀ·Xc, with the centred data stored transposed so the blocked product applies
  const xt = new Float64Array(d * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xt[j * n + i] = x[i * d + j] - mean[j];
  const cov = gemmABt(xt, xt, d, d, n, new Float64Array(d * d), d, true);
  let trace = 0;
  for (let k = 0; k < cov.length; k++) cov[k] /= denom;
  for (let a = 0; a < d; a++) trace += cov[a * d + a];
  return { mean, covariance: cov, trace };
}
