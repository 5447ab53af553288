import fs from 'node:fs';
import type { ExperimentConfig } from '../../main/contract/config';
import { RunFolder } from '../../main/runs/run-folder';

/** A run folder at `dir` holding a validated config and a queued status, as the run manager leaves it for the loop. */
export function queuedRunFolder(dir: string, config: ExperimentConfig): RunFolder {
  const folder = new RunFolder(dir);
  fs.mkdirSync(folder.dir, { recursive: true });
  folder.writeJson('config.json', config);
  const now = new Date().toISOString();
  folder.writeJson('status.json', {
    state: 'queued',
    lastGeneration: -1,
    generations: config.loop.generations,
    startedAt: now,
    updatedAt: now,
  });
  return folder;
}
