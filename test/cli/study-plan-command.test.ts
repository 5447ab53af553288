import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LabApi } from '../../main/api/lab-api';
import { runCliInProcess } from './cli-in-process';

/** `collapse-lab study plan` and the API's `studies.plan` give one summary (main/api/study-plan-summary.ts). */
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-study-plan-'));
afterAll(() => fs.rmSync(ws, { recursive: true, force: true }));

const study = {
  name: 'plan me',
  base: {
    dataset: { kind: 'gaussian', dim: 3, trainSize: 100, testSize: 50 },
    model: { kind: 'gaussian' },
    loop: { generations: 4, paradigm: 'replace', keep: 20, ratio: 2 },
    selection: { scheme: 'random' },
    storage: 'metrics',
  },
  axes: [{ path: 'loop.paradigm', values: ['replace', 'accumulate'] }],
  seeds: 3,
};

describe('study plan', () => {
  it('the CLI prints the summary the API answers, plus what is left to run and the storage modes, and writes nothing', async () => {
    const file = path.join(ws, 'study.json');
    fs.writeFileSync(file, JSON.stringify(study));
    const r = await runCliInProcess(['study', 'plan', file, '--out', ws, '--parallel', '2', '--backend', 'auto', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const cli = JSON.parse(r.stdout);
    expect(cli).toMatchObject({ runs: 6, cells: 2, completed: 0, pending: 6, parallel: 2, storage: ['metrics'] });
    expect(fs.existsSync(path.join(ws, 'studies'))).toBe(false);

    const lab = new LabApi({ workspace: ws, backend: 'auto', openPath: async () => ({ opened: false }) });
    try {
      const env = await lab.call('studies.plan', { study, parallel: 2 });
      expect(env.ok).toBe(true);
      if (env.ok) {
        const { pending, storage, ...rest } = cli;
        expect(pending).toBe(6);
        expect(storage).toEqual(['metrics']);
        expect(env.result).toEqual(rest);
      }
    } finally {
      await lab.close();
    }
  });
});
