/**
 * Adam (Kingma & Ba; PyTorch's torch.optim.Adam without weight decay) over flat Float32 arrays, in place, on an index
 * range, so two threads can each update half of a shared parameter vector. Hand-written because the tfjs optimiser
 * works on tensors (about a dozen kernel calls per variable per step, 15 ms per step for the 1.1M-parameter VAE on
 * wasm), whereas this one pass over the arrays costs a few milliseconds and needs no upload of gradients.
 *
 * Arithmetic per element, in float64 and stored as float32:
 *   g = Σ shards' gradients (in shard order, so the result does not depend on which thread computed what)
 *   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  p ← p − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * (computed in the algebraically equal form with one division and one square root per element).
 */
export interface AdamConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export const ADAM_DEFAULTS: Omit<AdamConfig, 'lr'> = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** One Adam step (t is 1-based) on params[from, to). */
export function adamStep(
  cfg: AdamConfig,
  t: number,
  params: Float32Array,
  m: Float32Array,
  v: Float32Array,
  shardGrads: Float32Array[],
  from = 0,
  to = params.length,
): void {
  const { lr, beta1, beta2, eps } = cfg;
  const bc1 = 1 - Math.pow(beta1, t);
  const sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, t));
  // lr/bc1 · m / (√v/√bc2 + ε) = (lr·√bc2/bc1) · m / (√v + ε·√bc2): one division and one sqrt per element
  const stepSize = (lr * sqrtBc2) / bc1;
  const epsHat = eps * sqrtBc2;
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  if (shardGrads.length === 1) {
    const g0 = shardGrads[0];
    for (let i = from; i < to; i++) {
      const g = g0[i];
      const mi = beta1 * m[i] + a1 * g;
      const vi = beta2 * v[i] + a2 * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (stepSize * mi) / (Math.sqrt(vi) + epsHat);
    }
  } else if (shardGrads.length === 2) {
    const g0 = shardGrads[0];
    const g1 = shardGrads[1];
    for (let i = from; i < to; i++) {
      const g = g0[i] + g1[i];
      const mi = beta1 * m[i] + a1 * g;
      const vi = beta2 * v[i] + a2 * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (stepSize * mi) / (Math.sqrt(vi) + epsHat);
    }
  } else {
    throw new RangeError(`adamStep takes one or two gradient shards, got ${shardGrads.length}`);
  }
}
