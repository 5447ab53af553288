/**
 * The Hermite spectrum of a one-dimensional sample against the standard Gaussian φ (the stationary law of the
 * Ornstein–Uhlenbeck process). A density p = φ · Σ_k c_k He_k with He_k the probabilists' Hermite polynomials
 * (He_0 = 1, He_1 = x, He_{k+1} = x He_k − k He_{k−1}, orthogonal under φ with ∫ He_j He_k φ = k! δ_jk) has
 * c_k = E_p[He_k(X)] / k!, and mode k carries energy k!·c_k² = E_p[He_k(X)]² / k! (the L²(φ) norm of p/φ is the sum).
 * Under the OU process mode k is damped by e^(−k t): recursive truncation acts as a low-pass filter (seed 001).
 */

/** E[He_k(X)] for k = 0..K, estimated from x[0..n). */
export function hermiteMoments(x: ArrayLike<number>, n: number, K: number): Float64Array {
  const m = new Float64Array(K + 1);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    let prev = 1;
    m[0] += 1;
    if (K === 0) continue;
    let cur = v;
    m[1] += cur;
    for (let k = 1; k < K; k++) {
      const next = v * cur - k * prev;
      prev = cur;
      cur = next;
      m[k + 1] += cur;
    }
  }
  for (let k = 0; k <= K; k++) m[k] /= n;
  return m;
}

/** Energy E[He_k(X)]² / k! of each mode k = 0..K. */
export function hermiteEnergies(x: ArrayLike<number>, n: number, K: number): number[] {
  const m = hermiteMoments(x, n, K);
  const out: number[] = [];
  let fact = 1;
  for (let k = 0; k <= K; k++) {
    if (k > 0) fact *= k;
    out.push((m[k] * m[k]) / fact);
  }
  return out;
}
