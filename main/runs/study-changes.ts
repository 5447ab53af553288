import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomicSync } from '../util/atomic-write';

/**
 * A study's change record, `studies/<id>/changes.json`: rewritten by whoever changes one of the study's runs through
 * the engine (its coordinator as its runs move, a run manager that creates, resumes, settles or deletes a study run
 * in any process), so that what is cached of the study (its digest, its runs' states) is keyed by one small file read
 * instead of a stat of every run's files. Every write gives new content (a count, the writer, the time): two writers
 * at once (a coordinator and a run process) may both write the same count, never the same content. Written without
 * fsync (a cache key: the coordinator's start and end write it again); changes made by hand, outside the engine, are
 * not seen.
 */
export const STUDY_CHANGES = 'changes.json';

/** The change record's content now ('' when the study has none yet). */
export function readStudyChanges(studyDir: string): string {
  try {
    return fs.readFileSync(path.join(studyDir, STUDY_CHANGES), 'utf8');
  } catch {
    return '';
  }
}

/** Record a change of the study in `studyDir` (a no-op when the folder is not a study's: nothing to invalidate). */
export function recordStudyChange(studyDir: string, opts: { durable?: boolean } = {}): void {
  if (!fs.existsSync(path.join(studyDir, 'study.json'))) return;
  let changes = 0;
  try {
    changes = Number(JSON.parse(readStudyChanges(studyDir)).changes) || 0;
  } catch {
    // none yet, or unreadable: counting starts again (the writer and time still make the content new)
  }
  const record = { changes: changes + 1, by: `${process.pid}@${os.hostname()}`, at: new Date().toISOString() };
  writeFileAtomicSync(path.join(studyDir, STUDY_CHANGES), `${JSON.stringify(record)}\n`, { durable: opts.durable ?? false });
}

/**
 * The study folder a run belongs to, from its id (`<studyId>-<key>`, the study folder naming it), or null for a run
 * of no study.
 */
export function studyDirOfRun(workspace: string, runId: string): string | null {
  const dash = runId.lastIndexOf('-');
  if (dash <= 0) return null;
  const dir = path.join(workspace, 'studies', runId.slice(0, dash));
  return fs.existsSync(path.join(dir, 'study.json')) ? dir : null;
}

/** Record a change of the study a run belongs to, if any. Never throws: a cache key is not worth failing a run. */
export function recordRunChange(workspace: string, runId: string): void {
  try {
    const dir = studyDirOfRun(workspace, runId);
    if (dir) recordStudyChange(dir);
  } catch (e) {
    process.stderr.write(`collapse-lab: the change of study run ${runId} was not recorded: ${(e as Error).message}\n`);
  }
}
