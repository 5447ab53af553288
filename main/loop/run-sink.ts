import type { ExperimentConfig } from '../contract/config';
import type { IslandsRecord, MetricsLine } from '../contract/run-record';

/**
 * In a generation's folder, what its metrics line records besides its metrics, written once its files are (a run whose
 * metrics overlap the next generation's training: main/loop/pending-line.ts); removed when its line is committed.
 */
export const PENDING_LINE_FILE = 'pending-line.json';

/**
 * Where the generation loop reads its config and history and writes its results. A run folder
 * (main/runs/run-folder.ts) is one; the loop knows nothing else of it.
 */
export interface RunSink {
  readConfig(): ExperimentConfig;
  /**
   * Remove what a generation left before its metrics line (its commit point) was written, except the folder of the
   * generation after the last line when it holds its pending line (PENDING_LINE_FILE): its files are complete.
   */
  discardUnfinished(): void;
  /** The last generation whose metrics line is written; −1 before the first. */
  lastCompletedGeneration(): number;
  /** The absolute path of a file of the run (`file('gen-003', 'kept.npy')`). */
  file(...parts: string[]): string;
  /** The folder of generation g (created by the loop before it writes there). */
  generationDir(g: number): string;
  writeIslands(record: IslandsRecord): void;
  /** The metrics lines written so far, in generation order (a resumed run's history). */
  readMetrics(): MetricsLine[];
  /** The generation's commit point: its metrics line. */
  appendMetrics(line: MetricsLine): void;
  /** The status's note of the last finished generation; `durable: false` skips the disk syncs (the lines are the truth). */
  updateStatus(patch: { lastGeneration: number }, opts?: { durable?: boolean }): unknown;
}
