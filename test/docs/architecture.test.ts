import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNpyAsFloat32 } from '../../main/data/npy';
import { dummyKinds, dummyRunConfig } from './dummy-kinds';
import { parseToAddLists, planDummyWrites } from './to-add-lists';

/**
 * docs/ARCHITECTURE.md's "To add a model, a scheme, a dataset kind, a metric, a paradigm or an island split" kept
 * true: a dummy of each is written into exactly the files the doc lists, in a copy of the tree, which must then
 * type-check and run end to end with all six dummies (the run's metrics lines carry the dummy metric and the dummy
 * paradigm's training set, its config.json the dummy model's resolved params, its islands.json the dummy split's blocks).
 */

const root = path.resolve(__dirname, '../..');
const docPath = path.join(root, 'docs', 'ARCHITECTURE.md');
const doc = fs.readFileSync(docPath, 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-architecture-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('docs/ARCHITECTURE.md "To add" lists', () => {
  it('name exactly the files a dummy model, scheme, dataset kind, metric, paradigm and split touch, with their edit points present', () => {
    const lists = parseToAddLists(doc);
    expect([...lists.keys()]).toEqual(dummyKinds.map((d) => d.heading));
    const writes = planDummyWrites(lists, dummyKinds, root);
    expect(writes.length).toBe(dummyKinds.reduce((s, d) => s + Object.keys(d.files).length, 0));
  });

  it('fail, naming the file, when the doc names a wrong file, omits one or mistakes new for edit', () => {
    const plan = (text: string) => () => planDummyWrites(parseToAddLists(text), dummyKinds, root);
    const registryLine = /^- edit `main\/models\/registry\.ts`.*\n/m;
    expect(doc).toMatch(registryLine);
    expect(plan(doc.replace('`main/models/registry.ts`', '`main/models/model-registry.ts`'))).toThrow(
      /names main\/models\/model-registry\.ts/,
    );
    expect(plan(doc.replace(registryLine, ''))).toThrow(/does not name main\/models\/registry\.ts/);
    expect(plan(doc.replace('- edit `main/contract/selection/catalog.ts`', '- new `main/contract/selection/catalog.ts`'))).toThrow(
      /says "new" for main\/contract\/selection\/catalog\.ts/,
    );
    expect(plan(doc.replace('### A metric', '### A measure'))).toThrow(/"### A metric": the subsection is missing/);
  });

  it('fail when a listed file is missing from the tree or an edit point is gone', () => {
    const lists = parseToAddLists(doc);
    const moved = dummyKinds.map((d) =>
      d.heading !== 'A scheme'
        ? d
        : {
            ...d,
            files: {
              ...d.files,
              'main/selection/registry.ts': { action: 'edit' as const, insertions: [{ after: 'const schemesByName = {\n', text: 'x' }] },
            },
          },
    );
    expect(() => planDummyWrites(lists, moved, root)).toThrow(
      /edit point "const schemesByName = \{\\n" occurs 0 times in main\/selection\/registry\.ts/,
    );
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    expect(() => planDummyWrites(lists, dummyKinds, empty)).toThrow(/is listed as edited but does not exist/);
  });

  it('suffice: with the dummies written into them, a copy of the tree type-checks and runs all six end to end', () => {
    const copy = path.join(tmp, 'tree');
    fs.mkdirSync(copy);
    for (const part of ['main', 'bin', 'package.json', 'tsconfig.json'])
      fs.cpSync(path.join(root, part), path.join(copy, part), { recursive: true });
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'), 'dir');

    const writes = planDummyWrites(parseToAddLists(doc), dummyKinds, copy);
    for (const w of writes) {
      const abs = path.join(copy, w.path);
      const before = fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : null;
      expect(w.content, w.path).not.toBe(before);
      fs.writeFileSync(abs, w.content);
    }

    // the copy holds main/ and bin/ only, so the repo's tsconfig checks main/ (with the dummies) and nothing else
    const tsc = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'],
      {
        cwd: copy,
        encoding: 'utf8',
        timeout: 240_000,
      },
    );
    expect(tsc.status, `tsc on the copy with the dummies:\n${tsc.stdout}${tsc.stderr}`).toBe(0);

    const configFile = path.join(tmp, 'dummy-run.json');
    fs.writeFileSync(configFile, JSON.stringify(dummyRunConfig));
    const ws = path.join(tmp, 'workspace');
    const run = spawnSync(
      process.execPath,
      [path.join(copy, 'bin', 'collapse-lab.mjs'), 'run', '--config', configFile, '--out', ws, '--json'],
      {
        cwd: copy,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(run.status, run.stderr.slice(-3000)).toBe(0);
    const result = JSON.parse(run.stdout) as { dir: string; state: string; lastGeneration: number };
    expect(result.state).toBe('completed');
    expect(result.lastGeneration).toBe(1);

    const config = JSON.parse(fs.readFileSync(path.join(result.dir, 'config.json'), 'utf8'));
    expect(config.model).toEqual({ kind: 'constant-gaussian', params: { scale: 1 } }); // the default, resolved
    expect(config.selection.scheme).toBe('first-n');
    expect(config.selection.params).toEqual({ skip: 3 });
    expect(config.dataset).toEqual({ kind: 'uniform-cube', dim: 2, trainSize: 200, testSize: 200 });
    // the dummy split: two blocks of the 200 rows in file order
    const islands = JSON.parse(fs.readFileSync(path.join(result.dir, 'islands.json'), 'utf8'));
    expect(islands.split).toBe('blocks');
    expect(islands.islands.map((i: { size: number }) => i.size)).toEqual([100, 100]);

    const lines = fs
      .readFileSync(path.join(result.dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown> & { selection: Record<string, unknown> });
    expect(lines.map((l) => l.generation)).toEqual([0, 1]);
    for (const line of lines) {
      // the dummy metric is the largest |x| of the kept samples the run wrote
      const kept = readNpyAsFloat32(path.join(result.dir, `gen-${String(line.generation).padStart(3, '0')}`, 'kept.npy'));
      expect(kept.shape).toEqual([50, 2]);
      expect(line.maxAbsValue).toBeCloseTo(
        kept.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0),
        6,
      );
      // the dummy scheme's own diagnostic, and the dummy dataset's spread: uniform in [0, 1]² has Tr(Σ) = 2/12
      expect(line.selection.skipped).toBe(3);
      expect(line.traceFeaturesTest as number).toBeGreaterThan(2 / 12 - 0.04);
      expect(line.traceFeaturesTest as number).toBeLessThan(2 / 12 + 0.04);
      // the dummy model ignores the data: N(0, I) in two dimensions, far wider than the cube
      expect(line.varianceTrace as number).toBeGreaterThan(1);
    }
    // the bench finds the dummy model through the model registry, without an edit of main/bench
    const bench = spawnSync(
      process.execPath,
      [
        path.join(copy, 'bin', 'collapse-lab.mjs'),
        ...['bench', 'train', '--model', 'constant-gaussian', '--backend', 'cpu', '--seconds', '0.02', '--blocks', '1'],
        ...['--batch', '20', '--samples', '20', '--json'],
      ],
      { cwd: copy, encoding: 'utf8', timeout: 120_000 },
    );
    expect(bench.status, bench.stderr.slice(-3000)).toBe(0);
    expect(JSON.parse(bench.stdout)).toMatchObject({ model: 'constant-gaussian', batch: 20, samples: 20 });

    // the dummy paradigm: generation 0 on the real data, generation 1 on round(0.5 × 200) real rows and nothing synthetic
    expect(lines.map((l) => [l.realInTraining, l.syntheticInTraining])).toEqual([
      [200, 0],
      [100, 0],
    ]);
  });
});

describe('docs/ARCHITECTURE.md "Boundaries the linter enforces"', () => {
  /** One wrong import in each zone the doc names, linted as a file of that zone with the project's ESLint config. */
  const wrong: [string, string, RegExp][] = [
    [
      'renderer/src/stores/zone-probe.ts',
      "import { RunManager } from '../../../main/runs/run-manager';",
      /main\/contract and main\/shared/,
    ],
    ['renderer/src/stores/zone-probe.ts', "import fs from 'node:fs';", /no Node modules/],
    ['main/contract/zone-probe.ts', "import { modelRegistry } from '../models/registry';", /imports nothing outside main\/contract/],
    ['main/contract/models/zone-probe.ts', "import { Rng } from '../../util/random';", /imports nothing outside main\/contract/],
    ['main/shared/zone-probe.ts', "import { Rng } from '../util/random';", /only the contract and itself/],
    ['main/cli/commands/zone-probe.ts', "import { StudyManager } from '../../studies/study-manager';", /only through main\/index\.ts/],
    ['main/server/zone-probe.ts', "import { RunManager } from '../runs/run-manager';", /only through main\/index\.ts/],
    ['electron/zone-probe.ts', "import { RunManager } from '../main/runs/run-manager';", /only through main\/index\.ts/],
  ];
  const allowed: [string, string][] = [
    ['renderer/src/stores/zone-probe.ts', "import { csvField } from '../../../main/shared/csv';"],
    ['main/contract/models/zone-probe.ts', "import { parseParadigm } from '../paradigm';"],
    ['main/cli/commands/zone-probe.ts', "import { RunManager } from '../../index';"],
  ];

  it('the doc names the zones', () => {
    const section = doc.slice(doc.indexOf('## Boundaries the linter enforces'), doc.indexOf('## The flow of a run'));
    for (const zone of ['- `renderer/src`', '- `main/contract`', '- `main/shared`', '(`main/cli`, `main/server`, `electron/`)']) {
      expect(section).toContain(zone);
    }
  });

  it('each zone refuses a wrong import and lets a right one through', async () => {
    const { ESLint } = await import('eslint');
    const eslint = new ESLint({ cwd: root });
    const messages = async (file: string, line: string) =>
      (await eslint.lintText(`${line}\nexport const probe = 1;\n`, { filePath: path.join(root, file) }))[0].messages
        .filter((m) => m.ruleId === 'no-restricted-imports')
        .map((m) => m.message);
    for (const [file, line, why] of wrong) expect((await messages(file, line)).join('\n'), `${file}: ${line}`).toMatch(why);
    for (const [file, line] of allowed) expect(await messages(file, line), `${file}: ${line}`).toEqual([]);
  });
});
