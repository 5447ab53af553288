import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunFolder } from '../../main/runs/run-folder';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin', 'collapse-lab.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-study-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: tmp, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, value: unknown): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, JSON.stringify(value));
  return p;
}

const study = {
  name: 'cli grid',
  base: {
    dataset: { kind: 'gaussian', dim: 4, trainSize: 200, testSize: 100 },
    islands: { count: 2, split: 'iid' },
    model: { kind: 'gaussian' },
    loop: { generations: 2, keep: 40, ratio: 2 },
    gridSamples: 16,
  },
  axes: [{ path: 'selection.scheme', values: ['random', 'topalpha'] }],
  seeds: [7],
};

describe('collapse-lab study', () => {
  const ws = path.join(tmp, 'ws');

  it('runs a study file to its end: JSON result on stdout, JSON progress lines on stderr', () => {
    const r = cli(['study', 'run', write('grid.json', study), '--out', ws, '--parallel', '2', '--backend', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ id: 'cli-grid', state: 'completed', progress: { total: 2, completed: 2 } });
    const events = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.every((e) => e.type === 'study' && e.studyId === 'cli-grid')).toBe(true);
    expect(events[events.length - 1].state).toBe('completed');
  });

  it('prints status, list and the table in every format', () => {
    const status = JSON.parse(cli(['study', 'status', 'cli-grid', '--out', ws, '--json']).stdout);
    expect(status.runs.map((r: { fields: Record<string, string> }) => r.fields['selection.scheme'])).toEqual(['random', 'topalpha']);
    const list = cli(['study', 'list', '--out', ws]);
    expect(list.stdout).toMatch(/^cli-grid\s+completed\s+2\/2 runs\s+selection\.scheme × 1 seeds$/m);
    const presets = JSON.parse(cli(['study', 'list', '--presets', '--json']).stdout).presets.map((p: { name: string }) => p.name);
    expect(presets).toContain('selection-bias-islands');
    const md = cli(['study', 'table', 'cli-grid', '--out', ws, '--metric', 'fid,recall']);
    expect(md.stdout.split('\n').slice(0, 2)).toEqual(['| selection.scheme | FD (raw data) | Recall |', '| --- | ---: | ---: |']);
    const csv = cli(['study', 'table', 'cli-grid', '--out', ws, '--metric', 'fid', '--format', 'csv', '--generation', '0']);
    // the feature space the FID was computed in travels with it (issue 27's fingerprints)
    expect(csv.stdout.split('\n')[0]).toBe('selection.scheme,fid_mean,fid_sd,fid_n,fid_features');
    // the table's value is the run's own generation-0 FID (one seed: the mean is that value)
    const runId = status.runs[0].runId as string;
    const fid0 = new RunFolder(path.join(ws, runId)).readMetrics()[0].fid as number;
    expect(Number(csv.stdout.split('\n')[1].split(',')[1])).toBe(fid0);
    // LaTeX comments (the feature spaces) above the tabular, then the table itself
    const latexLines = cli(['study', 'table', 'cli-grid', '--out', ws, '--format', 'latex']).stdout.split('\n');
    expect(latexLines.find((l) => !l.startsWith('%'))).toMatch(/^\\begin\{tabular\}/);
    const unknown = cli(['study', 'table', 'cli-grid', '--out', ws, '--metric', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown metric nope/);
  });

  it('refuses a bad study file naming the field, and bad options', () => {
    const bad = cli(['study', 'run', write('bad.json', { ...study, axes: [{ path: 'model.kind', values: ['nope'] }] }), '--out', ws]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.json[\s\S]*base\.model\.kind: .*\(in cell model\.kind=nope\)/);
    expect(cli(['study', 'run', write('ok.json', study), '--out', ws, '--parallel', 'two']).stderr).toMatch(
      /--parallel must be an integer/,
    );
    expect(cli(['study', 'status', 'no-such', '--out', ws]).stderr).toMatch(/no study "no-such"/);
  });

  it('resume --generations extends a completed run; fewer generations are refused', () => {
    const runId = JSON.parse(cli(['study', 'status', 'cli-grid', '--out', ws, '--json']).stdout).runs[0].runId as string;
    const before = new RunFolder(path.join(ws, runId)).readMetrics();
    expect(cli(['resume', runId, '--out', ws]).stderr).toMatch(/already completed \(give more generations to extend it\)/);
    const r = cli(['resume', runId, '--out', ws, '--generations', '4', '--backend', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'completed', lastGeneration: 3, generations: 4 });
    const after = new RunFolder(path.join(ws, runId)).readMetrics();
    expect(after.map((l) => l.generation)).toEqual([0, 1, 2, 3]);
    expect(after[1]).toEqual(before[1]);
    expect(cli(['resume', runId, '--out', ws, '--generations', '2']).stderr).toMatch(/has 4 generations already/);
  });
});
