import type { StudyEvent, StudyIndexEntry } from '../contract/study';
import { listStudyIds, StudyFolder } from './study-folder';
import type { StudyManager } from './study-manager';
import { fileVersion } from '../util/file-version';
import { PollingWatcher } from '../util/polling-watcher';

interface Seen {
  /** The versions of the files a study's state is made of, and whether its coordinator lives. */
  signature: string;
  /** Each run's last relayed state, by key. */
  runs: Map<string, string>;
  state: string;
}

/**
 * Live events of the studies another process coordinates in this workspace (a `collapse-lab study run` in a
 * terminal, a second app window): polls each study's small files (coordinator.json, the cancel request, index.json)
 * and relays what changed as the same StudyEvents a coordinator of this process emits, one per run whose state
 * moved, and one for the study. Studies of this process's manager are skipped: their events come from their
 * coordinator. A study whose files did not change and whose coordinator's liveness did not change costs three stats.
 */
export class ExternalStudyWatcher extends PollingWatcher {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly studies: StudyManager,
    private readonly emit: (e: StudyEvent) => void,
    intervalMs = 1000,
  ) {
    super(intervalMs);
  }

  protected forget(): void {
    this.seen.clear();
  }

  /** One look at the workspace's studies (the timer calls it; tests call it directly). */
  poll(): void {
    const ids = new Set(listStudyIds(this.studies.workspace));
    for (const id of this.seen.keys()) if (!ids.has(id)) this.seen.delete(id);
    for (const id of ids) {
      if (this.studies.isActive(id)) {
        this.seen.delete(id); // its own coordinator speaks; look afresh once it ends
        continue;
      }
      try {
        this.look(id);
      } catch {
        // a study being rewritten: look again next time
      }
    }
  }

  private look(id: string): void {
    const folder = new StudyFolder(this.studies.workspace, id);
    const coordinator = folder.readCoordinator();
    const signature = [
      fileVersion(folder.file('index.json')),
      fileVersion(folder.file('coordinator.json')),
      fileVersion(folder.file('cancel-request.json')),
      coordinator ? this.studies.coordinatorAlive(coordinator) : 'none',
    ].join('|');
    const before = this.seen.get(id);
    if (before?.signature === signature) return;
    const status = this.studies.liveStatus(id);
    const runs = new Map(status.runs.map((r) => [r.key, r.state]));
    this.seen.set(id, { signature, runs, state: status.state });
    if (!before) return; // first sight: what it is now, the listing says
    const changed: StudyIndexEntry[] = status.runs.filter((r) => before.runs.get(r.key) !== r.state);
    const base = { type: 'study' as const, studyId: id, state: status.state, progress: status.progress };
    for (const r of changed) {
      const { key, runId, state, lastGeneration, generations, error } = r;
      this.emit({ ...base, run: { key, runId, state, lastGeneration, generations, ...(error ? { error } : {}) } });
    }
    // each run's event carries the study's state and progress too
    if (changed.length === 0) this.emit(base);
  }
}
