import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StudyFolder } from '../../main/studies/study-folder';
import { StudyManager } from '../../main/studies/study-manager';
import { STUDY_STATUS_CACHE } from '../../main/studies/study-status-cache';
import { unitHash, writeSyntheticStudy } from './synthetic-study';

/**
 * A settled study's status kept in its folder (main/studies/study-status-cache.ts): another process (the app's first
 * load) reads it instead of expanding the study and reading each run's status, while the study's change record
 * stands; a change through the engine, or a coordinator at work, computes it again.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-status-cache-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const spec = {
  name: 'kept',
  base: {
    dataset: { kind: 'gaussian', dim: 2, trainSize: 50, testSize: 50 },
    model: { kind: 'gaussian' },
    loop: { generations: 4, paradigm: 'replace', keep: 50, ratio: 1 },
    selection: { scheme: 'none' },
  },
  axes: [{ path: 'loop.paradigm', values: ['replace', 'accumulate'] }],
  seeds: 3,
  storage: 'metrics',
};

describe("a settled study's kept status", () => {
  const ws = path.join(tmp, 'ws');
  const plan = writeSyntheticStudy(ws, spec, (run, g) => ({ modelVarianceTrace: unitHash(run.index, g) }), {
    unfinished: (r) => r.index === 4,
  });
  const id = plan.studyId;
  const folder = new StudyFolder(ws, id);

  it('is what another process reads, until a change of a run is recorded', () => {
    const computed = new StudyManager(ws, 'cpu').status(id);
    expect(computed.runs.map((r) => r.state)).toEqual(['completed', 'completed', 'completed', 'completed', 'interrupted', 'completed']);
    expect(fs.existsSync(folder.file(STUDY_STATUS_CACHE))).toBe(true);

    // a run's status renamed into place without the engine recording it: the kept status stands, so the next process
    // read none of the runs
    const run = path.join(ws, computed.runs[0].runId);
    const status = JSON.parse(fs.readFileSync(path.join(run, 'status.json'), 'utf8'));
    fs.writeFileSync(path.join(run, 'status.next'), JSON.stringify({ ...status, state: 'failed', error: 'by hand' }));
    fs.renameSync(path.join(run, 'status.next'), path.join(run, 'status.json'));
    const other = new StudyManager(ws, 'cpu');
    expect(other.status(id)).toEqual(computed);
    const { spec: _spec, runs: _runs, ...summary } = computed;
    expect(new StudyManager(ws, 'cpu').list()).toEqual([summary]);

    // recorded: computed again, in this process and in the next
    folder.recordChange();
    expect(other.status(id).runs[0]).toMatchObject({ state: 'failed', error: 'by hand' });
    expect(new StudyManager(ws, 'cpu').status(id).runs[0].state).toBe('failed');
  });

  it('is not used while a coordinator lives, nor when it does not parse', () => {
    fs.writeFileSync(
      folder.file('coordinator.json'),
      JSON.stringify({ pid: process.pid, host: os.hostname(), queue: 'embedded', startedAt: '' }),
    );
    expect(new StudyManager(ws, 'cpu').status(id).state).toBe('running');
    fs.rmSync(folder.file('coordinator.json'));
    fs.writeFileSync(folder.file(STUDY_STATUS_CACHE), '{ not json');
    expect(new StudyManager(ws, 'cpu').status(id).state).toBe('failed');
  });
});
