import { describe, expect, it } from 'vitest';
import { canTransition } from '../../main/contract/run-state';
import type { RunStatus } from '../../main/contract/run-record';
import { deriveRunStatus, type RunFacts } from '../../main/runs/derive-run-state';

const status = (patch: Partial<RunStatus>): RunStatus => ({
  state: 'running',
  lastGeneration: 1,
  generations: 4,
  startedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:05:00.000Z',
  ...patch,
});
const facts = (patch: Partial<RunFacts> = {}): RunFacts => ({
  ownedHere: false,
  cancelRequested: false,
  alive: () => true,
  host: 'here',
  lastHeartbeat: '2026-01-01T00:05:30.000Z',
  now: '2026-01-01T00:06:00.000Z',
  ...patch,
});
const dead = () => false;

describe('a run state derived from its folder and the live processes', () => {
  it('keeps a queued run that no process holds queued (a study run waiting for its queue), never interrupted', () => {
    expect(deriveRunStatus(status({ state: 'queued', lastGeneration: -1 }), facts({ alive: dead }))).toMatchObject({ state: 'queued' });
    expect(deriveRunStatus(status({ state: 'queued' }), facts({ alive: dead })).error).toBeUndefined();
  });

  it('calls a run interrupted only when its owner is gone, with the pid and the last heartbeat as evidence', () => {
    for (const state of ['starting', 'running', 'cancelling', 'queued'] as const) {
      const d = deriveRunStatus(status({ state, pid: 999_999, host: 'here' }), facts({ alive: dead }));
      expect(d.state).toBe('interrupted');
      expect(canTransition(state, d.state)).toBe(true);
      expect(d.interruption).toEqual({
        pid: 999_999,
        host: 'here',
        lastHeartbeat: '2026-01-01T00:05:30.000Z',
        seenAt: '2026-01-01T00:06:00.000Z',
      });
      expect(d.error).toMatch(/pid 999999 on here\) is gone; its last heartbeat was at 2026-01-01T00:05:30/);
    }
    // alive, or of another host (its pid means nothing here): as written
    expect(deriveRunStatus(status({ pid: 999_999 }), facts()).state).toBe('running');
    expect(deriveRunStatus(status({ pid: 999_999, host: 'elsewhere' }), facts({ alive: dead })).state).toBe('running');
    // a final state is never re-judged
    for (const state of ['completed', 'failed', 'cancelled'] as const) {
      expect(deriveRunStatus(status({ state, pid: 999_999 }), facts({ alive: dead })).state).toBe(state);
    }
  });

  it('shows cancelling while a cancel request waits and the run still lives, here or in another process', () => {
    expect(deriveRunStatus(status({ pid: 999_999 }), facts({ cancelRequested: true })).state).toBe('cancelling');
    expect(deriveRunStatus(status({ state: 'starting', pid: 1 }), facts({ ownedHere: true, cancelRequested: true })).state).toBe(
      'cancelling',
    );
    // a queued run is cancelled by its queue before it starts, not "cancelling"
    expect(deriveRunStatus(status({ state: 'queued', pid: 999_999 }), facts({ cancelRequested: true })).state).toBe('queued');
    // the request of a run whose process is gone does not hide the interruption
    expect(deriveRunStatus(status({ pid: 999_999 }), facts({ cancelRequested: true, alive: dead })).state).toBe('interrupted');
  });

  it('trusts the word of the process that holds the run', () => {
    expect(deriveRunStatus(status({ pid: process.pid }), facts({ ownedHere: true, alive: dead })).state).toBe('running');
    // a status naming this process that this process does not hold: a previous life of it
    expect(deriveRunStatus(status({ pid: process.pid }), facts()).state).toBe('interrupted');
  });
});
