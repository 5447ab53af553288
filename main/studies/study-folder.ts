import fs from 'node:fs';
import path from 'node:path';
import { studyIndex, type StudyIndex, type StudySpec } from '../contract/study';
import { writeFileAtomicSync } from '../util/atomic-write';
import { NotFoundError } from '../util/errors';
import { readStudyChanges, recordStudyChange } from '../runs/study-changes';

/**
 * One study on disk, in `<workspace>/studies/<id>/`:
 *   study.json            the study file as last run (validated)
 *   index.json            its runs: key → run folder, cell, seed, state (the embedded queue: every run not complete
 *                         is pending)
 *   coordinator.json      the process coordinating the study while it runs (pid, host, queue)
 *   cancel-request.json   written by another process to stop the study (its coordinator looks once a second)
 *   aggregate.json        per cell, mean / sd / n of every metric per generation and at the last, and the ψ fits
 *   aggregate.csv         the long format: cell fields, cell, seed, generation, metric, value
 *   changes.json          the study's change record, rewritten whenever one of its runs changes through the engine
 *                         (main/runs/study-changes.ts): what the engine caches of the study is keyed by it
 *   aggregate-cache.json  the aggregate, vector aggregate and compute time with the key they were computed for
 *                         (study-digest.ts): read until a run changes
 * The runs themselves are ordinary run folders in the workspace (`<id>-<key>`), which every view and command opens.
 */
export const STUDY_CANCEL_REQUEST = 'cancel-request.json';

export interface CoordinatorRecord {
  pid: number;
  host: string;
  queue: string;
  startedAt: string;
}

export class StudyFolder {
  readonly dir: string;

  constructor(
    readonly workspace: string,
    readonly id: string,
  ) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new Error(`invalid study id "${id}"`);
    this.dir = path.join(workspace, 'studies', id);
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  exists(): boolean {
    return fs.existsSync(this.file('study.json'));
  }

  /** The run folder name of a study's run. */
  runId(key: string): string {
    return `${this.id}-${key}`;
  }

  writeJson(name: string, value: unknown): void {
    fs.mkdirSync(this.dir, { recursive: true });
    writeFileAtomicSync(this.file(name), JSON.stringify(value, null, 2) + '\n');
  }

  readJson<T>(name: string): T {
    try {
      return JSON.parse(fs.readFileSync(this.file(name), 'utf8')) as T;
    } catch (e) {
      throw new Error(`study ${this.id}: cannot read ${name}: ${(e as Error).message}`);
    }
  }

  readSpec(): StudySpec {
    if (!this.exists()) throw new NotFoundError(`no study "${this.id}" in ${path.join(this.workspace, 'studies')}`);
    return this.readJson<StudySpec>('study.json');
  }

  readIndex(): StudyIndex | null {
    if (!fs.existsSync(this.file('index.json'))) return null;
    const r = studyIndex.safeParse(this.readJson('index.json'));
    if (!r.success) throw new Error(`study ${this.id}: index.json is not a study index: ${r.error.issues[0]?.message}`);
    return r.data;
  }

  writeIndex(index: StudyIndex): void {
    this.writeJson('index.json', index);
  }

  writeText(name: string, text: string): void {
    fs.mkdirSync(this.dir, { recursive: true });
    writeFileAtomicSync(this.file(name), text);
  }

  readCoordinator(): CoordinatorRecord | null {
    return fs.existsSync(this.file('coordinator.json')) ? this.readJson<CoordinatorRecord>('coordinator.json') : null;
  }

  /** The content of the study's change record ('' before its first change): the key of what is cached of it. */
  changes(): string {
    return readStudyChanges(this.dir);
  }

  /** Record a change of the study's runs (`durable`: fsynced, for a coordinator's start and end). */
  recordChange(opts: { durable?: boolean } = {}): void {
    recordStudyChange(this.dir, opts);
  }

  cancelRequested(): boolean {
    return fs.existsSync(this.file(STUDY_CANCEL_REQUEST));
  }
}

/** The ids of the studies in a workspace. */
export function listStudyIds(workspace: string): string[] {
  const dir = path.join(workspace, 'studies');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => /^[a-z0-9][a-z0-9-]*$/.test(name) && fs.existsSync(path.join(dir, name, 'study.json')))
    .sort();
}
