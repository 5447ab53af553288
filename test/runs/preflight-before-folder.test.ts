import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExperimentConfigInput } from '../../main/contract/config';
import { encodeNpy } from '../../main/data/npy';
import { RunManager } from '../../main/runs/run-manager';

/**
 * Issue 14, item 9: what can be checked of a run is checked before its folder is made, so a bad dataset leaves no
 * `failed` run behind: the dataset opened and validated (in a worker thread), the islands split, the test split large
 * enough for the k-NN metrics (which used to fail only after generation 0 had trained). Orphan `.tmp` files of
 * killed atomic writes are removed on resume and when a run starts.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-preflight-'));
const workspace = path.join(tmp, 'ws');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function npy(name: string, values: Float32Array | Int32Array, shape: number[]): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, encodeNpy(values, shape));
  return p;
}

function config(dataset: ExperimentConfigInput['dataset'], extra: Partial<ExperimentConfigInput> = {}): ExperimentConfigInput {
  return {
    name: 'preflight',
    seed: 1,
    dataset,
    model: { kind: 'gaussian' },
    loop: { generations: 2, paradigm: 'replace', keep: 20, ratio: 2 },
    selection: { scheme: 'random' },
    metrics: { downstream: false },
    gridSamples: 4,
    ...extra,
  };
}

const runs = () => (fs.existsSync(workspace) ? fs.readdirSync(workspace) : []);
const rows = (n: number, dim: number) => new Float32Array(n * dim).map((_, i) => Math.sin(i));

describe('a run is checked before its folder is made', () => {
  const manager = new RunManager(workspace, 'cpu');

  it('a dataset with a NaN: refused naming the file and the index, no run folder', async () => {
    const x = rows(100, 3);
    x[31] = NaN;
    const p = npy('nan.npy', x, [100, 3]);
    await expect(manager.startChecked(config({ kind: 'npy', path: p }))).rejects.toThrow(
      /nan\.npy has a non-finite value NaN at row 10, column 1/,
    );
    expect(runs()).toEqual([]);
  });

  it('issue 26 cases 4 and 5: huge finite values and a constant dataset are refused naming the file, no run folder', async () => {
    const x = rows(100, 3).map((v, i) => (i % 2 ? 3e38 : -3e38));
    await expect(manager.startChecked(config({ kind: 'npy', path: npy('huge.npy', x, [100, 3]) }))).rejects.toThrow(
      /huge\.npy has the value -3\.0\d*e\+38 at row 0, column 0 \(element 0\), beyond ±1e\+15/,
    );
    const same = new Float32Array(300).map((_, i) => i % 3);
    await expect(manager.startChecked(config({ kind: 'npy', path: npy('constant.npy', same, [100, 3]) }))).rejects.toThrow(
      /constant\.npy, training split: all 90 samples are the same/,
    );
    expect(runs()).toEqual([]);
  });

  it('issue 26 cases 2 and 3: a Gaussian mean or a given target of the wrong shape is refused, no run folder', async () => {
    await expect(manager.startChecked(config({ kind: 'gaussian', dim: 4, mean: [1, 2] }))).rejects.toThrow(
      /dataset\.mean: has 2 entries but dataset\.dim is 4/,
    );
    await expect(manager.startChecked(config({ kind: 'gaussian', dim: 4, truth: { kind: 'gaussian', mean: [0, 0] } }))).rejects.toThrow(
      /dataset\.truth\.mean has 2 entries but dataset\.dim is 4/,
    );
    const target = { kind: 'given' as const, mean: [0, 0, 0, 0], cov: [[1]] };
    await expect(manager.startChecked(config({ kind: 'gaussian', dim: 4 }, { selection: { scheme: 'topalpha', target } }))).rejects.toThrow(
      /selection\.target: selection\.target\.cov/,
    );
    const short = { kind: 'given' as const, mean: [0, 0], cov: 1 };
    await expect(
      manager.startChecked(config({ kind: 'gaussian', dim: 4 }, { selection: { scheme: 'topalpha', target: short } })),
    ).rejects.toThrow(/selection\.target\.mean has 2 entries but the selection features have 4/);
    expect(runs()).toEqual([]);
  });

  it('an infeasible island split: refused, no run folder', async () => {
    const p = npy('two-classes.npy', rows(100, 3), [100, 3]);
    const labels = npy(
      'two-labels.npy',
      Int32Array.from({ length: 100 }, (_, i) => i % 2),
      [100],
    );
    await expect(
      manager.startChecked(config({ kind: 'npy', path: p, labels }, { islands: { count: 4, split: 'exdir:3,0.5' } })),
    ).rejects.toThrow(/only 2 classes/);
    expect(runs()).toEqual([]);
  });

  it('a test split too small for the k-NN metrics: refused before generation 0 trains, no run folder', async () => {
    const p = npy('small.npy', rows(20, 3), [20, 3]);
    await expect(manager.startChecked(config({ kind: 'npy', path: p, testFraction: 0.1 }))).rejects.toThrow(
      /test split .*small\.npy holds 2 samples, and the k-NN metrics need more than metrics\.k = 3/,
    );
    expect(runs()).toEqual([]);
  });

  it('quick checks need no worker: a missing file, a header that does not fit its file, keep ≤ k', () => {
    expect(() => manager.start(config({ kind: 'npy', path: path.join(tmp, 'missing.npy') }))).toThrow(
      /cannot read npy file .*missing\.npy: ENOENT/,
    );
    const short = path.join(tmp, 'short.npy');
    fs.writeFileSync(short, encodeNpy(rows(100, 3), [100, 3]).subarray(0, 500));
    expect(() => manager.start(config({ kind: 'npy', path: short }))).toThrow(/short\.npy is truncated/);
    expect(() => manager.start(config({ kind: 'gaussian' }, { loop: { generations: 2, keep: 3, ratio: 2 } }))).toThrow(
      /loop\.keep: the k-NN metrics/,
    );
    expect(runs()).toEqual([]);
  });

  it('the CLI refuses a bad dataset before making a run folder', () => {
    const x = rows(100, 3);
    x[5] = Infinity;
    const cfg = path.join(tmp, 'bad.json');
    fs.writeFileSync(cfg, JSON.stringify(config({ kind: 'npy', path: npy('inf.npy', x, [100, 3]) })));
    const bin = path.resolve(__dirname, '../../bin/collapse-lab.mjs');
    const r = spawnSync(process.execPath, [bin, 'run', '--config', cfg, '--out', workspace], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/inf\.npy has a non-finite value Infinity at row 1, column 2/);
    expect(runs()).toEqual([]);
  });

  it('a good dataset starts, and orphan .tmp files of killed writes are removed on resume', async () => {
    const id = await manager.startChecked(config({ kind: 'npy', path: npy('good.npy', rows(100, 3), [100, 3]) }));
    expect((await manager.wait(id)).state).toBe('completed');
    const dir = path.join(workspace, id);
    const orphans = [
      path.join(dir, '.status.json.999999999.0123456789ab.tmp'), // a dead process's
      path.join(dir, 'gen-001', `.kept.npy.${process.pid}.0123456789ab.tmp`), // this process's killed worker's
    ];
    for (const o of orphans) fs.writeFileSync(o, 'partial');
    const keep = path.join(dir, 'notes.tmp'); // not an atomic write's temporary file
    fs.writeFileSync(keep, 'x');
    manager.resume(id, { generations: 3 });
    for (const o of orphans) expect(fs.existsSync(o), o).toBe(false);
    expect(fs.existsSync(keep)).toBe(true);
    expect((await manager.wait(id)).state).toBe('completed');
  });
});
