// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunSummaryDto } from '../../main/contract/api';
import { setClient } from '../../renderer/src/api/client';
import { isLive, useRunsStore } from '../../renderer/src/stores/runs';
import { fakeClient, type FakeClient } from './fake-client';

let client: FakeClient;
let runs: RunSummaryDto[];

const run = (id: string, patch: Partial<RunSummaryDto> = {}): RunSummaryDto => ({
  id,
  name: id,
  state: 'running',
  lastGeneration: -1,
  generations: 3,
  startedAt: '2024-01-01T00:00:00Z',
  updatedAt: '2024-01-01T00:00:00Z',
  dataset: 'mnist',
  model: 'vae-mlp',
  scheme: 'random',
  active: true,
  ...patch,
});

beforeEach(() => {
  runs = [run('a'), run('b', { state: 'completed', active: false, lastGeneration: 2 })];
  client = fakeClient({
    'runs.list': () => ({ workspace: '/ws', runs: JSON.parse(JSON.stringify(runs)) }),
    'runs.cancel': () => ({}),
    'runs.resume': () => ({}),
    'runs.delete': ({ runId }) => {
      runs = runs.filter((r) => r.id !== runId);
      return {};
    },
    'runs.openFolder': ({ runId }) => ({ path: `/ws/${runId}`, opened: false, reason: 'no display' }),
  });
  setClient(client);
  setActivePinia(createPinia());
});

describe('runs store', () => {
  it('lists the runs and keeps their progress live from the event stream', async () => {
    const s = useRunsStore();
    s.subscribe();
    await s.refresh();
    expect(s.runs.map((r) => r.id)).toEqual(['a', 'b']);
    client.emit({
      type: 'progress',
      runId: 'a',
      generation: 1,
      generations: 3,
      phase: 'train',
      epoch: 2,
      epochs: 4,
      fraction: 0.5,
      etaSeconds: 30,
    });
    expect(s.progress.a).toMatchObject({ generation: 1, epoch: 2, fraction: 0.5, etaSeconds: 30 });
    const seen: [string, number][] = [];
    s.onGeneration((id, g) => seen.push([id, g]));
    client.emit({ type: 'generation', runId: 'a', generation: 1, metrics: { generation: 1 } });
    expect(seen).toEqual([['a', 1]]);
    expect(s.byId.get('a')?.lastGeneration).toBe(1);
  });

  it('applies status events at once and refreshes the list after them', async () => {
    const s = useRunsStore();
    s.subscribe();
    await s.refresh();
    const before = client.calls.filter((c) => c.op === 'runs.list').length;
    runs[0] = run('a', { state: 'completed', active: false, backend: 'wasm' });
    client.emit({ type: 'status', runId: 'a', state: 'completed', backend: 'wasm' });
    expect(s.byId.get('a')).toMatchObject({ state: 'completed', active: false, backend: 'wasm' });
    await new Promise((r) => setTimeout(r, 250));
    expect(client.calls.filter((c) => c.op === 'runs.list').length).toBe(before + 1);
  });

  it('cancels, resumes, deletes through the client and shows the folder path when it cannot open it', async () => {
    const s = useRunsStore();
    await s.refresh();
    await s.cancel('a');
    await s.resume('b');
    await s.remove('b');
    expect(client.calls.filter((c) => c.op !== 'runs.list').map((c) => [c.op, (c.request as { runId: string }).runId])).toEqual([
      ['runs.cancel', 'a'],
      ['runs.resume', 'b'],
      ['runs.delete', 'b'],
    ]);
    expect(s.runs.map((r) => r.id)).toEqual(['a']);
    await s.openFolder('a');
    expect(s.notice.a).toBe('Folder: /ws/a (not opened: no display)');
  });

  it('shows an action’s error next to its run', async () => {
    const s = useRunsStore();
    await s.refresh();
    client.handlers['runs.cancel'] = () => {
      throw new Error('run a is not running here');
    };
    expect(await s.cancel('a')).toBe(false);
    expect(s.notice.a).toBe('run a is not running here');
  });

  it('unsubscribes', async () => {
    const s = useRunsStore();
    s.subscribe();
    s.unsubscribeAll();
    client.emit({ type: 'progress', runId: 'a', generation: 0, generations: 3, phase: 'train', fraction: 0.1 });
    expect(s.progress.a).toBeUndefined();
  });
});

describe('runs of another process', () => {
  it('keeps their progress, lets a final status end them, and cancels them through the same call', async () => {
    runs = [run('ext', { active: false })];
    const s = useRunsStore();
    s.subscribe();
    await s.refresh();
    client.emit({ type: 'status', runId: 'ext', state: 'running' });
    expect(s.byId.get('ext')?.active).toBe(false); // a running status does not make it this process's run
    expect(isLive(s.byId.get('ext')!.state)).toBe(true); // …but its progress is live and it can be cancelled
    client.emit({ type: 'progress', runId: 'ext', generation: 0, generations: 3, phase: 'train', fraction: 0.2 });
    expect(s.progress.ext).toMatchObject({ fraction: 0.2 });
    await s.cancel('ext');
    expect(client.calls.filter((c) => c.op === 'runs.cancel')).toEqual([{ op: 'runs.cancel', request: { runId: 'ext' } }]);
    client.emit({ type: 'status', runId: 'ext', state: 'cancelled' });
    expect(s.byId.get('ext')?.state).toBe('cancelled');
    expect(isLive('cancelled') || isLive('interrupted')).toBe(false);
  });
});
