import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/contract/config';
import { RunFolder } from '../../main/runs/run-folder';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-run-status-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function folderWithLines(name: string, generations: number[], tail = ''): RunFolder {
  const f = new RunFolder(path.join(tmp, name));
  fs.mkdirSync(f.dir);
  f.writeQueued(
    validateConfig({
      name,
      dataset: { kind: 'gaussian', dim: 2, trainSize: 20, testSize: 20 },
      model: { kind: 'gaussian' },
      loop: { generations: 10, paradigm: 'replace', keep: 20, ratio: 1 },
      selection: { scheme: 'none' },
    }),
  );
  fs.writeFileSync(f.file('metrics.jsonl'), generations.map((g) => JSON.stringify({ generation: g }) + '\n').join('') + tail);
  return f;
}

describe('a run that stops short takes its last generation from its metrics lines', () => {
  // the loop notes a finished generation in status.json at most once a second: the lines are the truth
  it.each(['cancelled', 'failed', 'interrupted'] as const)('%s: the last complete line, not the last note', (state) => {
    const f = folderWithLines(`stop-${state}`, [0, 1, 2, 3], '{"generation": 4, "cut by a cra');
    f.updateStatus({ state: 'running', lastGeneration: 1 });
    expect(f.updateStatus({ state }).lastGeneration).toBe(3);
    expect(f.readStatus()).toMatchObject({ state, lastGeneration: 3 });
  });

  it('a completed run, a note that names its generation, and a run without lines keep what they say', () => {
    const f = folderWithLines('kept', [0, 1, 2]);
    expect(f.updateStatus({ state: 'running', lastGeneration: 1 }).lastGeneration).toBe(1);
    expect(f.updateStatus({ state: 'cancelled', lastGeneration: 1 }).lastGeneration).toBe(1);
    expect(f.updateStatus({ state: 'completed' }).lastGeneration).toBe(1);
    const none = folderWithLines('none', []);
    expect(none.updateStatus({ state: 'interrupted' }).lastGeneration).toBe(-1);
  });
});
