export interface PowerLawFit {
  /** ψ in y ≈ C·t^(−ψ). */
  psi: number;
  /** Standard error of ψ from the least-squares fit (NaN with fewer than 3 points or a perfect fit on 2). */
  stderr: number;
  /** log C: the intercept of log y = log C − ψ·log t. */
  intercept: number;
}

/**
 * Fit Tr(Σ_t) ≈ C·t^(−ψ) by ordinary least squares on log y = log C − ψ·log t (scipy.stats.linregress on the logs:
 * ψ = −slope, stderr = the slope's standard error √(SSE/(n−2) / Σ(log t − mean)²)). Needs t > 0 and y > 0.
 */
export function fitPowerLaw(t: number[], y: number[]): PowerLawFit {
  if (t.length !== y.length) throw new RangeError(`fitPowerLaw: ${t.length} times but ${y.length} values`);
  if (t.length < 2) throw new RangeError(`fitPowerLaw: needs at least 2 points, got ${t.length}`);
  const n = t.length;
  const lx = new Float64Array(n);
  const ly = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(t[i] > 0) || !Number.isFinite(t[i])) throw new RangeError(`fitPowerLaw: t[${i}] = ${t[i]} (must be > 0)`);
    if (!(y[i] > 0) || !Number.isFinite(y[i])) throw new RangeError(`fitPowerLaw: y[${i}] = ${y[i]} (must be > 0)`);
    lx[i] = Math.log(t[i]);
    ly[i] = Math.log(y[i]);
  }
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += lx[i];
    my += ly[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
  }
  if (!(sxx > 0)) throw new RangeError('fitPowerLaw: all t are equal');
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ly[i] - intercept - slope * lx[i]) ** 2;
  const stderr = n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : NaN;
  return { psi: -slope, stderr, intercept };
}

/** A power-law fit over a window of generations, with the window it used. */
export interface WindowedPowerLawFit extends PowerLawFit {
  /** The window's first generation (as asked) and the number of points fitted. */
  from: number;
  points: number;
}

/**
 * Fit y ≈ C·t^(−ψ), t = generation + 1, over the points with generation ≥ from; null with fewer than 3 such points
 * or any non-positive or non-finite value among them (a collapse to exactly 0 has no power law).
 */
export function fitPowerLawWindow(generations: number[], values: number[], from: number): WindowedPowerLawFit | null {
  if (generations.length !== values.length) {
    throw new RangeError(`fitPowerLawWindow: ${generations.length} generations but ${values.length} values`);
  }
  const t: number[] = [];
  const y: number[] = [];
  generations.forEach((g, i) => {
    if (g >= from) {
      t.push(g + 1);
      y.push(values[i]);
    }
  });
  if (t.length < 3 || y.some((v) => !(v > 0) || !Number.isFinite(v))) return null;
  const fit = fitPowerLaw(t, y);
  if (!Number.isFinite(fit.psi)) return null;
  return { ...fit, from, points: t.length };
}
