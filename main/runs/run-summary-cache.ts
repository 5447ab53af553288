import fs from 'node:fs';
import path from 'node:path';
import { isFinalRunState } from '../contract/run-state';
import { writeFileAtomicSync } from '../util/atomic-write';
import type { RunSummary } from './run-manager';

/**
 * The summaries of a workspace's runs in a final state, kept across processes in `<workspace>/run-summaries-cache.json`
 * beside the run folders, each with the version of its run folder it was read from (RunManager.list). A run in a final
 * state changes only when its status.json or config.json is rewritten, atomically, by a rename in its folder, which
 * moves the folder's version; so a process that opens a workspace of thousands of study runs (the app's first load, a
 * server's first runs.list) stats each folder and reads this one file, instead of reading and checking each run's
 * config and status. A summary whose folder moved is read again from the folder.
 */
export const RUN_SUMMARIES_CACHE = 'run-summaries-cache.json';

/** Bumped when a summary's fields change: older files are then read afresh. */
const FORMAT = 1;

export type KeptRunSummaries = Map<string, { version: string; summary: RunSummary }>;

/** The kept summaries, by run folder (path); empty when there are none or the file does not read. */
export function readRunSummaries(workspace: string): KeptRunSummaries {
  const out: KeptRunSummaries = new Map();
  try {
    const c = JSON.parse(fs.readFileSync(path.join(workspace, RUN_SUMMARIES_CACHE), 'utf8')) as {
      format?: unknown;
      runs?: Record<string, { version?: unknown; summary?: RunSummary }>;
    };
    if (c?.format !== FORMAT || !c.runs || typeof c.runs !== 'object') return out;
    for (const [name, e] of Object.entries(c.runs)) {
      const s = e?.summary;
      const ok =
        typeof e?.version === 'string' &&
        e.version !== '' &&
        s !== undefined &&
        s.id === name &&
        typeof s.startedAt === 'string' &&
        isFinalRunState(s.state);
      if (ok) out.set(path.join(workspace, name), { version: e.version as string, summary: s });
    }
  } catch {
    // none yet, or unreadable: every run is read from its folder
  }
  return out;
}

/** Keep the summaries (a cache: a write that fails is not an error of the listing). */
export function writeRunSummaries(workspace: string, kept: KeptRunSummaries): void {
  const runs: Record<string, { version: string; summary: RunSummary }> = {};
  for (const [dir, e] of kept) runs[path.basename(dir)] = e;
  try {
    // compact and not synced: thousands of entries, whose truth is in the run folders
    writeFileAtomicSync(path.join(workspace, RUN_SUMMARIES_CACHE), `${JSON.stringify({ format: FORMAT, runs })}\n`, { durable: false });
  } catch {
    // the next list reads the folders again
  }
}
