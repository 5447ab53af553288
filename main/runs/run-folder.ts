import fs from 'node:fs';
import path from 'node:path';
import type { ExperimentConfig } from '../contract/config';
import type { RunState } from '../contract/events';
import { writeFileAtomicSync } from '../util/atomic-write';

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
 *   gen-GGG/kept.npy         the kept synthetic samples (float32 [n, dim])
 *   gen-GGG/kept-labels.npy  their reference labels, when a classifier exists
 *   gen-GGG/model/           the model checkpoint
 * Every file is written atomically (temp file + rename), so a crash never leaves a half-written file.
 */
/** The file by which another process asks a run to stop (RunManager.cancel; the run's worker looks once a second). */
export const CANCEL_REQUEST = 'cancel-request.json';

export interface RunStatus {
  state: RunState;
  /** Index of the last generation whose files and metrics line are written; -1 before the first. */
  lastGeneration: number;
  generations: number;
  updatedAt: string;
  startedAt: string;
  finishedAt?: string;
  backend?: string;
  error?: string;
  /** The process that owns the run's worker while it runs; a dead pid with state running means interrupted. */
  pid?: number;
}

export interface RunEnvironment {
  backend: string;
  backendPackage: string;
  backendVersion: string;
  tfjsVersion: string;
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  seed: number;
  collapseLab: string;
  startedAt: string;
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

  writeJson(name: string, value: unknown): void {
    fs.mkdirSync(path.dirname(this.file(name)), { recursive: true });
    writeFileAtomicSync(this.file(name), JSON.stringify(value, null, 2) + '\n');
  }

  readJson<T>(name: string): T {
    const p = this.file(name);
    try {
      return JSON.parse(fs.readFileSync(p, 'utf8')) as T;
    } catch (e) {
      throw new Error(`run ${this.id}: cannot read ${name}: ${(e as Error).message}`);
    }
  }

  readConfig(): ExperimentConfig {
    return this.readJson<ExperimentConfig>('config.json');
  }

  readStatus(): RunStatus {
    return this.readJson<RunStatus>('status.json');
  }

  updateStatus(patch: Partial<RunStatus>): RunStatus {
    const next = { ...this.readStatus(), ...patch, updatedAt: new Date().toISOString() };
    this.writeJson('status.json', next);
    return next;
  }

  /** The metrics lines of completed generations, in order. */
  readMetrics(): Record<string, unknown>[] {
    const p = this.file('metrics.jsonl');
    if (!fs.existsSync(p)) return [];
    return fs
      .readFileSync(p, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  /**
   * Append one generation's metrics line. This is the commit point of a generation: its other files are written
   * first. The file is rewritten atomically (it is small), so a crash leaves either the old or the new content.
   */
  appendMetrics(line: Record<string, unknown>): void {
    const p = this.file('metrics.jsonl');
    const old = fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '';
    writeFileAtomicSync(p, old + JSON.stringify(line) + '\n');
  }

  /**
   * The last generation whose metrics line is written. Generation directories beyond it are partial leftovers of a
   * crash and are removed by `discardUnfinished`.
   */
  lastCompletedGeneration(): number {
    const lines = this.readMetrics();
    return lines.length === 0 ? -1 : Number(lines[lines.length - 1].generation);
  }

  discardUnfinished(): void {
    const last = this.lastCompletedGeneration();
    for (const name of fs.readdirSync(this.dir)) {
      const m = /^gen-(\d+)$/.exec(name);
      if (m && Number(m[1]) > last) fs.rmSync(this.file(name), { recursive: true, force: true });
    }
  }
}
