import { createHash } from 'node:crypto';
import fs from 'node:fs';
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
import { presetOfStudy } from './preset-study';
import type { StudyFolder } from './study-folder';

/**
 * A study's digest: what its views and reports read of its completed runs (the aggregate, the vector aggregate of the
 * figures, the compute seconds), computed once and cached by the engine. The cache is `aggregate-cache.json` beside
 * the study (one atomic file: its key and the digest), and a copy in memory; its key is the version of the study file
 * and the content of the study's change record (main/runs/study-changes.ts), which the engine rewrites whenever one of
 * the study's runs changes (its coordinator as runs start and end, a run manager that resumes, ends or deletes a study
 * run): a call reads one small file, not a stat of each of thousands of runs' files. Any such change computes it
 * afresh, and nothing else does (files changed by hand, outside the engine, are not seen). A computation is
 * incremental (StudyDigests): only the cells whose completed runs changed are read and aggregated again, one cell at a
 * time, their lines dropped before the next (memory bounded by a cell, not by the study); it writes aggregate.json and
 * aggregate.csv (streamed, an unchanged cell's rows copied from the last one) on the way, the csv only once no
 * coordinator runs the study (StudyDigest.csv).
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
  /**
   * Whether aggregate.csv was written for this key. While a coordinator runs the study it is not (each look would
   * rewrite a file of up to a gigabyte for a 7,500-run grid); a look once no one coordinates it writes it.
   */
  csv: boolean;
}

/** Bumped when what a digest holds or how it is computed changes: older caches are then computed afresh. */
const DIGEST_FORMAT = 4;
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

/** What this process remembers of one of the study's runs: its status, read again only when status.json changes. */
interface RunMemo {
  statusVersion: string;
  status: RunStatus | null;
}

/**
 * One cell's share of the digest, with what it was computed from: its completed runs (keys, status and metrics file
 * versions, in the study's order). Its rows' place in the aggregate.csv this process last wrote, for copying them.
 */
interface CellMemo {
  runs: string;
  aggregate: StudyCellAggregate;
  vectors: StudyCellVectors;
  vectorKeys: string[];
  computeSeconds: number;
  csv: { start: number; bytes: number } | null;
}

/** What this process keeps of a study between computations (for the study file's version it was made under). */
interface StudyMemo {
  studyVersion: string;
  runs: Map<string, RunMemo>;
  cells: Map<string, CellMemo>;
  /** The version of the aggregate.csv this process last wrote ('' before): the cells' csv places are in it. */
  csvVersion: string;
}

/**
 * The study's digest from its cache when its key is current, else computed (and cached). A computation is incremental:
 * each run's status is read again only when its status.json changed, and each cell is aggregated again only when one
 * of its completed runs changed (a run completed, resumed, rewritten: its files' versions), its rows of aggregate.csv
 * copied from the file this process last wrote otherwise; so a running study of thousands of runs costs the cells its
 * finished runs belong to, not every run's lines. Every cell is computed by the same code, in the same order, as a
 * computation from nothing (a new process, or another study file): the same bytes.
 */
export class StudyDigests {
  private readonly memory = new Map<string, StudyDigest>();
  private readonly memos = new Map<string, StudyMemo>();
  /** Computations so far (the tests' window on cache hits). */
  computed = 0;
  /** Cells aggregated from their runs' lines so far (the tests' window on incremental computations). */
  cellsComputed = 0;

  constructor(private readonly statusOf: (run: RunFolder) => RunStatus) {}

  /**
   * `plan`: the study's expansion, asked for only when the digest is computed (not on a cache hit). `csv`: aggregate.csv
   * is wanted for this key (default; not while a coordinator runs the study: StudyDigest.csv).
   */
  get(folder: StudyFolder, plan: StudyPlan | (() => StudyPlan), opts: { csv?: boolean } = {}): StudyDigest {
    const csv = opts.csv ?? true;
    const key = digestKey(folder);
    const inMemory = this.memory.get(folder.dir);
    if (inMemory?.key === key && (inMemory.csv || !csv)) return inMemory;
    const onDisk = readCachedDigest(folder);
    if (onDisk?.key === key && (onDisk.csv || !csv)) {
      this.memory.set(folder.dir, onDisk);
      return onDisk;
    }
    return this.compute(folder, typeof plan === 'function' ? plan() : plan, key, { csv });
  }

  /** Computed afresh (what changed since this process's last computation of it) whatever the cache holds (and cached). */
  compute(folder: StudyFolder, plan: StudyPlan, key = digestKey(folder), opts: { csv?: boolean } = {}): StudyDigest {
    this.computed += 1;
    const studyVersion = fileVersion(folder.file('study.json'));
    let memo = this.memos.get(folder.dir);
    if (!memo || memo.studyVersion !== studyVersion) {
      memo = { studyVersion, runs: new Map(), cells: new Map(), csvVersion: '' };
      this.memos.set(folder.dir, memo);
    }
    const digest = this.computeDigest(folder, plan, key, memo, opts.csv ?? true);
    folder.writeJson('aggregate.json', digest.aggregate);
    folder.writeJson(DIGEST_FILE, digest);
    this.memory.set(folder.dir, digest);
    return digest;
  }

  /** A run's status as the run manager derives it, read again only when its status.json changed (null: unreadable). */
  private statusOfRun(memo: StudyMemo, run: RunFolder): RunStatus | null {
    const statusVersion = fileVersion(run.file('status.json'));
    const known = memo.runs.get(run.dir);
    if (known && known.statusVersion === statusVersion && statusVersion !== '') return known.status;
    let status: RunStatus | null = null;
    try {
      status = this.statusOf(run);
    } catch {
      // a status that cannot be read: not a completed run
    }
    memo.runs.set(run.dir, { statusVersion, status });
    return status;
  }

  /**
   * The completed runs of a study, by cell, in the order of each cell's first completed run, each cell with the
   * versions of its runs' files; and the study's wall-clock span: the earliest start of any run, the latest end of a
   * completed one.
   */
  private completedCells(folder: StudyFolder, plan: StudyPlan, memo: StudyMemo) {
    const cells = new Map<string, CompletedCell>();
    let startedAt: string | null = null;
    let finishedAt: string | null = null;
    for (const r of plan.runs) {
      const run = new RunFolder(path.join(folder.workspace, folder.runId(r.key)));
      if (!run.exists()) continue;
      const s = this.statusOfRun(memo, run);
      if (!s) continue;
      if (s.startedAt && (startedAt === null || s.startedAt < startedAt)) startedAt = s.startedAt;
      if (s.state !== 'completed') continue;
      // a run short of the study's generations (the study extends it) has not finished the study's work
      const end = s.lastGeneration + 1 >= r.config.loop.generations ? (s.finishedAt ?? s.updatedAt) : null;
      if (end && (finishedAt === null || end > finishedAt)) finishedAt = end;
      const cell = cells.get(r.cellKey) ?? { fields: r.fields, runs: [], versions: [] };
      cell.runs.push(r);
      cell.versions.push(`${r.key}@${memo.runs.get(run.dir)?.statusVersion}@${fileVersion(run.file('metrics.jsonl'))}`);
      cells.set(r.cellKey, cell);
    }
    return { cells, startedAt, finishedAt };
  }

  private computeDigest(folder: StudyFolder, plan: StudyPlan, key: string, memo: StudyMemo, writeCsv: boolean): StudyDigest {
    const powerLawFrom = powerLawFromOf(plan);
    const { cells: completed, startedAt, finishedAt } = this.completedCells(folder, plan, memo);
    const csvFile = folder.file('aggregate.csv');
    // the rows of an unchanged cell are copied from the file this process wrote last, if it is still that file
    const previousCsv = memo.csvVersion !== '' && fileVersion(csvFile) === memo.csvVersion ? csvFile : null;
    const cellMemos: [string, CellMemo][] = [];
    const shareOf = (cell: StudyCellResult, runs: string) => this.cellShare(cell, plan, powerLawFrom, runs);
    function* csv(): Generator<string | Uint8Array> {
      let offset = 0;
      const put = (chunk: string | Uint8Array): string | Uint8Array => {
        offset += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
        return chunk;
      };
      const copy = previousCsv ? rangeReader(previousCsv) : null;
      try {
        yield put(`${aggregateCsvHeader(plan.fieldPaths)}\n`);
        for (const [cellKey, c] of completed) {
          const runs = c.versions.join('\n');
          const known = memo.cells.get(cellKey);
          const start = offset;
          if (known && known.runs === runs && known.csv && copy) {
            // an unchanged cell: its share as computed, its rows as written
            for (const chunk of copy.read(known.csv.start, known.csv.bytes)) yield put(chunk);
            cellMemos.push([cellKey, { ...known, csv: { start, bytes: offset - start } }]);
            continue;
          }
          // one cell's lines in memory at a time
          const cell = readCell(folder, cellKey, c);
          const share = known && known.runs === runs ? known : shareOf(cell, runs);
          for (const run of cell.runs) {
            const rows = aggregateCsvRows(plan.fieldPaths, { ...cell, runs: [run] });
            if (rows.length > 0) yield put(`${rows.join('\n')}\n`);
          }
          cellMemos.push([cellKey, { ...share, csv: { start, bytes: offset - start } }]);
        }
      } finally {
        copy?.close();
      }
    }
    if (writeCsv) {
      writeChunksAtomicSync(csvFile, csv());
      memo.csvVersion = fileVersion(csvFile);
    } else {
      // the shares alone: an unchanged cell keeps its rows' place in the file as it stands, a changed one has none
      for (const [cellKey, c] of completed) {
        const runs = c.versions.join('\n');
        const known = memo.cells.get(cellKey);
        cellMemos.push([cellKey, known && known.runs === runs ? known : { ...shareOf(readCell(folder, cellKey, c), runs), csv: null }]);
      }
    }
    memo.cells = new Map(cellMemos);
    const vectorKeys = new Set<string>();
    let computeSeconds = 0;
    for (const [, c] of cellMemos) {
      for (const k of c.vectorKeys) vectorKeys.add(k);
      computeSeconds += c.computeSeconds;
    }
    return {
      key,
      aggregate: combineCellAggregates(
        plan.studyId,
        plan.fieldPaths,
        cellMemos.map(([, c]) => c.aggregate),
        sampleSpaceOf(plan.runs.map((r) => r.config.dataset)),
      ),
      vectors: {
        studyId: plan.studyId,
        fieldPaths: [...plan.fieldPaths],
        keys: VECTOR_METRICS.filter((k) => vectorKeys.has(k)),
        cells: cellMemos.map(([, c]) => c.vectors),
      },
      computeSeconds,
      startedAt,
      finishedAt,
      csv: writeCsv,
    };
  }

  /** One cell's share of the digest from its runs' lines. */
  private cellShare(
    cell: StudyCellResult,
    plan: StudyPlan,
    powerLawFrom: ReturnType<typeof powerLawFromOf>,
    runs: string,
  ): Omit<CellMemo, 'csv'> {
    this.cellsComputed += 1;
    const v = aggregateStudyVectors({ studyId: plan.studyId, fieldPaths: plan.fieldPaths, cells: [cell] });
    let computeSeconds = 0;
    for (const run of cell.runs)
      for (const line of run.lines) if (typeof line.seconds === 'number' && Number.isFinite(line.seconds)) computeSeconds += line.seconds;
    return { runs, aggregate: aggregateCell(cell, powerLawFrom, windowsOf(plan)), vectors: v.cells[0], vectorKeys: v.keys, computeSeconds };
  }
}

interface CompletedCell {
  fields: Record<string, unknown>;
  runs: StudyPlan['runs'];
  /** Each run's key and the versions of its status and metrics files. */
  versions: string[];
}

/** Byte ranges of a file, read in blocks (an unchanged cell's rows, copied from the last aggregate.csv). */
function rangeReader(file: string): { read(start: number, bytes: number): Generator<Uint8Array>; close(): void } {
  const fd = fs.openSync(file, 'r');
  const BLOCK = 1 << 20;
  return {
    *read(start, bytes) {
      let done = 0;
      while (done < bytes) {
        const buf = Buffer.allocUnsafe(Math.min(BLOCK, bytes - done));
        const n = fs.readSync(fd, buf, 0, buf.length, start + done);
        if (n === 0) throw new Error(`${file} ended before byte ${start + bytes}`);
        done += n;
        yield buf.subarray(0, n);
      }
    },
    close: () => fs.closeSync(fd),
  };
}

function readCachedDigest(folder: StudyFolder): StudyDigest | null {
  try {
    const d = folder.readJson<StudyDigest>(DIGEST_FILE);
    if (typeof d?.key !== 'string' || !d.aggregate || !d.vectors || !('startedAt' in d)) return null;
    // a cache of before `csv` was recorded: aggregate.csv was always written
    return { ...d, csv: d.csv !== false };
  } catch {
    return null; // none yet, or unreadable: computed afresh
  }
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

/** The windows the study's preset averages metrics over (its verdict's); none for a study of one's own. */
export function windowsOf(plan: StudyPlan): StudyAggregateInput['windows'] {
  return presetOfStudy(plan.spec)?.windows;
}

/** ψ's window is part of its definition: the study's (its base config's metrics.psiFromT), else the default. */
export function powerLawFromOf(plan: StudyPlan): NonNullable<StudyAggregateInput['powerLawFrom']> {
  const from = psiFromGeneration(plan.runs[0]?.config.metrics.psiFromT);
  return { modelVarianceTrace: from, varianceTrace: from, traceFeatures: from };
}
