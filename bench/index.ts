/**
 * `npm run bench [-- NAME…]`: runs every benchmark in this folder (each bench/<name>.ts exports `run()`), or only the
 * named ones, and prints their figures beside the reference (PyTorch or POT) measured in the same process tree at the
 * same thread count (bench/reference-env.ts), then the table of issue 15 (bench/issue-table.ts) with the ratios at one
 * thread and at all cores, the goals and whether each is met.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { issueTableLines, recordedFigures } from './issue-table';
import { loadLine } from './reference-env';

const here = path.dirname(fileURLToPath(import.meta.url));
const order = ['train', 'models', 'ot', 'selection'];
const HELPERS = new Set(['index', 'reference-env', 'issue-table', 'compare-model']);
const available = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((f) => !HELPERS.has(f))
  .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = wanted.length ? wanted : available;

for (const name of chosen) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark "${name}"; available: ${available.join(', ')}`);
    process.exitCode = 2;
    continue;
  }
  console.log(`\n=== bench: ${name} ===`);
  const mod = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') throw new Error(`bench/${name}.ts exports no run()`);
  await mod.run();
}

if (recordedFigures().length) {
  console.log('\n=== issue 15: speed per core, ours (TensorFlow.js wasm / TypeScript) against the reference at equal threads ===');
  console.log(loadLine('end'));
  console.log(
    'rates in images/s (ratio ours / reference), times in s (ratio reference / ours); "(busy)": some block ran at load > cores·0.5',
  );
  for (const l of issueTableLines()) console.log(l);
}
