import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StudyEvent, StudyIndex } from '../../main/contract/study';
import { RunFolder } from '../../main/runs/run-folder';
import { expandStudy } from '../../main/studies/expand-study';
import { ExternalStudyWatcher } from '../../main/studies/external-study-watcher';
import { StudyFolder } from '../../main/studies/study-folder';
import { StudyManager } from '../../main/studies/study-manager';

/**
 * A study coordinated by another process (here: a folder whose coordinator record names a live child process, and
 * whose files the test writes as that coordinator would) shows live in this process: a cancel asked from here reads
 * cancelling at once, and the runs the coordinator stops read cancelled, without a reload.
 */
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-external-study-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(ws, { recursive: true, force: true });
});

const spec = {
  name: 'terminal grid',
  base: { dataset: { kind: 'gaussian', dim: 2 }, model: { kind: 'gaussian' }, loop: { generations: 3, keep: 10 } },
  axes: [{ path: 'selection.scheme', values: ['random', 'topalpha'] }],
  seeds: 1,
};

describe('studies another process coordinates', () => {
  it('relays a cancel, each run that stopped and the study that ended, as study events', async () => {
    const studies = new StudyManager(ws, 'cpu');
    const plan = expandStudy(spec);
    const folder = new StudyFolder(ws, plan.studyId);
    folder.writeJson('study.json', plan.spec);
    const coordinator = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    children.push(coordinator);
    folder.writeJson('coordinator.json', {
      pid: coordinator.pid,
      host: os.hostname(),
      queue: 'embedded',
      startedAt: new Date().toISOString(),
    });
    const index: StudyIndex = {
      studyId: plan.studyId,
      updatedAt: new Date().toISOString(),
      queue: 'embedded',
      runs: plan.runs.map((r) => {
        const runId = folder.runId(r.key);
        studies.runs.create(r.config, runId);
        return {
          key: r.key,
          cellKey: r.cellKey,
          seed: r.seed,
          runId,
          fields: r.fields,
          state: 'running',
          lastGeneration: 0,
          generations: 3,
          attempts: 1,
        };
      }),
    };
    folder.writeIndex(index);

    const events: StudyEvent[] = [];
    const watcher = new ExternalStudyWatcher(studies, (e) => events.push(e));
    watcher.poll();
    expect(events).toEqual([]); // first sight: the listing says what it is
    expect(studies.status(plan.studyId).state).toBe('running');

    // the app asks: the request is on disk for the terminal's coordinator, and the study reads cancelling at once
    studies.cancel(plan.studyId);
    watcher.poll();
    expect(events.map((e) => [e.state, e.run?.state])).toEqual([['cancelling', undefined]]);

    // the terminal's coordinator stops the runs (their folders say cancelled), writes its index and ends
    await new Promise((r) => setTimeout(r, 20));
    for (const e of index.runs) {
      new RunFolder(path.join(ws, e.runId)).updateStatus({ state: 'cancelled' });
      e.state = 'cancelled';
    }
    folder.writeIndex(index);
    fs.rmSync(folder.file('cancel-request.json'));
    fs.rmSync(folder.file('coordinator.json'));
    coordinator.kill('SIGKILL');
    events.length = 0;
    watcher.poll();
    expect(events.map((e) => e.run?.state)).toEqual(['cancelled', 'cancelled']);
    expect(events.every((e) => e.state === 'cancelled' && e.progress.running === 0 && e.progress.cancelled === 2)).toBe(true);

    // nothing changed: nothing relayed
    events.length = 0;
    watcher.poll();
    expect(events).toEqual([]);
  });
});
