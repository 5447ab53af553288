import type { StudyVerdict, VerdictCheck } from '../../contract/paper-claim';
import type { StudyAggregate, StudyCellAggregate } from '../../contract/study-aggregate';
import { canonicalJson } from '../../shared/canonical-json';

/**
 * Small readers of a study's aggregate for the built-in studies' verdicts: the cell with given axis values, a metric's
 * mean at a generation, and the verdict from a list of checks. A verdict is 'pending' whenever a number it needs is
 * missing (the runs have not reached that generation yet), never a guess.
 */

/** The cell whose axis values include every (path, value) of `fields` (compared as canonical JSON). */
export function cellWith(aggregate: StudyAggregate, fields: Record<string, unknown>): StudyCellAggregate | undefined {
  return aggregate.cells.find((c) =>
    Object.entries(fields).every(([path, value]) => canonicalJson(c.fields[path]) === canonicalJson(value)),
  );
}

/**
 * The mean over seeds of a metric in a cell at a generation, only when every seed of the cell recorded it there (a
 * cell whose runs are still going is not compared on a partial mean); null otherwise.
 */
export function meanAt(cell: StudyCellAggregate | undefined, metric: string, generation: number): number | null {
  if (!cell || cell.n === 0) return null;
  const g = cell.generations.find((s) => s.generation === generation);
  const stat = g?.metrics[metric];
  if (!stat || stat.n < cell.n || !Number.isFinite(stat.mean)) return null;
  return stat.mean;
}

/** The mean over every generation in [from, to] of a metric's per-generation means; null when any is missing. */
export function meanOver(cell: StudyCellAggregate | undefined, metric: string, from: number, to: number): number | null {
  let sum = 0;
  for (let g = from; g <= to; g++) {
    const v = meanAt(cell, metric, g);
    if (v === null) return null;
    sum += v;
  }
  return sum / (to - from + 1);
}

/**
 * A check of our number against something. It counts as missing (ours = null, so the verdict is pending) when our
 * number or any number it is compared with (`needs`) is missing; the comparison then is not made.
 */
export function check(
  label: string,
  ours: number | null,
  against: number | string,
  pass: (v: number) => boolean,
  ...needs: (number | null)[]
): VerdictCheck {
  const value = needs.some((n) => n === null) ? null : ours;
  return { label, ours: value, against, pass: value !== null && pass(value) };
}

/** Three significant digits, for the summaries. */
export function fmt(v: number | null): string {
  if (v === null) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1000 || a < 1e-3 ? v.toExponential(2) : v.toPrecision(3);
}

/**
 * The verdict from its checks: 'pending' when any check lacks its number (the data is not there yet), else 'yes' when
 * all pass, 'no' when none do, 'partly' in between. The summary is `lead` followed by the checks that failed.
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
  const passed = checks.filter((c) => c.pass).length;
  const reproduced = passed === checks.length ? 'yes' : passed === 0 ? 'no' : 'partly';
  const failed = checks
    .filter((c) => !c.pass)
    .map((c) => `${c.label}: ${fmt(c.ours)} vs ${typeof c.against === 'number' ? fmt(c.against) : c.against}`);
  const tail = failed.length > 0 ? ` Failed: ${failed.join('; ')}.` : '';
  return { reproduced, summary: `${lead} ${passed} of ${checks.length} checks pass.${tail}`, checks };
}
