import fs from 'node:fs';
import type { z } from 'zod';
import type { runFiles } from '../contract/api';
import type { MetricsLine } from '../contract/run-record';
import path from 'node:path';
import type { RunFolder } from '../runs/run-folder';

/** The pictures of a run that the renderer shows: each completed generation's sample grid and each island's grid. */
export function listRunFiles(folder: RunFolder, metrics: MetricsLine[]): z.infer<typeof runFiles> {
  const generations = metrics.map(({ generation: g }) => {
    const rel = `${path.basename(folder.generationDir(g))}/samples.png`;
    return { generation: g, samples: fs.existsSync(folder.file(rel)) ? rel : null };
  });
  const dir = folder.file('islands');
  const islands = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => /^island-\d+\.png$/.test(f))
        .sort((a, b) => Number(a.slice(7, -4)) - Number(b.slice(7, -4)))
        .map((f) => `islands/${f}`)
    : [];
  return { generations, islands };
}
