import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aggregateCsv, aggregateStudy } from '../../main/shared/aggregate';
import { aggregateStudyVectors } from '../../main/shared/vector-aggregate';
import { DIGEST_FILE } from '../../main/studies/study-digest';
import { StudyFolder } from '../../main/studies/study-folder';
import { StudyManager } from '../../main/studies/study-manager';
import { unitHash, writeSyntheticStudy } from './synthetic-study';

/**
 * The engine's cached study digest (main/studies/study-digest.ts): computed once, then served from the cache (in
 * memory, and from aggregate-cache.json by another manager), computed again when the study's change record says a run
 * changed, and always what a fresh computation over every run's lines at once gives (aggregateStudy, aggregateCsv,
 * aggregateStudyVectors). The engine's own writes of that record (a coordinator, a run manager) are tested in
 * study-changes.test.ts; here the runs' files are written by hand and the change recorded as the engine records it.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-digest-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const spec = {
  name: 'digest',
  base: {
    dataset: { kind: 'gaussian', dim: 2, trainSize: 50, testSize: 50 },
    model: { kind: 'gaussian' },
    loop: { generations: 12, paradigm: 'replace', keep: 50, ratio: 1 },
    selection: { scheme: 'none' },
  },
  axes: [
    { path: 'dataset.dim', values: [2, 3, 5] },
    { path: 'loop.paradigm', values: ['replace', 'accumulate'] },
  ],
  seeds: 4,
  storage: 'metrics',
};

function metricsOf(run: { seed: number; index: number }, g: number): Record<string, number> {
  const u = unitHash(run.index, run.seed, g);
  const line: Record<string, number> = {
    modelMeanSqError: u * (g + 1),
    modelVarianceTrace: (1 + u) / (g + 1) ** 0.7,
    modelCovarianceLogDet: Math.log(u + 0.1),
    seconds: 0.01 + u / 100,
  };
  // a metric only some cells record: the aggregate's metric list is every cell's
  if (run.index % 3 === 0) line.kept = 50 + g;
  return line;
}

/** What a fresh computation over every run's lines at once gives. */
function fresh(manager: StudyManager, id: string) {
  const input = manager.aggregateInput(id);
  return { aggregate: aggregateStudy(input), csv: aggregateCsv(input), vectors: aggregateStudyVectors(input) };
}

describe('the cached study digest', () => {
  const ws = path.join(tmp, 'ws');
  // a run in every fifth stopped half-way: the aggregate counts completed runs only
  const plan = writeSyntheticStudy(ws, spec, metricsOf, { unfinished: (r) => r.index % 5 === 2 });
  const id = plan.studyId;
  const studyDir = path.join(ws, 'studies', id);

  it('is identical to a fresh computation: aggregate.json, aggregate.csv and the vector aggregate', () => {
    const manager = new StudyManager(ws, 'cpu');
    const digest = manager.digest(id);
    const want = fresh(manager, id);
    expect(JSON.stringify(digest.aggregate)).toBe(JSON.stringify(want.aggregate));
    expect(JSON.stringify(digest.vectors)).toBe(JSON.stringify(want.vectors));
    expect(fs.readFileSync(path.join(studyDir, 'aggregate.csv'), 'utf8')).toBe(want.csv);
    expect(JSON.parse(fs.readFileSync(path.join(studyDir, 'aggregate.json'), 'utf8'))).toEqual(want.aggregate);
    // the completed runs only: 24 runs, 5 stopped half-way
    expect(digest.aggregate.cells.reduce((n, c) => n + c.n, 0)).toBe(24 - 5);
    expect(digest.aggregate.metrics).toContain('kept');
    const lines = want.csv.trim().split('\n').length - 1;
    expect(digest.computeSeconds).toBeGreaterThan(0);
    expect(lines).toBeGreaterThan(0);
  });

  it('is computed once: later reads are cache hits, in memory and from the study folder for another manager', () => {
    const manager = new StudyManager(ws, 'cpu');
    const first = manager.aggregate(id);
    const computedAfterFirst = manager.digests.computed;
    expect(computedAfterFirst).toBeLessThanOrEqual(1); // 0 when the cache file of the test above was current
    expect(manager.aggregate(id)).toBe(first); // the same object: not even read again
    manager.table(id, { metrics: ['modelMeanSqError'], generation: 'last', format: 'md' });
    expect(manager.digests.computed).toBe(computedAfterFirst);

    const other = new StudyManager(ws, 'cpu');
    const before = fs.statSync(path.join(studyDir, 'aggregate.csv')).mtimeMs;
    expect(JSON.stringify(other.aggregate(id))).toBe(JSON.stringify(first));
    expect(other.digests.computed).toBe(0);
    expect(fs.statSync(path.join(studyDir, 'aggregate.csv')).mtimeMs).toBe(before); // nothing written again
  });

  it('is computed again when a change of a run is recorded (a value rewritten, a run finished), and equals a fresh computation then', () => {
    const manager = new StudyManager(ws, 'cpu');
    const before = manager.aggregate(id);
    const base = manager.digests.computed;

    // a completed run's metrics rewritten with another value at its last generation
    const changed = plan.runs[0];
    const file = path.join(ws, `${id}-${changed.key}`, 'metrics.jsonl');
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    const last = JSON.parse(lines[lines.length - 1]);
    last.modelMeanSqError = 1e6;
    lines[lines.length - 1] = JSON.stringify(last);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    // not through the engine: nothing says so, and nothing is read again (one small file per look, not every run's)
    expect(manager.aggregate(id)).toBe(before);
    expect(manager.digests.computed).toBe(base);
    new StudyFolder(ws, id).recordChange();
    const after = manager.aggregate(id);
    expect(manager.digests.computed).toBe(base + 1);
    expect(after).not.toEqual(before);
    expect(JSON.stringify(after)).toBe(JSON.stringify(fresh(manager, id).aggregate));
    const cell = after.cells.find((c) => c.cellKey === changed.cellKey)!;
    expect(cell.last.metrics.modelMeanSqError.mean).toBeGreaterThan(1e6 / cell.n - 1);

    // an unfinished run completed: its generations written, its status completed
    const stopped = plan.runs[2];
    const dir = path.join(ws, `${id}-${stopped.key}`);
    const all = Array.from({ length: 12 }, (_, g) => JSON.stringify({ generation: g, ...metricsOf({ seed: stopped.seed, index: 2 }, g) }));
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), `${all.join('\n')}\n`);
    const status = JSON.parse(fs.readFileSync(path.join(dir, 'status.json'), 'utf8'));
    fs.writeFileSync(
      path.join(dir, 'status.json'),
      JSON.stringify({ ...status, state: 'completed', lastGeneration: 11, error: undefined }),
    );
    new StudyFolder(ws, id).recordChange();
    const finished = manager.aggregate(id);
    expect(manager.digests.computed).toBe(base + 2);
    expect(finished.cells.reduce((n, c) => n + c.n, 0)).toBe(24 - 4);
    expect(JSON.stringify(finished)).toBe(JSON.stringify(fresh(manager, id).aggregate));

    // and another manager finds the cache file current again
    const other = new StudyManager(ws, 'cpu');
    other.aggregate(id);
    expect(other.digests.computed).toBe(0);
  });

  it('is incremental: a run that completes computes its cell again, not the others, and gives the bytes of a computation from nothing', () => {
    const manager = new StudyManager(ws, 'cpu');
    const read = (f: string) => fs.readFileSync(path.join(studyDir, f));
    fs.rmSync(path.join(studyDir, DIGEST_FILE)); // this manager computes it once from nothing
    manager.digest(id);
    const cells = manager.digest(id).aggregate.cells.length;
    expect(manager.digests.cellsComputed).toBe(cells);

    // a run stopped half-way completes, as its process would leave it (metrics appended, status renamed into place)
    const finishing = plan.runs.find((_, i) => i % 5 === 2 && i !== 2)!;
    const index = plan.runs.indexOf(finishing);
    const dir = path.join(ws, `${id}-${finishing.key}`);
    const have = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').length;
    const rest = Array.from({ length: 12 - have }, (_, i) =>
      JSON.stringify({ generation: have + i, ...metricsOf({ seed: finishing.seed, index }, have + i) }),
    );
    fs.appendFileSync(path.join(dir, 'metrics.jsonl'), `${rest.join('\n')}\n`);
    const status = JSON.parse(read(`../../${id}-${finishing.key}/status.json`).toString());
    fs.writeFileSync(
      path.join(dir, 'status.next'),
      JSON.stringify({ ...status, state: 'completed', lastGeneration: 11, error: undefined }),
    );
    fs.renameSync(path.join(dir, 'status.next'), path.join(dir, 'status.json'));
    new StudyFolder(ws, id).recordChange();
    const incremental = manager.digest(id);
    expect(manager.digests.computed).toBe(2);
    expect(manager.digests.cellsComputed).toBe(cells + 1); // its cell only
    const files = [read('aggregate.json'), read('aggregate.csv'), read(DIGEST_FILE)];

    // another process, from nothing: the same bytes
    fs.rmSync(path.join(studyDir, DIGEST_FILE));
    const other = new StudyManager(ws, 'cpu');
    expect(JSON.stringify(other.digest(id))).toBe(JSON.stringify(incremental));
    expect(other.digests.cellsComputed).toBe(cells);
    expect([read('aggregate.json'), read('aggregate.csv'), read(DIGEST_FILE)]).toEqual(files);
    expect(read('aggregate.csv').toString()).toBe(fresh(other, id).csv);
    expect(JSON.stringify(incremental.aggregate)).toBe(JSON.stringify(fresh(other, id).aggregate));

    // nothing changed but the record: no cell computed again, the rows copied as written
    new StudyFolder(ws, id).recordChange();
    other.digest(id);
    expect(other.digests.cellsComputed).toBe(cells);
    expect(read('aggregate.csv')).toEqual(files[1]);
  });

  it('leaves aggregate.csv as it is while a coordinator runs the study, and writes it at the first look once none does', () => {
    const manager = new StudyManager(ws, 'cpu');
    const csvFile = path.join(studyDir, 'aggregate.csv');
    manager.digest(id);
    const before = fs.readFileSync(csvFile);
    const coordinator = path.join(studyDir, 'coordinator.json');
    fs.writeFileSync(coordinator, JSON.stringify({ pid: process.pid, host: os.hostname(), queue: 'embedded', startedAt: '' }));
    try {
      const file = path.join(ws, `${id}-${plan.runs[1].key}`, 'metrics.jsonl');
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
      lines[0] = JSON.stringify({ ...JSON.parse(lines[0]), modelMeanSqError: 123456 });
      fs.writeFileSync(file, `${lines.join('\n')}\n`);
      new StudyFolder(ws, id).recordChange();
      const running = manager.digest(id);
      expect(running.csv).toBe(false);
      expect(JSON.stringify(running.aggregate)).toBe(JSON.stringify(fresh(manager, id).aggregate));
      expect(fs.readFileSync(csvFile)).toEqual(before);
    } finally {
      fs.rmSync(coordinator);
    }
    const computed = manager.digests.computed;
    expect(manager.digest(id).csv).toBe(true);
    expect(manager.digests.computed).toBe(computed + 1);
    expect(fs.readFileSync(csvFile, 'utf8')).toBe(fresh(manager, id).csv);
    expect(fs.readFileSync(csvFile, 'utf8')).toContain(',123456\n');
  });

  it('a cache file that does not parse is computed afresh, not trusted', () => {
    fs.writeFileSync(path.join(studyDir, DIGEST_FILE), '{ not json');
    const manager = new StudyManager(ws, 'cpu');
    const agg = manager.aggregate(id);
    expect(manager.digests.computed).toBe(1);
    expect(JSON.stringify(agg)).toBe(JSON.stringify(fresh(manager, id).aggregate));
  });
});
