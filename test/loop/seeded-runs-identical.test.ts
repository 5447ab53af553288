import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Issue 26 case 14: the same seeded config gives the same run, metrics included, in separate processes started at
 * once (so that their threads — island agents, the SIMD helper — race differently in each). The config exercises
 * the parallel paths: islands answering an OT scheme, products large enough for the SIMD helper thread, and k-NN
 * radii over a 1,000-row test split in 32 dimensions. Every metrics line is compared byte for byte once the
 * wall-clock fields (`seconds`, `…Seconds`, at any depth) are taken out; the kept samples of every generation too.
 */
const RUNS = 3;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-seeded-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const bin = path.resolve(__dirname, '../../bin/collapse-lab.mjs');

const dim = 32;
const config = {
  name: 'seeded',
  seed: 7,
  dataset: {
    kind: 'gaussian-mixture',
    dim,
    weights: [1, 1],
    means: [Array.from({ length: dim }, (_, i) => (i < 4 ? 2 : 0)), Array.from({ length: dim }, (_, i) => (i < 4 ? -2 : 0))],
    covs: [1, 1],
    trainSize: 400,
    testSize: 1000,
  },
  islands: { count: 2, split: 'exdir:1,0.1' },
  model: { kind: 'gaussian' },
  loop: { generations: 3, paradigm: 'accumulate', keep: 300, ratio: 4 },
  selection: { scheme: 'ot-proxy', reference: 'per-island', features: 'raw' },
  gridSamples: 4,
};

/** A metrics line without its wall-clock fields. */
function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'seconds' && !k.endsWith('Seconds'))
      .map(([k, v]) => [k, withoutTimes(v)]),
  );
}

function runOnce(i: number): Promise<{ code: number | null; stderr: string; dir: string }> {
  const out = path.join(tmp, `ws-${i}`);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [bin, 'run', '--config', path.join(tmp, 'config.json'), '--out', out, '--backend', 'cpu', '--json'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('close', (code) => {
      const runs = fs.existsSync(out) ? fs.readdirSync(out).filter((d) => !d.startsWith('.') && d !== 'studies') : [];
      resolve({ code, stderr, dir: path.join(out, runs[0] ?? 'none') });
    });
  });
}

describe('seeded runs are identical in separate processes', () => {
  it(`${RUNS} processes at once write the same metrics lines and kept samples`, async () => {
    fs.writeFileSync(path.join(tmp, 'config.json'), JSON.stringify(config));
    const results = await Promise.all(Array.from({ length: RUNS }, (_, i) => runOnce(i)));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const lines = results.map((r) =>
      fs
        .readFileSync(path.join(r.dir, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.stringify(withoutTimes(JSON.parse(l)))),
    );
    expect(lines[0]).toHaveLength(config.loop.generations);
    expect(lines[0][0]).toMatch(/"density":/);
    for (let i = 1; i < RUNS; i++) {
      for (let g = 0; g < lines[0].length; g++) expect(lines[i][g], `process ${i}, generation ${g}`).toBe(lines[0][g]);
      for (let g = 0; g < config.loop.generations; g++) {
        const kept = (r: { dir: string }) => fs.readFileSync(path.join(r.dir, `gen-${String(g).padStart(3, '0')}`, 'kept.npy'));
        expect(kept(results[i]).equals(kept(results[0])), `kept.npy of generation ${g}`).toBe(true);
      }
    }
  }, 600_000);
});
