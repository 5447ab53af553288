import { describe, expect, it } from 'vitest';
import type { StudyIndexEntry } from '../../main/contract/study';
import { StudyProgressTracker } from '../../main/studies/study-progress';
import { Rng } from '../../main/util/random';

const STATES = ['queued', 'starting', 'running', 'cancelling', 'completed', 'failed', 'cancelled', 'interrupted'] as const;

/** The progress by one pass over the entries, as the definition says it. */
function direct(runs: StudyIndexEntry[], live: Map<string, number>) {
  const counts = { completed: 0, running: 0, queued: 0, failed: 0, cancelled: 0, interrupted: 0 };
  let sum = 0;
  for (const r of runs) {
    sum += r.state === 'completed' ? 1 : Math.max(live.get(r.key) ?? 0, (r.lastGeneration + 1) / r.generations);
    if (r.state === 'starting' || r.state === 'running' || r.state === 'cancelling') counts.running++;
    else counts[r.state as keyof typeof counts]++;
  }
  return { counts, fraction: sum / runs.length };
}

describe('a study’s progress told run by run', () => {
  it('equals a pass over the index after every change, and is exactly 1 once every run has completed', () => {
    const rng = new Rng(3);
    const runs: StudyIndexEntry[] = Array.from({ length: 40 }, (_, i) => ({
      key: `k${i}`,
      cellKey: `c${i % 4}`,
      seed: i,
      runId: `run-${i}`,
      fields: {},
      generations: 7,
      attempts: 0,
      state: 'queued',
      lastGeneration: i % 5 === 0 ? 2 : -1, // some resumed from a partial run
    }));
    const tracker = new StudyProgressTracker('s', runs.length, runs);
    const live = new Map<string, number>();
    for (let step = 0; step < 2000; step++) {
      const r = runs[rng.int(runs.length)];
      const what = rng.int(3);
      if (what === 0) {
        r.state = STATES[rng.int(STATES.length)];
        tracker.update(r);
      } else if (what === 1) {
        r.lastGeneration = Math.min(6, r.lastGeneration + 1);
        tracker.update(r);
      } else {
        const f = rng.uniform();
        live.set(r.key, f);
        tracker.setLive(r, f);
      }
      const want = direct(runs, live);
      const got = tracker.progress();
      expect({ ...got, fraction: 0 }).toEqual({ studyId: 's', total: runs.length, ...want.counts, fraction: 0 });
      expect(got.fraction).toBeCloseTo(want.fraction, 12);
      expect(tracker.allCompleted()).toBe(runs.every((x) => x.state === 'completed'));
    }
    for (const r of runs) {
      r.state = 'completed';
      tracker.setLive(r, null);
    }
    expect(tracker.progress().fraction).toBe(1);
    expect(tracker.allCompleted()).toBe(true);
  });
});
