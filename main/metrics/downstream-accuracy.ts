import { Rng } from '../util/random';

export interface DownstreamOptions {
  /** Passes over the training data (default 8). */
  epochs?: number;
  /** Mini-batch size (default 64). */
  batchSize?: number;
  /** Adam step size (default 0.01). */
  learningRate?: number;
  /** L2 penalty on the weights (default 1e-4). */
  l2?: number;
  seed?: number;
}

export interface LabelledRows {
  x: Float32Array | Float64Array;
  n: number;
  labels: ArrayLike<number>;
}

/**
 * Downstream accuracy: train a multinomial logistic regression (softmax of a linear map of the inputs scaled to unit
 * standard deviation,
 * Adam, seeded mini-batches) on one labelled set, return its accuracy on another. The collapse literature's
 * "train on synthetic, test on real": labels of the generated data come from the reference classifier, the test set
 * is the real held-out split with its true labels. Hand-written (a few dozen lines, float64, deterministic) because a
 * tfjs model would draw its initialisation and shuffles from an unseeded generator.
 */
export function downstreamAccuracy(
  train: LabelledRows,
  test: LabelledRows,
  dim: number,
  numClasses: number,
  opts: DownstreamOptions = {},
): number {
  const epochs = opts.epochs ?? 8;
  const batchSize = opts.batchSize ?? 64;
  const lr = opts.learningRate ?? 0.01;
  const l2 = opts.l2 ?? 1e-4;
  const K = numClasses;
  if (train.x.length !== train.n * dim)
    throw new RangeError(`downstream: training data hold ${train.x.length} values, expected ${train.n} × ${dim}`);
  if (test.x.length !== test.n * dim)
    throw new RangeError(`downstream: test data hold ${test.x.length} values, expected ${test.n} × ${dim}`);
  if (train.n === 0 || test.n === 0) throw new RangeError('downstream: empty training or test set');
  for (const [name, set] of [
    ['training', train],
    ['test', test],
  ] as const) {
    for (let i = 0; i < set.n; i++) {
      const y = set.labels[i];
      if (!(y >= 0 && y < K) || !Number.isInteger(y)) throw new RangeError(`downstream: ${name} label ${i} is ${y}, outside [0, ${K})`);
    }
  }
  // scale each input by the training set's standard deviation (not centred: zeros, e.g. blank pixels, stay zeros and
  // are skipped; the bias absorbs the means)
  const mean = new Float64Array(dim);
  const inv = new Float64Array(dim);
  for (let i = 0; i < train.n; i++) for (let j = 0; j < dim; j++) mean[j] += train.x[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= train.n;
  for (let i = 0; i < train.n; i++) {
    for (let j = 0; j < dim; j++) {
      const t = train.x[i * dim + j] - mean[j];
      inv[j] += t * t;
    }
  }
  for (let j = 0; j < dim; j++) {
    const sd = Math.sqrt(inv[j] / train.n);
    inv[j] = sd > 1e-8 ? 1 / sd : 0;
  }
  const standardise = (src: Float32Array | Float64Array, n: number): Float64Array => {
    const out = new Float64Array(n * dim);
    for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) out[i * dim + j] = src[i * dim + j] * inv[j];
    return out;
  };
  const X = standardise(train.x, train.n);

  const W = new Float64Array(dim * K); // [dim, K]
  const b = new Float64Array(K);
  const gW = new Float64Array(dim * K);
  const gb = new Float64Array(K);
  const mW = new Float64Array(dim * K);
  const vW = new Float64Array(dim * K);
  const mb = new Float64Array(K);
  const vb = new Float64Array(K);
  const logits = new Float64Array(K);
  const beta1 = 0.9;
  const beta2 = 0.999;
  let step = 0;
  const rng = new Rng(opts.seed ?? 0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = rng.permutation(train.n);
    for (let s = 0; s < train.n; s += batchSize) {
      const e = Math.min(train.n, s + batchSize);
      gW.fill(0);
      gb.fill(0);
      for (let q = s; q < e; q++) {
        const i = order[q];
        const o = i * dim;
        logits.set(b);
        for (let j = 0; j < dim; j++) {
          const xv = X[o + j];
          if (xv === 0) continue;
          const w = j * K;
          for (let c = 0; c < K; c++) logits[c] += xv * W[w + c];
        }
        let mx = -Infinity;
        for (let c = 0; c < K; c++) if (logits[c] > mx) mx = logits[c];
        let z = 0;
        for (let c = 0; c < K; c++) {
          logits[c] = Math.exp(logits[c] - mx);
          z += logits[c];
        }
        for (let c = 0; c < K; c++) logits[c] /= z; // now p − y below
        logits[train.labels[i]] -= 1;
        for (let c = 0; c < K; c++) gb[c] += logits[c];
        for (let j = 0; j < dim; j++) {
          const xv = X[o + j];
          if (xv === 0) continue;
          const w = j * K;
          for (let c = 0; c < K; c++) gW[w + c] += xv * logits[c];
        }
      }
      const scale = 1 / (e - s);
      step++;
      const c1 = 1 / (1 - beta1 ** step);
      const c2 = 1 / (1 - beta2 ** step);
      for (let q = 0; q < W.length; q++) {
        const g = gW[q] * scale + l2 * W[q];
        mW[q] = beta1 * mW[q] + (1 - beta1) * g;
        vW[q] = beta2 * vW[q] + (1 - beta2) * g * g;
        W[q] -= (lr * mW[q] * c1) / (Math.sqrt(vW[q] * c2) + 1e-8);
      }
      for (let c = 0; c < K; c++) {
        const g = gb[c] * scale;
        mb[c] = beta1 * mb[c] + (1 - beta1) * g;
        vb[c] = beta2 * vb[c] + (1 - beta2) * g * g;
        b[c] -= (lr * mb[c] * c1) / (Math.sqrt(vb[c] * c2) + 1e-8);
      }
    }
  }

  const T = standardise(test.x, test.n);
  let correct = 0;
  for (let i = 0; i < test.n; i++) {
    logits.set(b);
    const o = i * dim;
    for (let j = 0; j < dim; j++) {
      const xv = T[o + j];
      if (xv === 0) continue;
      const w = j * K;
      for (let c = 0; c < K; c++) logits[c] += xv * W[w + c];
    }
    let best = 0;
    for (let c = 1; c < K; c++) if (logits[c] > logits[best]) best = c;
    if (best === test.labels[i]) correct++;
  }
  return correct / test.n;
}
