import type { StudyIndexEntry, StudySpec, StudySummary } from '../contract/study';
import { writeFileAtomicSync } from '../util/atomic-write';
import { fileVersion } from '../util/file-version';
import type { StudyFolder } from './study-folder';

/**
 * A settled study's status (no coordinator, every run in a final state) kept in its folder, `status-cache.json`, with
 * the key it holds for: the versions of its study.json and index.json and the content of its change record, which the
 * engine rewrites whenever one of its runs changes (main/runs/study-changes.ts). A process that opens the workspace
 * (the app's first load, a server's first studies.list) then reads one file per study instead of expanding the study
 * (its thousands of configs) and reading each run's status; any change through the engine makes it stale, and the
 * status is computed again and written again.
 */
export const STUDY_STATUS_CACHE = 'status-cache.json';

/** Bumped when what the cache holds changes: older files are then computed afresh. */
const FORMAT = 1;

export interface CachedStudyStatus extends StudySummary {
  spec: StudySpec;
  runs: StudyIndexEntry[];
}

/** The key a settled study's status holds for now (three small reads). */
export function settledStudyKey(folder: StudyFolder): string {
  return `${FORMAT}\n${fileVersion(folder.file('study.json'))}\n${fileVersion(folder.file('index.json'))}\n${folder.changes()}`;
}

/** The cached status when it holds for `key`; null when there is none, it is stale or it does not read. */
export function readCachedStudyStatus(folder: StudyFolder, key: string): CachedStudyStatus | null {
  try {
    const c = folder.readJson<{ key?: unknown; status?: CachedStudyStatus }>(STUDY_STATUS_CACHE);
    const s = c?.status;
    if (c?.key !== key || !s || typeof s.id !== 'string' || !Array.isArray(s.runs) || !s.progress || !s.spec) return null;
    return s;
  } catch {
    return null;
  }
}

/** Keep a settled study's status for `key` (a cache: a write that fails is not an error of the study). */
export function writeCachedStudyStatus(folder: StudyFolder, key: string, status: CachedStudyStatus): void {
  try {
    // compact and not synced: a cache of thousands of entries, whose truth is in the run folders
    writeFileAtomicSync(folder.file(STUDY_STATUS_CACHE), `${JSON.stringify({ key, status })}\n`, { durable: false });
  } catch {
    // the next look computes it again
  }
}
