import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { StudyAggregate } from '../../main/contract/study-aggregate';
import type { StudyPreset } from '../../main/presets/studies';
import { LabApi } from '../../main/api/lab-api';
import { api } from '../../main/contract/api';
import { fitOf } from '../../main/shared/study-figures';
import { RunFolder } from '../../main/runs/run-folder';
import { expandStudy } from '../../main/studies/expand-study';
import { checkStudyPreset, presetOfStudy, studyOfPreset } from '../../main/studies/preset-study';
import { StudyFolder } from '../../main/studies/study-folder';
import { StudyManager } from '../../main/studies/study-manager';
import { buildStudyReport, lookupOurs, studyReport } from '../../main/studies/study-report';
import { formatNumber } from '../../main/shared/number-format';
import { writeStudyReport } from '../../main/studies/write-study-report';
import { runCliInProcess } from '../cli/cli-in-process';

/**
 * A study's report over a study folder made by hand (its run folders hold metrics lines with known numbers, so no
 * training runs), with a hand-made preset registered beside the built-in ones: the claim, the paper-vs-ours rows
 * looked up in the aggregate, the verdict ('pending' while runs are unfinished), the figures; `studies.report`
 * through the API; and `collapse-lab study report --out` writing SVG, PNG, CSV, the tables and report.md.
 */

// a hand-made preset in the registry (hoisted above the imports by vitest, so it is defined in the factory)
vi.mock('../../main/presets/studies', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../main/presets/studies')>();
  const toy: StudyPreset = {
    name: 'toy-claim',
    description: 'a hand-made reproduction for the report tests',
    expectedMinutes: 1,
    // a valid study (the presets operation estimates each preset's time from it)
    study: {
      name: 'toy claim',
      base: {
        dataset: { kind: 'gaussian', dim: 2, trainSize: 50, testSize: 20 },
        model: { kind: 'gaussian' },
        loop: { generations: 2, paradigm: 'replace', keep: 10, ratio: 2 },
        selection: { scheme: 'random' },
      },
      axes: [],
      seeds: 1,
    },
    claim: {
      paper: '999 — A toy paper',
      statement: 'Replace collapses: its FID grows beyond that of accumulate.',
      paperSetting: 'The toy paper used 1,000 generations on a GPU.',
      figures: [
        {
          quantity: 'FID at the end, replace',
          paper: 12.5,
          where: 'Table 1',
          ours: { metric: 'fid', cell: { 'loop.paradigm': 'replace' } },
        },
        {
          quantity: 'FID at generation 1, accumulate',
          paper: '≈ 3',
          where: 'Table 1',
          ours: { metric: 'fid', cell: { 'loop.paradigm': 'accumulate' }, generation: 1 },
        },
        {
          quantity: 'ψ, replace',
          paper: 1,
          where: 'Theorem 1',
          ours: { metric: 'psi-per-seed:varianceTrace', cell: { 'loop.paradigm': 'replace' } },
        },
        { quantity: 'A qualitative finding', paper: 'collapses', where: 'Fig. 2' },
        { quantity: 'FID, no cell named', paper: 1, where: 'Fig. 3', ours: { metric: 'fid' } },
        {
          quantity: 'A metric we do not record',
          paper: 1,
          where: 'Fig. 4',
          ours: { metric: 'nope', cell: { 'loop.paradigm': 'replace' } },
        },
      ],
    },
    figures: [
      { kind: 'loglog-trace', title: 'Tr(Σ) log-log with ψ', metric: 'varianceTrace' },
      { kind: 'class-histogram', title: 'Classes by generation' },
      { kind: 'metric-vs-generation', title: 'FID by generation', metric: 'fid' },
    ],
    verdict: (a: StudyAggregate) => {
      const fid = (p: string) => a.cells.find((c) => c.fields['loop.paradigm'] === p)?.last.metrics.fid?.mean ?? null;
      const r = fid('replace');
      const acc = fid('accumulate');
      const check = {
        label: 'FID replace > accumulate',
        quantity: 'FID at the last generation, replace',
        reference: { kind: 'cell' as const, text: 'the accumulate cell' },
        tolerance: 'the sign decides',
        scale: 'linear' as const,
        role: 'claim' as const,
      };
      if (r === null || acc === null)
        return { reproduced: 'pending', summary: 'no FID yet', checks: [{ ...check, ours: null, pass: false, outcome: 'fail' }] };
      const pass = r > acc;
      return {
        reproduced: pass ? 'yes' : 'no',
        summary: `FID ${r} (replace) against ${acc} (accumulate).`,
        checks: [{ ...check, ours: r, against: acc, pass, outcome: pass ? 'pass' : 'fail' }],
      };
    },
  };
  return { ...original, studyPresets: [...original.studyPresets, toy] };
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-study-report-'));
const ws = path.join(tmp, 'ws');
const manager = new StudyManager(ws, 'cpu');
afterAll(async () => {
  await manager.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const GENERATIONS = 4;
const START = Date.parse('2026-01-01T10:00:00.000Z');

/** The metrics line of a run: FID, the kept samples' trace C·t^(−ψ) (ψ 1 replace, 0.2 accumulate), a class histogram. */
function line(paradigm: string, seed: number, g: number): Record<string, unknown> {
  const replace = paradigm === 'replace';
  const t = g + 1;
  return {
    generation: g,
    fid: (replace ? 5 + 3 * g : 4 + 0.5 * g) + seed,
    varianceTrace: (10 + seed) * t ** (replace ? -1 - 0.1 * seed : -0.2),
    classHistogram: replace ? [0.25 + 0.2 * g, 0.75 - 0.2 * g] : [0.5, 0.5],
    seconds: 1.5,
    kept: 40,
    candidates: 80,
  };
}

/**
 * A study folder with its run folders written by hand: study.json as `start` writes it (preset recorded), each run's
 * config, metrics lines and a completed status; `unfinished` runs are left queued with no lines.
 */
function makeStudy(name: string, preset: string | undefined, unfinished = 0): string {
  const spec = {
    name,
    ...(preset ? { preset } : {}),
    base: {
      dataset: { kind: 'gaussian', dim: 2, trainSize: 200, testSize: 100 },
      islands: { count: 1, split: 'iid' },
      model: { kind: 'gaussian' },
      loop: { generations: GENERATIONS, keep: 40, ratio: 2 },
      // ψ from t = 1: these runs are 4 generations long (the default window is t ∈ [10, T])
      metrics: { psiFromT: 1 },
      gridSamples: 16,
    },
    axes: [{ path: 'loop.paradigm', values: ['replace', 'accumulate'] }],
    seeds: 2,
  };
  const plan = expandStudy(spec);
  const folder = new StudyFolder(ws, plan.studyId);
  folder.writeJson('study.json', plan.spec);
  plan.runs.forEach((r, i) => {
    const runId = folder.runId(r.key);
    manager.runs.create(r.config, runId);
    if (i >= plan.runs.length - unfinished) return;
    const run = new RunFolder(path.join(ws, runId));
    for (let g = 0; g < GENERATIONS; g++) run.appendMetrics(line(String(r.fields['loop.paradigm']), r.seed, g) as never);
    run.writeJson('status.json', {
      state: 'completed',
      lastGeneration: GENERATIONS - 1,
      generations: GENERATIONS,
      startedAt: new Date(START + i * 1000).toISOString(),
      updatedAt: new Date(START + 60_000 + i * 1000).toISOString(),
      finishedAt: new Date(START + 60_000 + i * 1000).toISOString(),
    });
  });
  return plan.studyId;
}

const id = makeStudy('toy claim', 'toy-claim');

describe('the preset a study was started from', () => {
  it('is recorded in study.json and found again; an unknown preset is refused naming the field', () => {
    expect(manager.status(id).spec.preset).toBe('toy-claim');
    expect(manager.status(id).preset).toBe('toy-claim');
    expect(presetOfStudy(manager.status(id).spec)?.name).toBe('toy-claim');
    expect(presetOfStudy({})).toBeNull();
    const preset = presetOfStudy({ preset: 'toy-claim' })!;
    expect(studyOfPreset(preset)).toMatchObject({ name: 'toy claim', preset: 'toy-claim' });
    expect(() => checkStudyPreset({ preset: 'no-such' }, 'x.json')).toThrow(/x\.json: preset: unknown study preset "no-such"/);
    const spec = { ...manager.status(id).spec, name: 'bad preset' };
    expect(() => manager.start(spec, { preset: 'no-such' })).toThrow(/study: preset: unknown study preset "no-such"/);
    expect(fs.existsSync(path.join(ws, 'studies', 'bad-preset'))).toBe(false);
  });
});

describe('study report', () => {
  it('has the claim, the paper-vs-ours rows from the aggregate, the verdict and the figures', () => {
    const report = studyReport(manager, id);
    const aggregate = manager.aggregate(id);
    const cell = (p: string) => aggregate.cells.find((c) => c.fields['loop.paradigm'] === p)!;
    expect(report.preset).toBe('toy-claim');
    expect(report.claim?.paper).toBe('999 — A toy paper');

    const rows = report.paperVsOurs;
    expect(rows).toHaveLength(6);
    // FID at the last generation, replace: seeds 0 and 1 give 5 + 9 and 6 + 9
    expect(rows[0].ours).toEqual({ mean: 14.5, sd: Math.SQRT1_2, n: 2 });
    expect(rows[0].ours!.mean).toBe(cell('replace').last.metrics.fid.mean);
    expect(rows[0].oursText).toBe(`14.5 ± ${formatNumber(Math.SQRT1_2)} (2)`);
    expect(rows[0].source).toMatch(/FID, cell replace, last generation \(3\)/);
    expect(rows[1].ours?.mean).toBe(cell('accumulate').generations[1].metrics.fid.mean);
    expect(rows[1].ours?.mean).toBe(5);
    // ψ per seed of an exact power law: 1 and 1.1
    const fit = fitOf(cell('replace'), 'varianceTrace')!;
    expect(rows[2].ours?.mean).toBe(fit.seedPsi!.mean);
    expect(rows[2].ours?.mean).toBeCloseTo(1.05, 10);
    expect(rows[2].ours?.n).toBe(2);
    expect(rows[3]).toMatchObject({ ours: null, oursText: '—', source: 'no number of ours matches' });
    expect(rows[4].ours).toBeNull();
    expect(rows[4].source).toBe('2 cells match: the claim must name the cell');
    expect(rows[5].source).toMatch(/nope.*not recorded in cell replace/);

    expect(report.verdict).toEqual({
      reproduced: 'yes',
      summary: `FID 14.5 (replace) against ${cell('accumulate').last.metrics.fid.mean} (accumulate).`,
      checks: [expect.objectContaining({ label: 'FID replace > accumulate', ours: 14.5, against: 6, pass: true, outcome: 'pass' })],
    });
    expect(report.figures.map((f) => f.spec.kind)).toEqual(['loglog-trace', 'class-histogram', 'metric-vs-generation']);
    expect(report.figures.every((f) => f.missing === undefined)).toBe(true);

    // wall time: first start to last finish; compute: the generations' own seconds
    expect(report.timing.wallSeconds).toBe(63);
    expect(report.timing.computeSeconds).toBe(4 * GENERATIONS * 1.5);
    expect(report.sizes).toMatchObject({
      runs: 4,
      completedRuns: 4,
      cells: 2,
      seeds: [0, 1],
      generations: GENERATIONS,
      perGeneration: { candidates: 80, kept: 40 },
    });
  });

  it("is 'pending' while runs are unfinished, with the provisional checks", () => {
    const partial = makeStudy('toy partial', 'toy-claim', 1);
    const report = studyReport(manager, partial);
    expect(report.progress).toMatchObject({ total: 4, completed: 3 });
    expect(report.verdict?.reproduced).toBe('pending');
    expect(report.verdict?.summary).toMatch(/^3 of 4 runs finished; provisional, on the finished runs: FID/);
    expect(report.verdict?.checks).toHaveLength(1);
  });

  it('a study without a preset has no claim or verdict, and default figures', () => {
    const plain = makeStudy('plain study', undefined);
    const report = studyReport(manager, plain);
    expect(report).toMatchObject({ preset: null, claim: null, verdict: null, paperVsOurs: [] });
    expect(report.figures.map((f) => f.spec.kind)).toContain('loglog-trace');
    expect(report.figures.map((f) => f.spec.kind)).toContain('class-histogram');
  });

  it('lookupOurs takes a generation number and refuses a cell that does not exist', () => {
    const aggregate = manager.aggregate(id);
    expect(lookupOurs(aggregate, { metric: 'fid', cell: { 'loop.paradigm': 'replace' }, generation: 2 })).toMatchObject({
      value: { mean: 11.5 },
    });
    expect(lookupOurs(aggregate, { metric: 'fid', cell: { 'loop.paradigm': 'other' } })).toEqual({
      missing: 'no finished cell with other',
    });
    // pure: the same rows from the parts
    const status = manager.status(id);
    const again = buildStudyReport({
      status,
      aggregate,
      preset: presetOfStudy(status.spec),
      timing: { startedAt: null, finishedAt: null, wallSeconds: null, computeSeconds: 0 },
    });
    expect(again.paperVsOurs).toEqual(studyReport(manager, id).paperVsOurs);
  });

  it('answers the studies.report operation, and the presets operation carries the claim without the verdict function', async () => {
    const lab = new LabApi({ workspace: ws, backend: 'cpu', openPath: async () => ({ opened: false }) });
    try {
      const env = await lab.call('studies.report', { studyId: id });
      expect(env.ok).toBe(true);
      if (env.ok) {
        const r = api['studies.report'].response.parse(env.result);
        expect(r.paperVsOurs[0].ours?.mean).toBe(14.5);
        expect(r.verdict?.reproduced).toBe('yes');
        expect(JSON.parse(JSON.stringify(r))).toEqual(r);
      }
      const missing = await lab.call('studies.report', { studyId: 'no-such' });
      expect(missing.ok).toBe(false);
      if (!missing.ok) expect(missing.error.code).toBe('not-found');
      const presets = await lab.call('studies.presets', {});
      expect(presets.ok).toBe(true);
      if (presets.ok) {
        const toy = api['studies.presets'].response.parse(presets.result).presets.find((p) => p.name === 'toy-claim')!;
        expect(toy.claim?.paper).toBe('999 — A toy paper');
        expect(toy.study).toMatchObject({ preset: 'toy-claim' });
        // the answer as sent (not parsed): the verdict function stays in the engine
        const raw = (presets.result as { presets: Record<string, unknown>[] }).presets.find((p) => p.name === 'toy-claim')!;
        expect('verdict' in raw).toBe(false);
        expect(JSON.parse(JSON.stringify(raw))).toEqual(raw);
      }
    } finally {
      await lab.close();
    }
  });
});

describe('collapse-lab study report --out', () => {
  it('writes the figures as SVG, PNG and CSV, the tables and report.md', async () => {
    const out = path.join(tmp, 'report');
    const r = await runCliInProcess(['study', 'report', id, '--workspace', ws, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/report written to .*report\.md/);
    expect(r.stdout).toMatch(/verdict: yes/);
    const files = fs.readdirSync(out).sort();
    const stems = ['fig-01-tr-log-log-with', 'fig-02-classes-by-generation', 'fig-03-fid-by-generation'];
    for (const s of stems) for (const ext of ['svg', 'png', 'csv']) expect(files).toContain(`${s}.${ext}`);
    for (const f of ['report.md', 'report.json', 'table.md', 'table.csv', 'table.tex']) expect(files).toContain(f);

    const svg = fs.readFileSync(path.join(out, 'fig-01-tr-log-log-with.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Tr(Σ) log-log with ψ');
    // PNG: its signature, and its IHDR size: twice the figure's own size
    const png = fs.readFileSync(path.join(out, 'fig-01-tr-log-log-with.png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(png.readUInt32BE(16)).toBe(2 * report.figures[0].width);
    expect(png.readUInt32BE(20)).toBe(2 * report.figures[0].height);
    expect(png.length).toBeGreaterThan(5000);

    const csv = fs.readFileSync(path.join(out, 'fig-03-fid-by-generation.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('loop.paradigm,cell,generation,fid_mean,fid_sd,fid_n');
    expect(csv).toHaveLength(1 + 2 * GENERATIONS);
    expect(csv[GENERATIONS]).toBe(`replace,replace,3,14.5,${Math.SQRT1_2},2`);

    const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(md).toContain('**Paper:** 999 — A toy paper');
    expect(md).toContain('> Replace collapses: its FID grows beyond that of accumulate.');
    expect(md).toContain("**The paper's own setting:** The toy paper used 1,000 generations on a GPU.");
    expect(md).toContain('## Verdict: reproduced');
    expect(md).toContain(
      '| FID replace > accumulate | FID at the last generation, replace | 14.5 | cell: the accumulate cell | 6 | the sign decides | pass |',
    );
    expect(md).toMatch(
      /\| FID at the end, replace \| Table 1 \| 12\.5 \| 14\.5 ± 0\.7071 \(2\) \| FID, cell replace, last generation \(3\) \|/,
    );
    expect(md).toContain('![Tr(Σ) log-log with ψ](fig-01-tr-log-log-with.png)');
    expect(md).toContain('[SVG](fig-03-fid-by-generation.svg) · [data (CSV)](fig-03-fid-by-generation.csv)');
    expect(md).toMatch(/Wall time: 1 min 3 s/);
    expect(md).toMatch(/Runs: 4 \(4 completed\) = 2 cells × 2 seeds/);
    expect(fs.readFileSync(path.join(out, 'table.tex'), 'utf8')).toMatch(/^\\begin\{tabular\}/);
  });

  it('refuses a missing study and a folder it cannot write', async () => {
    const missing = await runCliInProcess(['study', 'report', 'no-such', '--workspace', ws, '--out', path.join(tmp, 'r2')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no study "no-such"/);
    expect(fs.existsSync(path.join(tmp, 'r2'))).toBe(false);
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, 'x');
    const bad = await runCliInProcess(['study', 'report', id, '--workspace', ws, '--out', file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot write the report to .*a-file: it is a file, not a folder/);
    await expect(writeStudyReport(manager, id, path.join(file, 'sub'))).rejects.toThrow(/cannot write the report to .*a-file.sub/);
  });
});
