import type { StudyVerdict, VerdictCheck } from '../../../../main/contract/paper-claim';
import { formatNumber } from '../../../../main/shared/number-format';

/** How a verdict reads in the app: its badge text, and a check's numbers as text. */

export const VERDICT_LABELS: Record<StudyVerdict['reproduced'], string> = {
  yes: 'reproduced',
  partly: 'partly reproduced',
  inconclusive: 'inconclusive (too few seeds)',
  no: 'not reproduced',
  pending: 'pending',
};

/** A number at 4 significant digits, "—" when there is none. */
export function numberText(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : formatNumber(v);
}

/** What a check compared its value with: a number at 4 significant digits, a text as it is, "—" when nothing. */
export function againstText(c: Pick<VerdictCheck, 'against'>): string {
  if (c.against === undefined) return '—';
  return typeof c.against === 'number' ? formatNumber(c.against) : c.against;
}

/** The paper's number as text (its texts such as "→ 0 almost surely" as they are). */
export function paperText(v: number | string): string {
  return typeof v === 'number' ? formatNumber(v) : v;
}
