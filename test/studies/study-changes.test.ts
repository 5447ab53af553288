import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunManager } from '../../main/runs/run-manager';
import { STUDY_CHANGES, studyDirOfRun } from '../../main/runs/study-changes';
import { StudyFolder } from '../../main/studies/study-folder';
import { StudyManager } from '../../main/studies/study-manager';

/**
 * A study's change record (main/runs/study-changes.ts) as the engine writes it, and the caches it keys (the digest,
 * the settled runs' entries of studies.get and studies.list): a real study of two tiny Gaussian runs on the embedded
 * queue, then its runs changed through the engine only (a run deleted, the study resumed so that the run runs and
 * finishes again, a finished run extended by a lone resume). Each change is seen by a view that had cached the study
 * before it, in this process and in another manager of the workspace.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-study-changes-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const spec = {
  name: 'changes',
  base: {
    dataset: { kind: 'gaussian', dim: 2, trainSize: 40, testSize: 40 },
    model: { kind: 'gaussian' },
    loop: { generations: 3, paradigm: 'replace', keep: 40, ratio: 1 },
    selection: { scheme: 'none' },
  },
  axes: [],
  seeds: 2,
  storage: 'metrics',
};

const changesOf = (id: string) => new StudyFolder(path.join(tmp, 'ws'), id).changes();
const runsDone = (m: StudyManager, id: string) => m.aggregate(id).cells.reduce((n, c) => n + c.n, 0);

describe("a study's change record", () => {
  const ws = path.join(tmp, 'ws');
  const manager = new StudyManager(ws, 'cpu');
  let id = '';

  it('is written by the coordinator, and keys the digest and the settled runs: a second look reads nothing again', async () => {
    id = manager.start(spec, { queue: { parallel: 1 } });
    await manager.wait(id);
    const folder = new StudyFolder(ws, id);
    expect(fs.existsSync(folder.file(STUDY_CHANGES))).toBe(true);
    expect(JSON.parse(folder.changes()).changes).toBeGreaterThanOrEqual(2); // its start and its end at least
    expect(runsDone(manager, id)).toBe(2);
    const computed = manager.digests.computed;
    const status = manager.status(id);
    expect(status.runs.map((r) => r.state)).toEqual(['completed', 'completed']);
    // nothing changed: the same digest and the same entries, not read again
    expect(manager.digest(id)).toBe(manager.digest(id));
    expect(manager.status(id).runs).toBe(status.runs);
    expect(manager.digests.computed).toBe(computed);
    // a run's id names its study's folder
    expect(studyDirOfRun(ws, status.runs[0].runId)).toBe(folder.dir);
    expect(studyDirOfRun(ws, 'not-a-study-run')).toBeNull();
  }, 120_000);

  it('is rewritten when a run is deleted, and when the study resumed runs it and it finishes', async () => {
    const other = new StudyManager(ws, 'cpu'); // another door of the workspace, with its own caches
    expect(runsDone(other, id)).toBe(2);
    const before = changesOf(id);
    const runId = manager.status(id).runs[1].runId;
    manager.runs.delete(runId);
    expect(changesOf(id)).not.toBe(before);
    for (const m of [manager, other]) {
      expect(runsDone(m, id)).toBe(1);
      expect(m.status(id).runs.map((r) => r.state)).toEqual(['completed', 'queued']);
    }

    manager.resume(id, { queue: { parallel: 1 } });
    await manager.wait(id);
    for (const m of [manager, other]) {
      expect(runsDone(m, id)).toBe(2);
      expect(m.status(id).runs.map((r) => r.state)).toEqual(['completed', 'completed']);
    }
  }, 120_000);

  it('is rewritten by a lone run manager that resumes a finished run to extend it, as it starts and as it ends', async () => {
    const runs = new RunManager(ws, 'cpu'); // a terminal's `collapse-lab resume`, say
    const runId = manager.status(id).runs[0].runId;
    const computed = manager.digests.computed;
    const before = changesOf(id);
    runs.resume(runId, { generations: 5 });
    const started = changesOf(id);
    expect(started).not.toBe(before);
    // while it runs, its state is not the cached one
    expect(manager.status(id).runs[0].state).not.toBe('completed');
    await runs.wait(runId);
    await runs.close();
    expect(changesOf(id)).not.toBe(started);
    const status = manager.status(id);
    expect(status.runs[0]).toMatchObject({ state: 'completed', lastGeneration: 4 });
    // computed again (the study reads its own 3 generations of the run)
    expect(runsDone(manager, id)).toBe(2);
    expect(manager.digests.computed).toBeGreaterThan(computed);
  }, 120_000);
});
