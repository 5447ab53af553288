import { createHash } from 'node:crypto';
import path from 'node:path';
import { sampleSpaceOf } from '../contract/datasets/dataset-kinds';
import type { StudyAggregate, StudyAggregateInput, StudyCellAggregate, StudyCellResult } from '../contract/study-aggregate';
import { RunFolder, type RunStatus } from '../runs/run-folder';
import { aggregateCell, aggregateCsvHeader, aggregateCsvRows, combineCellAggregates } from '../shared/aggregate';
import { psiFromGeneration } from '../shared/psi';
import { aggregateStudyVectors, VECTOR_METRICS, type StudyCellVectors, type StudyVectorAggregate } from '../shared/vector-aggregate';
import { writeChunksAtomicSync } from '../util/atomic-write';
import { fileVersion } from '../util/file-version';
import type { StudyPlan } from './expand-study';
import type { StudyFolder } from './study-folder';

/**
 * A study's digest: what its views and reports read of its completed runs (the aggregate, the vector aggregate of the
 * figures, the compute seconds), computed once and cached by the engine. The cache is `aggregate-cache.json` beside
 * the study (one atomic file: its key and the digest), and a copy in memory; its key is the version of the study file
 * and the content of the study's change record (main/runs/study-changes.ts), which the engine rewrites whenever one of
 * the study's runs changes (its coordinator as runs start and end, a run manager that resumes, ends or deletes a study
 * run): a call reads one small file, not a stat of each of thousands of runs' files. Any such change computes it
 * afresh, and nothing else does (files changed by hand, outside the engine, are not seen). A computation reads
 * the runs one cell at a time and drops their lines before the next (memory bounded by a cell, not by the study), and
 * writes aggregate.json and aggregate.csv (streamed) on the way.
 */

export interface StudyDigest {
  /** The version key it was computed for. */
  key: string;
  aggregate: StudyAggregate;
  vectors: StudyVectorAggregate;
  /** Sum of the completed runs' generation seconds (the lines' `seconds`). */
  computeSeconds: number;
  /** The earliest start of any of its runs, and the latest end of a completed one (ISO times; null before). */
  startedAt: string | null;
  finishedAt: string | null;
}

/** Bumped when what a digest holds or how it is computed changes: older caches are then computed afresh. */
const DIGEST_FORMAT = 3;
export const DIGEST_FILE = 'aggregate-cache.json';

/**
 * The version key of a study's digest now: the study file's version and its change record (no run file is read).
 * Read before the runs it is computed from: a change during a computation rewrites the record after it, and so
 * computes it again at the next look.
 */
export function digestKey(folder: StudyFolder): string {
  return createHash('sha256')
    .update(`${DIGEST_FORMAT}\n${fileVersion(folder.file('study.json'))}\n${folder.changes()}`)
    .digest('hex');
}

/** The study's digest from its cache when its key is current, else computed (and cached). */
export class StudyDigests {
  private readonly memory = new Map<string, StudyDigest>();
  /** Computations so far (the tests' window on cache hits). */
  computed = 0;

  constructor(private readonly statusOf: (run: RunFolder) => RunStatus) {}

  get(folder: StudyFolder, plan: StudyPlan): StudyDigest {
    const key = digestKey(folder);
    const inMemory = this.memory.get(folder.dir);
    if (inMemory?.key === key) return inMemory;
    const onDisk = readCachedDigest(folder);
    if (onDisk?.key === key) {
      this.memory.set(folder.dir, onDisk);
      return onDisk;
    }
    return this.compute(folder, plan, key);
  }

  /** Computed afresh whatever the cache holds (and cached). */
  compute(folder: StudyFolder, plan: StudyPlan, key = digestKey(folder)): StudyDigest {
    this.computed += 1;
    const digest = computeDigest(folder, plan, key, this.statusOf);
    folder.writeJson('aggregate.json', digest.aggregate);
    folder.writeJson(DIGEST_FILE, digest);
    this.memory.set(folder.dir, digest);
    return digest;
  }
}

function readCachedDigest(folder: StudyFolder): StudyDigest | null {
  try {
    const d = folder.readJson<StudyDigest>(DIGEST_FILE);
    return typeof d?.key === 'string' && d.aggregate && d.vectors && 'startedAt' in d ? d : null;
  } catch {
    return null; // none yet, or unreadable: computed afresh
  }
}

/**
 * The completed runs of a study, by cell, in the order of each cell's first completed run; and the study's wall-clock
 * span: the earliest start of any run, the latest end of a completed one.
 */
function completedCells(folder: StudyFolder, plan: StudyPlan, statusOf: (run: RunFolder) => RunStatus) {
  const cells = new Map<string, { fields: Record<string, unknown>; runs: StudyPlan['runs'] }>();
  let startedAt: string | null = null;
  let finishedAt: string | null = null;
  for (const r of plan.runs) {
    const run = new RunFolder(path.join(folder.workspace, folder.runId(r.key)));
    if (!run.exists()) continue;
    let s: RunStatus;
    try {
      s = statusOf(run);
    } catch {
      continue; // a status that cannot be read: not a completed run
    }
    if (s.startedAt && (startedAt === null || s.startedAt < startedAt)) startedAt = s.startedAt;
    if (s.state !== 'completed') continue;
    // a run short of the study's generations (the study extends it) has not finished the study's work
    const end = s.lastGeneration + 1 >= r.config.loop.generations ? (s.finishedAt ?? s.updatedAt) : null;
    if (end && (finishedAt === null || end > finishedAt)) finishedAt = end;
    const cell = cells.get(r.cellKey) ?? { fields: r.fields, runs: [] };
    cell.runs.push(r);
    cells.set(r.cellKey, cell);
  }
  return { cells, startedAt, finishedAt };
}

/** A cell's completed runs with their metrics lines (up to the study's generations). */
function readCell(
  folder: StudyFolder,
  cellKey: string,
  cell: { fields: Record<string, unknown>; runs: StudyPlan['runs'] },
): StudyCellResult {
  return {
    cellKey,
    fields: cell.fields,
    runs: cell.runs.map((r) => {
      const lines = new RunFolder(path.join(folder.workspace, folder.runId(r.key)))
        .readMetricsUnchecked()
        .filter((l) => Number(l.generation) < r.config.loop.generations);
      return { key: r.key, seed: r.seed, lines };
    }),
  };
}

/** ψ's window is part of its definition: the study's (its base config's metrics.psiFromT), else the default. */
export function powerLawFromOf(plan: StudyPlan): NonNullable<StudyAggregateInput['powerLawFrom']> {
  const from = psiFromGeneration(plan.runs[0]?.config.metrics.psiFromT);
  return { modelVarianceTrace: from, varianceTrace: from, traceFeatures: from };
}

function computeDigest(folder: StudyFolder, plan: StudyPlan, key: string, statusOf: (run: RunFolder) => RunStatus): StudyDigest {
  const powerLawFrom = powerLawFromOf(plan);
  const cells: StudyCellAggregate[] = [];
  const vectorCells: StudyCellVectors[] = [];
  const vectorKeys = new Set<string>();
  let computeSeconds = 0;
  const { cells: completed, startedAt, finishedAt } = completedCells(folder, plan, statusOf);
  function* csv(): Generator<string> {
    yield `${aggregateCsvHeader(plan.fieldPaths)}\n`;
    for (const [cellKey, c] of completed) {
      // one cell's lines in memory at a time
      const cell = readCell(folder, cellKey, c);
      cells.push(aggregateCell(cell, powerLawFrom));
      const v = aggregateStudyVectors({ studyId: plan.studyId, fieldPaths: plan.fieldPaths, cells: [cell] });
      vectorCells.push(v.cells[0]);
      for (const k of v.keys) vectorKeys.add(k);
      for (const run of cell.runs)
        for (const line of run.lines) if (typeof line.seconds === 'number' && Number.isFinite(line.seconds)) computeSeconds += line.seconds;
      const rows = aggregateCsvRows(plan.fieldPaths, cell);
      if (rows.length > 0) yield `${rows.join('\n')}\n`;
    }
  }
  writeChunksAtomicSync(folder.file('aggregate.csv'), csv());
  return {
    key,
    aggregate: combineCellAggregates(plan.studyId, plan.fieldPaths, cells, sampleSpaceOf(plan.runs.map((r) => r.config.dataset))),
    vectors: {
      studyId: plan.studyId,
      fieldPaths: [...plan.fieldPaths],
      keys: VECTOR_METRICS.filter((k) => vectorKeys.has(k)),
      cells: vectorCells,
    },
    computeSeconds,
    startedAt,
    finishedAt,
  };
}
