/**
 * f_i = ε log a_i − ε·LSE_j((g_j − C_ij)/ε), exactly, or (finite θ) leaving out the terms below e^−θ of the row's
 * largest, whose share of the sum is below m·e^−θ.
 */
export function softminRows(
  C: Float64Array,
  n: number,
  m: number,
  g: Float64Array,
  logA: Float64Array,
  eps: number,
  f: Float64Array,
  theta = Infinity,
): void {
  const inv = 1 / eps;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    let mx = -Infinity;
    for (let j = 0; j < m; j++) {
      const t = (g[j] - C[o + j]) * inv;
      if (t > mx) mx = t;
    }
    const lim = mx - theta;
    let s = 0;
    for (let j = 0; j < m; j++) {
      const t = (g[j] - C[o + j]) * inv;
      if (t > lim) s += Math.exp(t - mx);
    }
    f[i] = eps * (logA[i] - mx - Math.log(s));
  }
}

/** g_j = ε log b_j − ε·LSE_i((f_i − C_ij)/ε), exactly. */
export function softminCols(
  C: Float64Array,
  n: number,
  m: number,
  f: Float64Array,
  logB: Float64Array,
  eps: number,
  g: Float64Array,
): void {
  const inv = 1 / eps;
  const mx = new Float64Array(m).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    const fi = f[i];
    for (let j = 0; j < m; j++) {
      const t = (fi - C[o + j]) * inv;
      if (t > mx[j]) mx[j] = t;
    }
  }
  const s = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    const fi = f[i];
    for (let j = 0; j < m; j++) s[j] += Math.exp((fi - C[o + j]) * inv - mx[j]);
  }
  for (let j = 0; j < m; j++) g[j] = eps * (logB[j] - mx[j] - Math.log(s[j]));
}
