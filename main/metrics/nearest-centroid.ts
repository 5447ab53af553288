import type { Samples } from '../data/samples';
import { classStatsFromCounts } from './histograms';

/**
 * A nearest-class-mean classifier on the real training data: the class histogram of generated samples for datasets
 * that have labels but no trained reference classifier. Honest and cheap, weaker than a CNN.
 */
export class NearestCentroid {
  private constructor(
    private readonly centroids: Float64Array,
    private readonly numClasses: number,
    private readonly dim: number,
  ) {}

  static fit(data: Samples, numClasses: number): NearestCentroid {
    if (!data.labels) throw new Error('NearestCentroid needs labelled data');
    const { dim } = data;
    const c = new Float64Array(numClasses * dim);
    const count = new Float64Array(numClasses);
    for (let i = 0; i < data.n; i++) {
      const l = data.labels[i];
      count[l]++;
      for (let j = 0; j < dim; j++) c[l * dim + j] += data.x[i * dim + j];
    }
    for (let l = 0; l < numClasses; l++) for (let j = 0; j < dim; j++) c[l * dim + j] /= Math.max(1, count[l]);
    return new NearestCentroid(c, numClasses, dim);
  }

  predict(x: Float32Array, n: number): Int32Array {
    const out = new Int32Array(n);
    const { dim, numClasses, centroids } = this;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let l = 0; l < numClasses; l++) {
        let d = 0;
        for (let j = 0; j < dim; j++) {
          const t = x[i * dim + j] - centroids[l * dim + j];
          d += t * t;
        }
        if (d < bestD) {
          bestD = d;
          best = l;
        }
      }
      out[i] = best;
    }
    return out;
  }

  histogram(x: Float32Array, n: number): number[] {
    const h = new Array(this.numClasses).fill(0);
    for (const l of this.predict(x, n)) h[l]++;
    return h;
  }

  /**
   * The class metrics of samples by this classifier: the histogram as counts per class, its entropy, and the classes
   * covered by the one rule of the reference classifier's metrics (at least a tenth of the uniform share;
   * classStatsFromCounts).
   */
  classMetrics(x: Float32Array, n: number): { classHistogram: number[]; classEntropy: number; classesCovered: number } {
    const counts = this.histogram(x, n);
    const { classEntropy, classesCovered } = classStatsFromCounts(counts);
    return { classHistogram: counts, classEntropy, classesCovered };
  }
}
