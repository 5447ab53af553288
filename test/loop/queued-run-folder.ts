import fs from 'node:fs';
import type { ExperimentConfig } from '../../main/contract/config';
import { RunFolder } from '../../main/runs/run-folder';

/** A run folder at `dir` holding a validated config and a queued status, as the run manager leaves it for the loop. */
export function queuedRunFolder(dir: string, config: ExperimentConfig): RunFolder {
  const folder = new RunFolder(dir);
  fs.mkdirSync(folder.dir, { recursive: true });
  folder.writeQueued(config);
  return folder;
}
