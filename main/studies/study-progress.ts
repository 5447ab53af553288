import { liveRunStates } from '../contract/run-state';
import type { StudyIndexEntry, StudyProgress } from '../contract/study';

type Counted = 'completed' | 'running' | 'queued' | 'failed' | 'cancelled' | 'interrupted';

function isLiveRunState(state: string): boolean {
  return (liveRunStates as readonly string[]).includes(state);
}

/** The count a run's state falls in: a run with a living process, whatever it does, counts as running. */
function countOf(state: string): Counted | null {
  if (isLiveRunState(state)) return 'running';
  return state === 'completed' || state === 'queued' || state === 'failed' || state === 'cancelled' || state === 'interrupted'
    ? state
    : null;
}

/**
 * A study's progress (counts by state, and the completion fraction: generations done, plus the running runs' own
 * progress), kept run by run: a change of one run costs a constant, not a pass over the index (a running study's
 * coordinator tells its progress at each start and end of a run, and with 7,500 runs the passes were most of its time).
 * The fraction sums the completed runs as 1 each and the others' parts, so a study whose runs have all completed is
 * at exactly 1.
 */
export class StudyProgressTracker {
  private readonly counts: Record<Counted, number> = { completed: 0, running: 0, queued: 0, failed: 0, cancelled: 0, interrupted: 0 };
  /** Each run's count, as last told. */
  private readonly counted = new Map<string, Counted | null>();
  /** The fraction done of each run that is not completed and has done some. */
  private readonly partial = new Map<string, number>();
  /** Running runs' own progress, in [0, 1], from their progress events. */
  private readonly live = new Map<string, number>();

  constructor(
    private readonly studyId: string,
    private readonly total: number,
    runs: Iterable<StudyIndexEntry> = [],
  ) {
    for (const r of runs) this.update(r);
  }

  /** A run's entry changed (its state, its last generation). */
  update(r: StudyIndexEntry): void {
    const before = this.counted.get(r.key);
    if (before) this.counts[before]--;
    const now = countOf(r.state);
    if (now) this.counts[now]++;
    this.counted.set(r.key, now);
    const f = r.state === 'completed' ? 0 : Math.max(this.live.get(r.key) ?? 0, (r.lastGeneration + 1) / Math.max(1, r.generations));
    if (f > 0) this.partial.set(r.key, f);
    else this.partial.delete(r.key);
  }

  /** A running run's own progress (a fraction of it), or none (`null`: it ended). */
  setLive(r: StudyIndexEntry, fraction: number | null): void {
    if (fraction === null) this.live.delete(r.key);
    else this.live.set(r.key, fraction);
    this.update(r);
  }

  /** Every run of the study has completed. */
  allCompleted(): boolean {
    return this.total > 0 && this.counts.completed === this.total;
  }

  progress(): StudyProgress {
    let sum = this.counts.completed;
    for (const f of this.partial.values()) sum += f;
    return { studyId: this.studyId, total: this.total, ...this.counts, fraction: this.total === 0 ? 1 : sum / this.total };
  }
}
