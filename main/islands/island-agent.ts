import type { Samples } from '../data/samples';
import type { FeatureSpace, IslandRequest, IslandResponse } from './protocol';

/**
 * One data island: it holds its own real samples and answers protocol requests. Nothing outside reads `data`; the
 * selector talks to it only through an IslandChannel.
 */
export class IslandAgent {
  readonly #data: Samples;

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

  handle(req: IslandRequest): IslandResponse {
    switch (req.type) {
      case 'describe': {
        const classCounts = new Array(this.numClasses).fill(0);
        if (this.#data.labels) for (const l of this.#data.labels) classCounts[l]++;
        return { type: 'describe', island: this.id, size: this.#data.n, classCounts };
      }
      case 'moments': {
        const f = projectFeatures(this.#data, req.features);
        const { mean, covariance } = moments(f.x, f.n, f.dim);
        return { type: 'moments', island: this.id, n: f.n, mean, covariance, dim: f.dim };
      }
    }
  }
}

/** The island's samples in the feature space the selector chose. */
export function projectFeatures(s: Samples, space: FeatureSpace): Samples {
  if (space.kind === 'raw') return s;
  const { matrix, centre, k } = space;
  if (!matrix || !centre || !k) throw new Error('projection feature space needs matrix, centre and k');
  const out = new Float32Array(s.n * k);
  const row = new Float64Array(s.dim);
  for (let i = 0; i < s.n; i++) {
    for (let j = 0; j < s.dim; j++) row[j] = s.x[i * s.dim + j] - centre[j];
    for (let c = 0; c < k; c++) {
      let acc = 0;
      for (let j = 0; j < s.dim; j++) acc += row[j] * matrix[j * k + c];
      out[i * k + c] = acc;
    }
  }
  return { x: out, n: s.n, dim: k };
}

function moments(x: Float32Array, n: number, d: number): { mean: Float64Array; covariance: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const r = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) r[j] = x[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ra = r[a];
      for (let b = a; b < d; b++) cov[a * d + b] += ra * r[b];
    }
  }
  const denom = Math.max(1, n - 1);
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] /= denom;
  return { mean, covariance: cov };
}
