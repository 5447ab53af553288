import { fingerprintKey, type FeatureFingerprint } from '../contract/feature-fingerprint';
import type { StudyCellAggregate } from '../contract/study-aggregate';

/** Cells of a study whose runs computed a feature metric alike. */
export interface FingerprintGroup {
  /** Their runs' one feature fingerprint; absent when they recorded none or differ among themselves (`mixed`). */
  fingerprint?: FeatureFingerprint;
  /** The cells' own runs disagree in fingerprint. */
  mixed: boolean;
  /** Their cell keys, in the order given. */
  cells: string[];
}

/**
 * Cells grouped by their runs' feature fingerprint, the one rule the study tables (a column per group) and the
 * comparison's curves (a warning when there are several) share: one group per fingerprint, one for the cells that
 * recorded none, one for the cells whose runs differ; groups in the order their first cell comes.
 */
export function fingerprintGroups(cells: readonly Pick<StudyCellAggregate, 'cellKey' | 'featureFingerprints'>[]): FingerprintGroup[] {
  const groups = new Map<string, FingerprintGroup>();
  for (const cell of cells) {
    const fps = cell.featureFingerprints ?? [];
    const key = fps.length === 1 ? fingerprintKey(fps[0]) : fps.length === 0 ? 'unrecorded' : 'mixed';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ...(fps.length === 1 ? { fingerprint: fps[0] } : {}), mixed: fps.length > 1, cells: [] }));
    g.cells.push(cell.cellKey);
  }
  return [...groups.values()];
}
