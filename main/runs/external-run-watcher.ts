import fs from 'node:fs';
import { fileVersion } from '../util/file-version';
import { PollingWatcher } from '../util/polling-watcher';
import path from 'node:path';
import { progressEvent, type RunEvent, type RunState } from '../contract/events';
import { isActiveRunState } from '../contract/run-state';
import { RunFolder, type MetricsLine } from './run-folder';
import type { RunManager } from './run-manager';

interface Watched {
  state: RunState;
  /** Metrics lines already relayed. */
  lines: number;
  metricsSize: number;
  progressMtime: string;
}

/**
 * Live events of the runs that another process is training in this workspace (a `collapse-lab run` in a terminal,
 * a second app window): polls their small files and relays what changed as the same RunEvents a run of this process
 * emits — status changes (and `interrupted` when the owning process died), each new metrics line as a generation
 * event, and the run's progress.json as a progress event. Runs of this process's manager are skipped: their events
 * come from their workers. Polling rather than fs.watch: watching is unreliable on network and container file
 * systems, and a few stat calls a second per running run cost nothing.
 */
export class ExternalRunWatcher extends PollingWatcher {
  private readonly watched = new Map<string, Watched>();
  /** Status-file versions (fileVersion) of the runs last seen settled (not running), not read again each poll. */
  private readonly settled = new Map<string, string>();

  constructor(
    private readonly manager: RunManager,
    private readonly emit: (e: RunEvent) => void,
    intervalMs = 1000,
  ) {
    super(intervalMs);
  }

  protected forget(): void {
    this.watched.clear();
    this.settled.clear();
  }

  /** One look at the workspace (the timer calls it; tests call it directly). */
  poll(): void {
    const ws = this.manager.workspace;
    if (!fs.existsSync(ws)) return;
    const seen = new Set<string>();
    for (const id of fs.readdirSync(ws)) {
      if (this.manager.isActive(id)) continue;
      const folder = new RunFolder(path.join(ws, id));
      const mtime = fileVersion(folder.file('status.json'));
      if (!mtime) continue; // not a run (or not yet one)
      // a settled run (finished, or interrupted) changes only when its status file does: one stat, no read
      if (!this.watched.has(id) && this.settled.get(id) === mtime) continue;
      // and one the runs list keeps as final (its folder unchanged): a workspace's thousands at the first look
      if (!this.watched.has(id) && this.manager.knownFinal(id)) {
        this.settled.set(id, mtime);
        continue;
      }
      let state: RunState;
      let error: string | undefined;
      let backend: string | undefined;
      let pid: number | undefined;
      try {
        const s = this.manager.effectiveStatus(folder);
        ({ state, error, backend, pid } = s);
      } catch {
        continue; // a status being replaced or a folder that is not a run: look again next time
      }
      const w = this.watched.get(id);
      // a queued run that no process holds yet (a study's run waiting for its queue) changes only by a write to its
      // status file: seen again when its mtime moves, like a settled run (a big study's queue costs one stat a run)
      const live = isActiveRunState(state) && !(state === 'queued' && pid === undefined);
      if (!w && !live) {
        this.settled.set(id, mtime);
        continue;
      }
      this.settled.delete(id);
      seen.add(id);
      const status = () => this.emit({ type: 'status', runId: id, state, ...(backend ? { backend } : {}), ...(error ? { error } : {}) });
      if (!w) {
        // newly seen: its state first; the lines it has already written are read by whoever opens it
        this.watched.set(id, { state, lines: countLines(folder), metricsSize: size(folder.file('metrics.jsonl')), progressMtime: '' });
        status();
      }
      const current = this.watched.get(id)!;
      // new generations before a final state, so that a listener has every line when it hears the run ended
      this.relayGenerations(folder, current);
      if (live) this.relayProgress(folder, current);
      if (w && w.state !== state) {
        current.state = state;
        status();
      }
      if (!live) this.watched.delete(id);
    }
    for (const id of this.watched.keys()) if (!seen.has(id)) this.watched.delete(id); // deleted meanwhile
  }

  private relayGenerations(folder: RunFolder, w: Watched): void {
    const bytes = size(folder.file('metrics.jsonl'));
    if (bytes === w.metricsSize) return;
    w.metricsSize = bytes;
    let lines: MetricsLine[];
    try {
      lines = folder.readMetrics(); // parsed by the metricsLine schema
    } catch {
      return; // read between a rename and the next write (or a line that does not parse): next poll
    }
    for (let i = w.lines; i < lines.length; i++) {
      this.emit({ type: 'generation', runId: folder.id, generation: lines[i].generation, metrics: lines[i] });
    }
    w.lines = lines.length;
  }

  private relayProgress(folder: RunFolder, w: Watched): void {
    const file = folder.file('progress.json');
    const mtime = fileVersion(file);
    if (!mtime || mtime === w.progressMtime) return;
    w.progressMtime = mtime;
    try {
      const p = progressEvent.safeParse({ ...JSON.parse(fs.readFileSync(file, 'utf8')), runId: folder.id });
      if (p.success) this.emit(p.data);
    } catch {
      // replaced while read: the next poll sees the new one
    }
  }
}

function size(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function countLines(folder: RunFolder): number {
  try {
    return folder.readMetrics().length;
  } catch {
    return 0;
  }
}
