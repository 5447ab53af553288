import { describe, expect, it } from 'vitest';
import {
  activeRunStates,
  canTransition,
  finalRunStates,
  isFinalRunState,
  liveRunStates,
  runState,
  runStateNames,
  runTransitions,
  transitionError,
  type RunState,
} from '../../main/contract/run-state';
import { runStatus } from '../../main/contract/run-record';

describe('the run state machine', () => {
  it('names the eight states once, and every state is active or final, never both', () => {
    expect([...runStateNames]).toEqual(['queued', 'starting', 'running', 'cancelling', 'cancelled', 'interrupted', 'failed', 'completed']);
    for (const s of runStateNames) expect(activeRunStates.includes(s) !== finalRunStates.includes(s)).toBe(true);
    for (const s of liveRunStates) expect(activeRunStates).toContain(s);
    expect(runState.safeParse('paused').success).toBe(false);
  });

  it('reaches every state from queued, and every final state leads back to a start', () => {
    const seen = new Set<RunState>(['queued']);
    const todo: RunState[] = ['queued'];
    while (todo.length) {
      for (const t of runTransitions[todo.pop()!]) {
        if (!seen.has(t)) {
          seen.add(t);
          todo.push(t);
        }
      }
    }
    expect([...seen].sort()).toEqual([...runStateNames].sort());
    for (const s of finalRunStates) expect(canTransition(s, 'queued') && canTransition(s, 'starting')).toBe(true);
  });

  it('allows the moves of a run and refuses the impossible ones', () => {
    const path: RunState[] = ['queued', 'starting', 'running', 'cancelling', 'cancelled', 'queued', 'starting', 'running', 'completed'];
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1], path[i])).toBe(true);
    // a run that never trained cannot complete from the queue, nor be cancelling before it has a process
    expect(canTransition('queued', 'completed')).toBe(false);
    expect(canTransition('queued', 'cancelling')).toBe(false);
    // a final state is left only by a new start
    expect(canTransition('completed', 'running')).toBe(false);
    expect(canTransition('interrupted', 'running')).toBe(false);
    expect(canTransition('cancelled', 'cancelling')).toBe(false);
    expect(canTransition('running', 'queued')).toBe(false);
    expect(transitionError('completed', 'running')).toMatch(/cannot go from completed to running \(from completed: queued, starting\)/);
    expect(transitionError('running', 'running')).toBeNull();
    for (const s of runStateNames) expect(canTransition(s, s)).toBe(true);
    expect(isFinalRunState('interrupted')).toBe(true);
    expect(isFinalRunState('cancelling')).toBe(false);
  });

  it('is what status.json holds, with the evidence of an interruption', () => {
    const base = { lastGeneration: 2, generations: 5, updatedAt: 't', startedAt: 't' };
    expect(runStatus.safeParse({ ...base, state: 'starting' }).success).toBe(true);
    const evidence = { pid: 4242, lastHeartbeat: '2026-01-01T00:00:00.000Z', seenAt: '2026-01-01T00:01:00.000Z' };
    expect(runStatus.safeParse({ ...base, state: 'interrupted', interruption: evidence }).success).toBe(true);
    expect(runStatus.safeParse({ ...base, state: 'interrupted', interruption: { pid: 4242 } }).success).toBe(false);
  });
});
