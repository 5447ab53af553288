import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/contract/config';
import { smoke } from '../../main/presets/smoke';
import { RunFolder } from '../../main/runs/run-folder';
import { RunManager } from '../../main/runs/run-manager';
import { RUN_SUMMARIES_CACHE } from '../../main/runs/run-summary-cache';

/**
 * The runs list (runs.list) of a workspace of many runs: a run in a final state is kept with its files' versions and
 * not read again while they stand; any change of its status.json or config.json, a new run, a removed folder, and a
 * run not yet final are seen at the next look; another process starts from the summaries the last one kept
 * (run-summary-cache.ts).
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-run-list-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the runs list', () => {
  it('keeps settled runs until their files change, and sees every change', () => {
    const ws = path.join(tmp, 'ws');
    const manager = new RunManager(ws, 'cpu');
    const config = validateConfig(smoke.config);
    const ids = ['a', 'b', 'c', 'd'];
    for (const id of ids) manager.create({ ...config, name: id }, id, { durable: false });
    const folder = (id: string) => new RunFolder(path.join(ws, id));
    for (const id of ['a', 'b', 'c']) folder(id).updateStatus({ state: 'completed', lastGeneration: 1 }, { durable: false });

    const byId = (list: ReturnType<RunManager['list']>) => new Map(list.map((r) => [r.id, r]));
    const first = byId(manager.list());
    expect([...first.keys()].sort()).toEqual(ids);
    expect(first.get('d')!.state).toBe('queued');
    const second = byId(manager.list());
    for (const id of ['a', 'b', 'c']) expect(second.get(id)).toBe(first.get(id)); // not read again
    expect(second.get('d')).not.toBe(first.get('d')); // not final: read at each look

    // its status rewritten (an engine's resume, or by hand), its config rewritten (extended), removed, a new one
    folder('a').updateStatus({ state: 'failed', error: 'stopped' }, { durable: false });
    const b = folder('b').readConfig();
    folder('b').writeJson('config.json', { ...b, name: 'renamed' }, { durable: false });
    fs.rmSync(folder('c').dir, { recursive: true });
    manager.create({ ...config, name: 'e' }, 'e', { durable: false });
    const third = byId(manager.list());
    expect([...third.keys()].sort()).toEqual(['a', 'b', 'd', 'e']);
    expect(third.get('a')).toMatchObject({ state: 'failed', error: 'stopped' });
    expect(third.get('b')).toMatchObject({ state: 'completed', name: 'renamed' });
    expect(third.get('e')!.state).toBe('queued');
  });

  it('starts, in another process, from the summaries the last one kept, and reads again the runs whose folder moved', () => {
    const ws = path.join(tmp, 'ws-kept');
    const first = new RunManager(ws, 'cpu');
    const config = validateConfig(smoke.config);
    for (const id of ['a', 'b', 'c']) first.create({ ...config, name: id }, id, { durable: false });
    const folder = (id: string) => new RunFolder(path.join(ws, id));
    for (const id of ['a', 'b']) folder(id).updateStatus({ state: 'completed', lastGeneration: 1 }, { durable: false });
    const listed = first.list();
    expect(fs.existsSync(path.join(ws, RUN_SUMMARIES_CACHE))).toBe(true);

    // a's config rewritten in place, by hand (no rename: its folder's version stands): the kept summary is what the
    // next process lists, so it did not read a's files
    const a = folder('a').readConfig();
    fs.writeFileSync(folder('a').file('config.json'), JSON.stringify({ ...a, name: 'by hand' }));
    const next = new RunManager(ws, 'cpu');
    const kept = next.list();
    expect(kept).toEqual(listed);
    expect(kept.find((r) => r.id === 'a')!.name).toBe('a');
    // a run that changes through the engine (its status renamed into place) and one not final are read again
    folder('a').updateStatus({ state: 'failed', error: 'stopped' }, { durable: false });
    folder('c').updateStatus({ state: 'cancelled' }, { durable: false });
    const after = new Map(next.list().map((r) => [r.id, r]));
    expect(after.get('a')).toMatchObject({ name: 'by hand', state: 'failed' });
    expect(after.get('c')!.state).toBe('cancelled');
    // a kept file that does not parse is not trusted
    fs.writeFileSync(path.join(ws, RUN_SUMMARIES_CACHE), '{ not json');
    expect(
      new RunManager(ws, 'cpu')
        .list()
        .map((r) => r.state)
        .sort(),
    ).toEqual(['cancelled', 'completed', 'failed']);
  });
});
