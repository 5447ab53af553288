import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { ExperimentConfig } from '../contract/config';
import {
  describeIssues,
  islandsRecord,
  metricsLine,
  runEnvironment,
  runStatus,
  type IslandsRecord,
  type MetricsLine,
  type RunEnvironment,
  type RunStatus,
} from '../contract/run-record';
import { isFinalRunState } from '../contract/run-state';
import { writeError, writeFileAtomicSync } from '../util/atomic-write';
import { makeFolderIn } from '../util/make-folder-in';
import { PENDING_LINE_FILE } from '../loop/run-sink';
import { describeJsonError } from '../util/json-error';

/**
 * One run on disk. Layout:
 *   config.json        the validated config (never changes)
 *   environment.json   backend, versions, seed, machine
 *   status.json        state, last completed generation, error
 *   progress.json      the latest progress event while the run runs (at most one write a second), for other
 *                      processes that watch the run (see external-run-watcher.ts)
 *   cancel-request.json  written by another process to stop the run (its worker looks once a second)
 *   islands.json       each island's size and class counts
 *   islands/island-KK.png  each island's reference grid (its own real samples)
 *   metrics.jsonl      one JSON line per completed generation (the commit point of a generation)
 *   gen-GGG/samples.png      grid of the generation's kept samples at true pixel size
 *   gen-GGG/rejected.png     a grid of candidates the selection did not keep (only when it rejected some)
 *   gen-GGG/kept.npy         the kept synthetic samples (float32 [n, dim])
 *   gen-GGG/kept-labels.npy  their reference labels, when a classifier exists
 *   gen-GGG/model/           the model checkpoint
 * Every file is written atomically (temp file + rename), so a crash never leaves a half-written file.
 */
/** The file by which another process asks a run to stop (RunManager.cancel; the run's worker looks once a second). */
export const CANCEL_REQUEST = 'cancel-request.json';

// The records of a run (status.json, environment.json, islands.json, metrics.jsonl) are defined once, by their schemas
// in the contract; these re-exports keep the engine's importers of the types working.
export type { IslandsRecord, MetricsLine, RunEnvironment, RunEnvironmentEntry, RunStatus } from '../contract/run-record';

/** The record files of a run folder and their schemas: written and read through them, whichever method does it. */
const recordSchemas: Record<string, z.ZodType> = {
  'status.json': runStatus,
  'environment.json': runEnvironment,
  'islands.json': islandsRecord,
};

/** A temporary file of writeFileAtomic (util/atomic-write.ts): `.NAME.PID.HEX12.tmp`. */
export function isAtomicTemp(name: string): boolean {
  return /^\..+\.\d+\.[0-9a-f]{12}\.tmp$/.test(name);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RunFolder {
  constructor(readonly dir: string) {}

  get id(): string {
    return path.basename(this.dir);
  }

  file(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  generationDir(g: number): string {
    return this.file(`gen-${String(g).padStart(3, '0')}`);
  }

  exists(): boolean {
    return fs.existsSync(this.file('config.json'));
  }

  /**
   * Write a JSON file atomically. A record file of the run (status.json, environment.json, islands.json) is checked
   * against its schema first, as the JSON that lands on disk: a bad record throws, naming the file and the field.
   */
  writeJson(name: string, value: unknown, opts: { durable?: boolean } = {}): void {
    const text = JSON.stringify(value, null, 2) + '\n';
    const schema = recordSchemas[name];
    if (schema) this.check(schema, JSON.parse(text), name);
    // a sub-folder is made inside the run folder, never the run folder itself: one deleted while its run writes stays
    // deleted (the write fails, naming the file), instead of coming back as a fragment
    if (path.dirname(this.file(name)) !== this.dir) makeFolderIn(path.dirname(this.file(name)));
    writeFileAtomicSync(this.file(name), text, opts);
  }

  /**
   * Read a JSON file. A record file of the run (status.json, environment.json, islands.json) is parsed by its schema:
   * one that does not match throws, naming the file and the field. Prefer the typed readers below.
   */
  readJson<T>(name: string): T {
    const p = this.file(name);
    let value: unknown;
    let text: string;
    try {
      text = fs.readFileSync(p, 'utf8');
    } catch (e) {
      throw new Error(`run ${this.id}: cannot read ${name}: ${(e as Error).message}`);
    }
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new Error(`run ${this.id}: cannot read ${name}: ${describeJsonError(e)}`);
    }
    const schema = recordSchemas[name];
    return (schema ? this.check(schema, value, name) : value) as T;
  }

  private check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    const r = schema.safeParse(value);
    if (!r.success) throw new Error(`run ${this.id}: ${what}: ${describeIssues(r.error)}`);
    return r.data;
  }

  readConfig(): ExperimentConfig {
    return this.readJson<ExperimentConfig>('config.json');
  }

  /**
   * config.json and a queued status.json: the folder as the run manager hands it to the loop. `durable: false` skips
   * the syncs (a study writing thousands of queued folders at once: StudyManager mends one a machine crash cut).
   */
  writeQueued(config: ExperimentConfig, opts: { durable?: boolean } = {}): void {
    this.writeJson('config.json', config, opts);
    const now = new Date().toISOString();
    this.writeJson(
      'status.json',
      {
        state: 'queued',
        lastGeneration: -1,
        generations: config.loop.generations,
        startedAt: now,
        updatedAt: now,
      } satisfies RunStatus,
      opts,
    );
  }

  readStatus(): RunStatus {
    return this.readJson<RunStatus>('status.json');
  }

  /**
   * `durable: false` (the loop's note of each finished generation) skips the fsyncs: still atomic, and the metrics
   * lines, not the status, say which generations are done (util/atomic-write.ts).
   */
  updateStatus(patch: Partial<RunStatus>, opts: { durable?: boolean } = {}): RunStatus {
    const current = this.readStatus();
    // a run that stops short of completion (cancelled, failed, interrupted): its last generation as its metrics lines
    // say, since the loop notes a finished generation in the status at most once a second (generation-step.ts)
    const stops =
      patch.state !== undefined && patch.state !== 'completed' && isFinalRunState(patch.state) && patch.lastGeneration === undefined;
    const committed = stops ? this.lastCommittedLineGeneration() : null;
    const next: RunStatus = {
      ...current,
      ...patch,
      ...(committed !== null ? { lastGeneration: committed } : {}),
      updatedAt: new Date().toISOString(),
    };
    this.writeJson('status.json', next, opts);
    return next;
  }

  /** The generation of the last complete line of metrics.jsonl (read as JSON, not checked); null when there is none. */
  private lastCommittedLineGeneration(): number | null {
    let text: string;
    try {
      text = fs.readFileSync(this.file('metrics.jsonl'), 'utf8');
    } catch {
      return null;
    }
    const end = text.lastIndexOf('\n');
    if (end <= 0) return null;
    const line = text.slice(text.lastIndexOf('\n', end - 1) + 1, end);
    try {
      const g = (JSON.parse(line) as { generation?: unknown }).generation;
      return typeof g === 'number' && Number.isInteger(g) ? g : null;
    } catch {
      return null;
    }
  }

  /** environment.json, parsed; null before the run's first start. */
  readEnvironment(): RunEnvironment | null {
    return fs.existsSync(this.file('environment.json')) ? this.readJson<RunEnvironment>('environment.json') : null;
  }

  writeEnvironment(env: RunEnvironment, opts: { durable?: boolean } = {}): void {
    this.writeJson('environment.json', env, opts);
  }

  /** islands.json, parsed; null before the split is written. */
  readIslands(): IslandsRecord | null {
    return fs.existsSync(this.file('islands.json')) ? this.readJson<IslandsRecord>('islands.json') : null;
  }

  writeIslands(record: IslandsRecord): void {
    this.writeJson('islands.json', record);
  }

  /**
   * The metrics lines of completed generations, in order, each parsed by the metricsLine schema. A line that is not
   * JSON or does not match throws, naming the file, the line number and the field.
   */
  readMetrics(): MetricsLine[] {
    return this.metricsLines((value, where) => this.check(metricsLine, value, where));
  }

  /**
   * The metrics lines as JSON objects, not checked against the schema (a line that is not a JSON object throws,
   * naming the file and the line): for a study's aggregate over thousands of runs, which reads only the lines' finite
   * numbers, at a fraction of the schema's cost.
   */
  readMetricsUnchecked(): Record<string, unknown>[] {
    return this.metricsLines((value, where) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new Error(`run ${this.id}: ${where}: not a JSON object`);
      return value as Record<string, unknown>;
    });
  }

  private metricsLines<T>(parse: (value: unknown, where: string) => T): T[] {
    const p = this.file('metrics.jsonl');
    if (!fs.existsSync(p)) return [];
    const out: T[] = [];
    const lines = fs.readFileSync(p, 'utf8').split('\n');
    // the text after the last newline: empty, or a line a machine crash cut (appended, never synced): not committed
    lines.pop();
    lines.forEach((text, i) => {
      if (text.trim() === '') return;
      const where = `${p} line ${i + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new Error(`run ${this.id}: ${where}: not JSON (${(e as Error).message})`);
      }
      out.push(parse(value, where));
    });
    return out;
  }

  /**
   * Append one generation's metrics line. This is the commit point of a generation: its other files are written
   * first. The line is checked against the metricsLine schema as the JSON that lands on disk (NaN and ±∞ become null);
   * a line that does not match is a bug of the engine and throws, naming the field, before anything is written. The
   * line is appended in one write, without a sync (a sync per generation cost 10–40 ms here, most of a toy run's
   * time): a killed process leaves the whole line or none; a machine crash may cut the last line, which readers then
   * ignore (the generation is redone, identically) and `discardUnfinished` removes.
   */
  appendMetrics(line: MetricsLine): void {
    const text = JSON.stringify(line);
    this.check(metricsLine, JSON.parse(text), `metrics line of generation ${line.generation}`);
    const file = this.file('metrics.jsonl');
    try {
      fs.appendFileSync(file, text + '\n');
    } catch (e) {
      throw writeError(file, e);
    }
  }

  /**
   * The last generation whose metrics line is written. Generation directories beyond it are partial leftovers of a
   * crash and are removed by `discardUnfinished`.
   */
  lastCompletedGeneration(): number {
    const lines = this.readMetrics();
    return lines.length === 0 ? -1 : lines[lines.length - 1].generation;
  }

  /**
   * Remove the temporary files of atomic writes that a killed writer left behind (`.NAME.PID.HEX.tmp`, anywhere in
   * the run folder): those of a dead process, those older than a minute, and (`ownAreOrphans`, for a caller that
   * knows no thread of its process writes the run, e.g. resume) those of this process. Call when the run starts.
   */
  removeOrphanTemps(opts: { ownAreOrphans?: boolean } = {}): number {
    const orphan = (name: string, p: string) => {
      const pid = Number(/\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name)![1]);
      if (pid === process.pid ? opts.ownAreOrphans : !pidAlive(pid)) return true;
      try {
        return Date.now() - fs.statSync(p).mtimeMs > 60_000;
      } catch {
        return false;
      }
    };
    let removed = 0;
    const walk = (dir: string) => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (isAtomicTemp(e.name) && orphan(e.name, p)) {
          fs.rmSync(p, { force: true });
          removed++;
        }
      }
    };
    walk(this.dir);
    return removed;
  }

  discardUnfinished(): void {
    // a last line a machine crash cut (no newline after it): dropped, so that the next line starts on its own
    const p = this.file('metrics.jsonl');
    if (fs.existsSync(p)) {
      const text = fs.readFileSync(p, 'utf8');
      if (text.length > 0 && !text.endsWith('\n')) fs.truncateSync(p, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
    }
    const last = this.lastCompletedGeneration();
    for (const name of fs.readdirSync(this.dir)) {
      const m = /^gen-(\d+)$/.exec(name);
      if (!m || Number(m[1]) <= last) continue;
      // the generation whose metrics were in flight: its files are complete, its line is made from them on resume
      if (Number(m[1]) === last + 1 && fs.existsSync(this.file(name, PENDING_LINE_FILE))) continue;
      fs.rmSync(this.file(name), { recursive: true, force: true });
    }
  }
}
