import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSelect } from '../../main/cli/commands/select';
import { encodeNpy } from '../../main/data/npy';
import { startIslands } from '../../main/islands/start-islands';
import { getScheme } from '../../main/selection/registry';
import { Rng } from '../../main/util/random';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin', 'collapse-lab.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-select-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const rng = new Rng(31);
const d = 4;
const pool = Float32Array.from({ length: 100 * d }, () => rng.normal() * 2);
const islands = [0, 1].map((k) => Float32Array.from({ length: 50 * d }, (_, q) => rng.normal() + (q % d === k ? 2 : 0)));
const file = (name: string, data: Float32Array, n: number) => {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, encodeNpy(data, [n, d]));
  return p;
};
const poolFile = file('pool.npy', pool, 100);
const refFiles = islands.map((x, k) => file(`island-${k}.npy`, x, 50));

const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

describe('collapse-lab select', () => {
  it('prints the kept indices and diagnostics, the same as the scheme called on in-process islands', async () => {
    const out = cli(
      'select',
      '--scheme',
      'topalpha',
      '--pool',
      poolFile,
      '--reference',
      ...refFiles,
      '--keep',
      '20',
      '--seed',
      '3',
      '--verifier',
      '1',
      '--json',
    );
    expect(out.status, out.stderr).toBe(0);
    const r = JSON.parse(out.stdout) as { selected: number[]; islandBytesSent: number[]; references: number };
    expect(r.selected).toHaveLength(20);
    expect(r.references).toBe(1);
    expect(r.islandBytesSent[0]).toBe(0); // only the verifier was asked
    expect(r.islandBytesSent[1]).toBeGreaterThan(0);
    const fleet = startIslands(
      islands.map((x) => ({ x, n: 50, dim: d })),
      0,
      { mode: 'in-process' },
    );
    const direct = await getScheme('topalpha').select({
      candidates: { x: pool, n: 100, dim: d },
      keep: 20,
      islands: fleet.channels,
      reference: 'local',
      verifier: 1,
      seed: 3,
      params: {},
    });
    expect(r.selected).toEqual(Array.from(direct.selected));
  });

  it('runs Scheme I with parameters', () => {
    const ok = cli(
      'select',
      '--scheme',
      'ot-proxy',
      '--pool',
      poolFile,
      '--reference',
      ...refFiles,
      '--keep',
      '10',
      '--params',
      '{"blur":0.1}',
      '--json',
    );
    expect(ok.status, ok.stderr).toBe(0);
    const r = JSON.parse(ok.stdout) as { selected: number[]; islands: number[]; sinkhornIterations: number[] };
    expect(new Set(r.selected).size).toBe(10);
    expect(r.islands).toEqual([0, 1]);
  });

  it('names what is wrong', async () => {
    const base = {
      pool: poolFile,
      reference: [refFiles[0]],
      keep: 10,
      seed: 0,
      referenceKind: 'local',
      verifier: 0,
      features: 'raw',
      params: '{}',
      inProcess: true,
      json: true,
    };
    await expect(runSelect({ ...base, scheme: 'ot-proxy', params: '{"blurr":1}' })).rejects.toThrow(/blurr/);
    await expect(runSelect({ ...base, scheme: 'random', keep: 500 })).rejects.toThrow(/--keep 500/);
    await expect(runSelect({ ...base, scheme: 'nope' })).rejects.toThrow(/unknown scheme/);
    await expect(runSelect({ ...base, scheme: 'center', verifier: 3 })).rejects.toThrow(/--verifier 3/);
  });
});
