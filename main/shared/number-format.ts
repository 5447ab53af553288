/**
 * Numbers for reading, the one rule of the tables, the reports, the figures' axes and the renderer's cells.
 * Node-free: the engine and the renderer import it.
 */

/**
 * A number for reading: integers as they are, others to 4 significant digits without trailing zeros, in exponent
 * form only below 1e-4 or from 1e9 on (`1.235e-5`).
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Object.is(x, -0)) return '0';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  if (a < 1e-4 || a >= 1e9) {
    const [mantissa, exponent] = x.toExponential(3).split('e');
    return `${mantissa.replace(/\.?0+$/, '')}e${exponent.replace(/^\+/, '')}`;
  }
  return String(Number(x.toPrecision(4)));
}

/** Mean, sample sd and count of a metric over a cell's seeds (the aggregate's MetricStat). */
export interface StatValue {
  mean: number;
  sd: number | null;
  n: number;
}

/** `mean ± sd (n)` for reading, sd left out when null. */
export function statText(s: StatValue, pm = '±'): string {
  return s.sd === null ? `${formatNumber(s.mean)} (${s.n})` : `${formatNumber(s.mean)} ${pm} ${formatNumber(s.sd)} (${s.n})`;
}
