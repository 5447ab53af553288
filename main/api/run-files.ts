import fs from 'node:fs';
import type { z } from 'zod';
import type { runFiles } from '../contract/api';
import type { MetricsLine } from '../contract/run-record';
import path from 'node:path';
import type { RunFolder } from '../index';

/**
 * The pictures of a run that the renderer shows: each completed generation's sample grid and its rejected grid (the
 * candidates the selection did not keep; null when it rejected none), and each island's grid.
 */
export function listRunFiles(folder: RunFolder, metrics: MetricsLine[]): z.infer<typeof runFiles> {
  const generations = metrics.map(({ generation: g }) => {
    const gen = path.basename(folder.generationDir(g));
    const rel = (name: string) => (fs.existsSync(folder.file(gen, name)) ? `${gen}/${name}` : null);
    return { generation: g, samples: rel('samples.png'), rejected: rel('rejected.png') };
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
