import type { StudyVerdict, VerdictCheck, VerdictReferenceKind } from '../../contract/paper-claim';
import type { MetricStat, StudyAggregate, StudyCellAggregate, StudyPowerLawFit } from '../../contract/study-aggregate';
import { metricStat } from '../../shared/aggregate';
import { canonicalJson } from '../../shared/canonical-json';
import { psiLabel } from '../../shared/psi';

/**
 * The built-in studies' verdicts are made of checks that can fail: each names its quantity, its reference (the
 * paper's number, a closed form, an independent re-run committed as a fixture, or another cell), and a tolerance
 * derived from standard errors at the study's own seed count — on a log scale where the quantity spans decades. Two
 * kinds:
 * - `matchCheck`: ours agrees with a reference value within z standard errors of the difference (a re-run's value
 *   carries its own s.e.; a closed form none).
 * - `compareCheck`: ours lies on the claimed side of a reference (another cell, or a threshold) by more than z
 *   standard errors; with the effect the claim predicts, the check knows its power, and a comparison that does not pass
 *   with a power below 80 % is 'inconclusive' ("about 19 seeds needed") rather than failing by chance.
 * A verdict is 'pending' whenever a number it needs is missing (the runs have not reached that generation), never a
 * guess. Readers of the aggregate are here too.
 */

/** The cell whose axis values include every (path, value) of `fields` (compared as canonical JSON). */
export function cellWith(aggregate: StudyAggregate, fields: Record<string, unknown>): StudyCellAggregate | undefined {
  return aggregate.cells.find((c) =>
    Object.entries(fields).every(([path, value]) => canonicalJson(c.fields[path]) === canonicalJson(value)),
  );
}

/**
 * A metric's mean ± sd over a cell's seeds at a generation, only when every seed of the cell recorded it there (a cell
 * whose runs are still going is not compared on a partial mean); null otherwise.
 */
export function statAt(cell: StudyCellAggregate | undefined, metric: string, generation: number): MetricStat | null {
  if (!cell || cell.n === 0) return null;
  const g = cell.generations.find((s) => s.generation === generation);
  const stat = g?.metrics[metric];
  if (!stat || stat.n < cell.n || !Number.isFinite(stat.mean)) return null;
  return stat;
}

/** The mean over seeds of a metric in a cell at a generation (see statAt); null when missing. */
export function meanAt(cell: StudyCellAggregate | undefined, metric: string, generation: number): number | null {
  return statAt(cell, metric, generation)?.mean ?? null;
}

/**
 * Each seed's mean of a metric over the generations [from, to], when the aggregate kept that window (its preset's
 * `windows`) and every seed of the cell has it; null otherwise.
 */
export function windowMeans(
  cell: StudyCellAggregate | undefined,
  metric: string,
  from: number,
  to: number,
): { seeds: number[]; means: number[] } | null {
  if (!cell || cell.n === 0) return null;
  const w = cell.windows?.find((x) => x.metric === metric && x.from === from && x.to === to);
  return w && w.seeds.length === cell.n ? w : null;
}

/**
 * A metric averaged over the generations [from, to]: mean ± sd over the seeds of each seed's average when the
 * aggregate kept the window (windowMeans: the sd measured); else the mean through the per-generation means, with an sd
 * that only bounds the sd of a seed's average from above (the mean of the per-generation sds: an average of
 * correlated values spreads at most as much; about twice too wide where a run's generations are far from perfectly
 * correlated). Null when any generation is missing.
 */
export function statOver(cell: StudyCellAggregate | undefined, metric: string, from: number, to: number): MetricStat | null {
  const kept = windowMeans(cell, metric, from, to);
  if (kept) return metricStat(kept.means);
  let sum = 0;
  let sdSum = 0;
  let sdKnown = true;
  let n = Infinity;
  for (let g = from; g <= to; g++) {
    const s = statAt(cell, metric, g);
    if (s === null) return null;
    sum += s.mean;
    if (s.sd === null) sdKnown = false;
    else sdSum += s.sd;
    n = Math.min(n, s.n);
  }
  const k = to - from + 1;
  return { mean: sum / k, sd: sdKnown ? sdSum / k : null, n };
}

/**
 * The per-seed difference a − b of two cells' window means (paired by seed, over the seeds both have): mean ± sd of the
 * differences; null unless both cells kept the window (windowMeans) and share at least one seed.
 */
export function pairedOver(
  a: StudyCellAggregate | undefined,
  b: StudyCellAggregate | undefined,
  metric: string,
  from: number,
  to: number,
): MetricStat | null {
  const wa = windowMeans(a, metric, from, to);
  const wb = windowMeans(b, metric, from, to);
  if (!wa || !wb) return null;
  const bySeed = new Map(wb.seeds.map((s, i) => [s, wb.means[i]]));
  const diffs: number[] = [];
  wa.seeds.forEach((s, i) => {
    const other = bySeed.get(s);
    if (other !== undefined) diffs.push(wa.means[i] - other);
  });
  return diffs.length > 0 ? metricStat(diffs) : null;
}

/** The mean over every generation in [from, to] of a metric's per-generation means; null when any is missing. */
export function meanOver(cell: StudyCellAggregate | undefined, metric: string, from: number, to: number): number | null {
  return statOver(cell, metric, from, to)?.mean ?? null;
}

/** ψ per seed of a cell's fit (mean ± sd over the seeds) as a stat, with its label naming the window. */
export function psiPerSeed(fit: StudyPowerLawFit | undefined): { stat: MetricStat | null; label: string } {
  if (!fit) return { stat: null, label: 'ψ per seed' };
  return { stat: fit.seedPsi, label: psiLabel('per-seed', fit.firstGeneration, fit.lastGeneration) };
}

/** A reference value: the paper's number, a closed form (sd absent), a re-run's mean ± sd over its n seeds, or a cell. */
export interface ReferenceValue {
  kind: VerdictReferenceKind;
  /** Where it comes from: "numpy re-run, 20 seeds (test/fixtures/…/simulate_….py)". */
  text: string;
  mean: number;
  /** The spread of one seed (sd over the reference's seeds); absent for an exact value. */
  sd?: number | null;
  /** Seeds behind `mean` (absent: exact). */
  n?: number;
}

/** The standard normal CDF (Abramowitz–Stegun 7.1.26 on erf, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** z of 80 % power. */
const Z_POWER = 0.8416;

/** Three significant digits, for the summaries. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1000 || a < 1e-3 ? v.toExponential(2) : v.toPrecision(3);
}

/** A check that lacks a number: it is pending (the verdict says so) and compares nothing. */
function missingCheck(base: Omit<VerdictCheck, 'ours' | 'pass' | 'outcome' | 'tolerance'>, why: string): VerdictCheck {
  return { ...base, ours: null, tolerance: why, pass: false, outcome: 'fail' };
}

/** Value and squared standard error of a stat's mean on the scale (log: by the delta method, from sd/mean). */
function onScale(mean: number, sd: number | null | undefined, n: number | undefined, scale: 'linear' | 'log') {
  const value = scale === 'log' ? Math.log(mean) : mean;
  if (sd === null || sd === undefined || n === undefined || n < 1) return { value, var1: null as number | null, n };
  const s1 = scale === 'log' ? sd / Math.abs(mean) : sd;
  return { value, var1: s1 * s1, n };
}

export interface MatchCheckInput {
  label: string;
  quantity: string;
  ours: MetricStat | null;
  reference: ReferenceValue;
  /** Standard errors of the tolerance (default 3). */
  z?: number;
  scale?: 'linear' | 'log';
  /** 'number' by default: a matching number beside the claim. */
  role?: 'claim' | 'number';
  /**
   * The smallest tolerance on the scale (log: a factor's logarithm), for a reference whose s.e. is 0 or unknown (a
   * closed form with one seed of ours): stated in the check.
   */
  floor?: number;
}

/**
 * Ours agrees with the reference within z standard errors of the difference of the two means. The s.e. of ours uses
 * the reference's seed sd when it has one (the same distribution: more stable than our own at a few seeds), else our
 * sd over our seeds; the reference adds its own s.e. (sd/√n). On a log scale the means' logarithms are compared, with
 * the s.e. of log-means by the delta method (sd/mean/√n).
 */
export function matchCheck(o: MatchCheckInput): VerdictCheck {
  const scale = o.scale ?? 'linear';
  const z = o.z ?? 3;
  const base = {
    label: o.label,
    quantity: o.quantity,
    reference: { kind: o.reference.kind, text: o.reference.text },
    against: o.reference.mean,
    scale,
    role: o.role ?? ('number' as const),
  };
  if (o.ours === null) return missingCheck(base, 'no value of ours yet');
  if (scale === 'log' && !(o.ours.mean > 0 && o.reference.mean > 0)) {
    return { ...base, ours: o.ours.mean, tolerance: 'a log-scale comparison needs positive values', pass: false, outcome: 'fail' };
  }
  const r = onScale(o.reference.mean, o.reference.sd, o.reference.n, scale);
  const refSd = r.var1 !== null ? Math.sqrt(r.var1) : null;
  const ownSd = onScale(o.ours.mean, o.ours.sd, o.ours.n, scale).var1;
  const oursSd = refSd ?? (ownSd !== null && o.ours.n >= 2 ? Math.sqrt(ownSd) : null);
  const ours = scale === 'log' ? Math.log(o.ours.mean) : o.ours.mean;
  let variance = 0;
  const parts: string[] = [];
  if (oursSd !== null) {
    variance += oursSd ** 2 / o.ours.n;
    parts.push(`ours over ${o.ours.n} seed${o.ours.n === 1 ? '' : 's'}, sd ${fmt(oursSd)}${refSd !== null ? ' (the reference’s)' : ''}`);
  }
  if (refSd !== null && r.n !== undefined) {
    variance += refSd ** 2 / r.n;
    parts.push(`reference over ${r.n} seeds`);
  }
  const se = variance > 0 ? Math.sqrt(variance) : null;
  let tol = se === null ? null : z * se;
  let tolText = se === null ? 'no standard error' : `${z} s.e. = ${fmt(tol)}${scale === 'log' ? ' in log' : ''} (${parts.join('; ')})`;
  if (o.floor !== undefined && (tol === null || tol < o.floor)) {
    tol = o.floor;
    tolText = `${tolText}; at least ${fmt(o.floor)}${scale === 'log' ? ` in log (×${fmt(Math.exp(o.floor))})` : ''}`;
  }
  if (tol === null)
    return { ...base, ours: o.ours.mean, tolerance: `${tolText} (one seed, no reference spread)`, pass: false, outcome: 'inconclusive' };
  const pass = Math.abs(ours - r.value) <= tol;
  const gap = ours - r.value;
  const seen = `seen: ${fmt(Math.abs(gap))}${scale === 'log' ? ' in log' : ''} ${gap >= 0 ? 'above' : 'below'} it, ${pass ? 'within' : 'beyond'}`;
  return {
    ...base,
    ours: o.ours.mean,
    tolerance: `tested: within ${tolText} of ${fmt(o.reference.mean)}; ${seen}`,
    pass,
    outcome: pass ? 'pass' : 'fail',
  };
}

export interface CompareCheckInput {
  label: string;
  quantity: string;
  /** Ours: the cell (or value) the claim is about. */
  ours: MetricStat | null;
  /** What it is compared with: another cell's stat, or a fixed number (a threshold, a closed form). */
  reference: { kind: VerdictReferenceKind; text: string; stat: MetricStat | number | null };
  /** The claim: ours above (or below) the reference. */
  direction: 'above' | 'below';
  /**
   * The effect the claim predicts, on the check's scale (linear: a difference; log: the log of the ratio), from the
   * paper, a closed form or a re-run: the power is computed for it. Stated in the check's text (`effectText`).
   */
  effect: number;
  effectText: string;
  /** The claim is ours above (below) reference × factor (log scale) or reference + margin (linear): default none. */
  factor?: number;
  margin?: number;
  /** One-sided z (default 2). */
  z?: number;
  scale?: 'linear' | 'log';
  /** 'claim' by default. */
  role?: 'claim' | 'number';
}

/**
 * Ours on the claimed side of the reference by more than z standard errors of the difference (each side's sd over its
 * seeds). Its power for the claimed effect at the study's seed count is Φ(effect/s.e. − z); a check that does not pass
 * fails when the difference lies more than z s.e. on the wrong side or the power was at least 80 %, and is
 * 'inconclusive' otherwise (with the seeds that would give 80 %, the s.e. shrinking as 1/√n).
 */
export function compareCheck(o: CompareCheckInput): VerdictCheck {
  const scale = o.scale ?? 'linear';
  const z = o.z ?? 2;
  const refStat = o.reference.stat;
  const refMean = typeof refStat === 'number' ? refStat : (refStat?.mean ?? null);
  const shift = scale === 'log' ? Math.log(o.factor ?? 1) : (o.margin ?? 0);
  const shiftText = scale === 'log' ? (o.factor !== undefined ? ` × ${fmt(o.factor)}` : '') : o.margin ? ` + ${fmt(o.margin)}` : '';
  const base = {
    label: o.label,
    quantity: o.quantity,
    reference: { kind: o.reference.kind, text: o.reference.text },
    against: refMean === null ? 'its reference (missing)' : `${o.direction} ${fmt(refMean)}${shiftText}`,
    scale,
    role: o.role ?? ('claim' as const),
  };
  if (o.ours === null || refMean === null) return missingCheck(base, 'no value yet');
  if (scale === 'log' && !(o.ours.mean > 0 && refMean > 0)) {
    // a log-scale claim on a non-positive value: decided by the sign alone
    const pass = o.direction === 'below' ? o.ours.mean <= 0 && refMean > 0 : o.ours.mean > 0 && refMean <= 0;
    return { ...base, ours: o.ours.mean, tolerance: 'non-positive value on a log scale', pass, outcome: pass ? 'pass' : 'fail' };
  }
  const a = onScale(o.ours.mean, o.ours.sd, o.ours.n, scale);
  const b = typeof refStat === 'number' || refStat === null ? null : onScale(refStat.mean, refStat.sd, refStat.n, scale);
  const bValue = b ? b.value : scale === 'log' ? Math.log(refMean) : refMean;
  const sign = o.direction === 'above' ? 1 : -1;
  // above: ours > reference·factor (+ margin); below: ours < reference·factor (+ margin)
  const d = sign * (a.value - bValue - shift);
  let variance = 0;
  let known = true;
  if (a.var1 === null || o.ours.n < 2) known = false;
  else variance += a.var1 / o.ours.n;
  if (b) {
    if (b.var1 === null || (b.n ?? 0) < 2) known = false;
    else variance += b.var1 / b.n!;
  }
  const seeds = o.ours.n;
  const logs = scale === 'log' ? ' in log' : '';
  const tested = `tested: ours ${o.direction} ${fmt(refMean)}${shiftText}`;
  // what was seen: how far ours lies from the tested line, and on which side
  const seen = `seen: ${fmt(Math.abs(d))}${logs} ${d >= 0 ? o.direction : o.direction === 'above' ? 'below' : 'above'} it`;
  if (!known || !(variance > 0)) {
    // one seed (or no spread): no s.e., so the sign decides and the check says it has no power figure
    const pass = d > 0;
    return {
      ...base,
      ours: o.ours.mean,
      tolerance: `${tested} (no standard error at ${seeds} seed${seeds === 1 ? '' : 's'}: the side decides); ${seen}`,
      pass,
      outcome: pass ? 'pass' : 'fail',
      power: {
        effect: o.effect,
        power: NaN,
        seeds,
        seedsNeeded: null,
        text: `power unknown at ${seeds} seed${seeds === 1 ? '' : 's'} (no spread)`,
      },
    };
  }
  const se = Math.sqrt(variance);
  const power = normalCdf(Math.abs(o.effect) / se - z);
  const needed = Math.abs(o.effect) > 0 ? Math.ceil(seeds * (((z + Z_POWER) * se) / Math.abs(o.effect)) ** 2) : null;
  const pass = d > z * se;
  // significantly on the wrong side is a failure whatever the power; short of both sides, the power decides
  const against = d < -z * se;
  const outcome = pass ? 'pass' : !against && power < 0.8 ? 'inconclusive' : 'fail';
  const powerText =
    outcome === 'inconclusive'
      ? `inconclusive at ${seeds} seeds (power ${Math.round(power * 100)} % for ${o.effectText}); about ${needed ?? '—'} needed`
      : `power ${Math.round(power * 100)} % at ${seeds} seeds for ${o.effectText}${needed !== null && needed > seeds ? `; ${needed} for 80 %` : ''}`;
  const limit = `${z} s.e. = ${fmt(z * se)}${logs}`;
  const why = pass
    ? `more than ${limit}: passes`
    : against
      ? `on the wrong side by more than ${limit}: fails whatever the power`
      : `not more than ${limit}: ${outcome === 'fail' ? `fails, the check having ${Math.round(power * 100)} % power` : 'inconclusive'}`;
  return {
    ...base,
    ours: o.ours.mean,
    tolerance: `${tested} by more than ${limit}; ${seen}, ${why}`,
    pass,
    outcome,
    power: { effect: o.effect, power, seeds, seedsNeeded: needed, text: powerText },
  };
}

/** A comparison of one cell with another cell of the study: compareCheck with that cell as its reference. */
export interface CellComparisonInput extends Omit<CompareCheckInput, 'reference'> {
  /** The other cell: how the check names it ("the random cell") and its stat at the compared generation(s). */
  versus: { text: string; stat: MetricStat | null };
}

/** Cell X against cell Y with power (compareCheck's rule): the shape every "scheme A beats scheme B" claim takes. */
export function cellComparison(o: CellComparisonInput): VerdictCheck {
  const { versus, ...rest } = o;
  return compareCheck({ ...rest, reference: { kind: 'cell', text: versus.text, stat: versus.stat } });
}

export interface BoundCheckInput {
  label: string;
  quantity: string;
  ours: MetricStat | null;
  /** The closed-form bound ours must not exceed ('upper') or fall below ('lower'). */
  bound: { text: string; value: number };
  /** Where the bound comes from: a closed form (default), or another cell or generation of the study ('cell'). */
  boundKind?: VerdictReferenceKind;
  side: 'upper' | 'lower';
  /** The violation the check must be able to see (on the scale: log of a ratio, or a difference), and its words. */
  effect: number;
  effectText: string;
  z?: number;
  scale?: 'linear' | 'log';
  role?: 'claim' | 'number';
}

/**
 * Ours within a closed-form bound: it fails when ours lies beyond the bound by more than z standard errors (the data
 * contradict the bound); it passes when not, provided the check had at least 80 % power to see a violation of the
 * stated size, and is 'inconclusive' otherwise (with the seeds it would need).
 */
export function boundCheck(o: BoundCheckInput): VerdictCheck {
  const scale = o.scale ?? 'linear';
  const z = o.z ?? 2;
  const base = {
    label: o.label,
    quantity: o.quantity,
    reference: { kind: o.boundKind ?? ('closed-form' as const), text: o.bound.text },
    against: `${o.side === 'upper' ? '≤' : '≥'} ${fmt(o.bound.value)}`,
    scale,
    role: o.role ?? ('claim' as const),
  };
  if (o.ours === null) return missingCheck(base, 'no value yet');
  const a = onScale(o.ours.mean, o.ours.sd, o.ours.n, scale);
  const b = scale === 'log' ? Math.log(o.bound.value) : o.bound.value;
  const beyond = (o.side === 'upper' ? 1 : -1) * (a.value - b);
  const seeds = o.ours.n;
  if (a.var1 === null || seeds < 2 || !(a.var1 > 0)) {
    const pass = beyond <= 0;
    return {
      ...base,
      ours: o.ours.mean,
      tolerance: `no standard error at ${seeds} seed${seeds === 1 ? '' : 's'}: the side of the bound decides`,
      pass,
      outcome: pass ? 'pass' : 'fail',
      power: { effect: o.effect, power: NaN, seeds, seedsNeeded: null, text: `power unknown at ${seeds} seed${seeds === 1 ? '' : 's'}` },
    };
  }
  const se = Math.sqrt(a.var1 / seeds);
  const power = normalCdf(Math.abs(o.effect) / se - z);
  const needed = Math.ceil(seeds * (((z + Z_POWER) * se) / Math.abs(o.effect)) ** 2);
  const violated = beyond > z * se;
  const outcome = violated ? 'fail' : power >= 0.8 ? 'pass' : 'inconclusive';
  const powerText =
    outcome === 'inconclusive'
      ? `inconclusive at ${seeds} seeds (power ${Math.round(power * 100)} % to see ${o.effectText}); about ${needed} needed`
      : `power ${Math.round(power * 100)} % at ${seeds} seeds to see ${o.effectText}`;
  return {
    ...base,
    ours: o.ours.mean,
    tolerance:
      `tested: ours ${o.side === 'upper' ? 'at most' : 'at least'} ${fmt(o.bound.value)}, failing beyond it by more than ${z} s.e. = ` +
      `${fmt(z * se)}${scale === 'log' ? ' in log' : ''}; seen: ${fmt(Math.abs(beyond))}${scale === 'log' ? ' in log' : ''} ` +
      `${beyond > 0 ? 'beyond' : 'within'} the bound, ${outcome === 'fail' ? 'fails' : outcome === 'pass' ? 'passes' : 'inconclusive'}`,
    pass: outcome === 'pass',
    outcome,
    power: { effect: o.effect, power, seeds, seedsNeeded: needed, text: powerText },
  };
}

/**
 * The verdict from its checks: 'pending' when any lacks its number; else 'no' when a check of the claim fails,
 * 'inconclusive' when none fails but one lacks the power to decide, 'partly' when the claim's checks pass but a number
 * beside it does not, 'yes' when all pass. The summary is `lead`, then the checks that did not pass.
 */
export function verdictFrom(checks: VerdictCheck[], lead: string): StudyVerdict {
  const missing = checks.filter((c) => c.ours === null);
  if (checks.length === 0 || missing.length > 0) {
    return {
      reproduced: 'pending',
      summary: `Not enough data yet: ${missing.map((c) => c.label).join('; ') || 'no checks'} (runs unfinished or not started).`,
      checks,
    };
  }
  const claim = checks.filter((c) => c.role === 'claim');
  const passed = checks.filter((c) => c.pass).length;
  const reproduced = claim.some((c) => c.outcome === 'fail')
    ? 'no'
    : claim.some((c) => c.outcome === 'inconclusive')
      ? 'inconclusive'
      : passed === checks.length
        ? 'yes'
        : 'partly';
  const notPassed = checks
    .filter((c) => !c.pass)
    .map(
      (c) =>
        `${c.label}: ${fmt(c.ours)} vs ${typeof c.against === 'number' ? fmt(c.against) : c.against}` +
        (c.outcome === 'inconclusive' && c.power ? ` (${c.power.text})` : ` (${c.tolerance})`),
    );
  const tail = notPassed.length > 0 ? ` Not passed: ${notPassed.join('; ')}.` : '';
  return { reproduced, summary: `${lead} ${passed} of ${checks.length} checks pass.${tail}`, checks };
}
