/**
 * The comparison of the issue note: every selection scheme on mnist-islands (10 islands, ExDir(1, 0.1), MLP VAE,
 * accumulate-subsample, N = 4n), each run through the CLI into one workspace, then a table of the last generation's
 * FID, precision, recall and coverage (reference-classifier features, against the held-out test split) with Tr(Σ) and
 * the classes covered.
 *
 *   npx tsx scripts/compare-selection.ts [--out DIR] [--generations 10] [--keep 1000] [--epochs 10] [--features reference]
 *                                        [--schemes random,kmeans,…] [--backend auto]
 *
 * Runs already completed in DIR (same name) are not redone, so an interrupted comparison continues. On this 2-core
 * machine one run of 10 generations takes roughly 15–30 minutes (the VAE's training dominates); keep n = 1,000 (N =
 * 4,000 candidates) keeps the OT schemes at the size the selection bench measures.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPreset } from '../main/presets';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const out = path.resolve(arg('out', path.join(root, '.workspace', 'compare-selection')));
const generations = Number(arg('generations', '10'));
const keep = Number(arg('keep', '1000'));
const epochs = Number(arg('epochs', '10'));
const features = arg('features', 'reference');
const backend = arg('backend', 'auto');
const schemes = arg('schemes', 'random,kmeans,center,covmatch,topalpha,ot-proxy,ot-barycenter').split(',');

/** Each scheme's selection block: the baselines against the biased verifier island (the paper's setting). */
const selection = (scheme: string) => ({
  scheme,
  reference: 'local',
  verifier: 0,
  features,
  params: {},
});

fs.mkdirSync(out, { recursive: true });
const base = findPreset('mnist-islands').config;
const rows: Record<string, unknown>[] = [];
for (const scheme of schemes) {
  const name = `compare-${scheme}`;
  let dir = findRun(name);
  if (!dir) {
    const config = {
      ...base,
      name,
      model: { ...base.model, params: { ...(base.model.params ?? {}), epochs } },
      loop: { ...base.loop, generations, keep, ratio: 4 },
      selection: selection(scheme),
    };
    const file = path.join(out, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(config, null, 2));
    process.stderr.write(`\n== ${scheme}: ${file}\n`);
    const t = Date.now();
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'collapse-lab.mjs'), 'run', '--config', file, '--out', out, '--backend', backend], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    process.stderr.write(`== ${scheme}: exit ${r.status} after ${((Date.now() - t) / 60000).toFixed(1)} min\n`);
    dir = findRun(name);
  }
  if (!dir) {
    rows.push({ scheme, error: 'no completed run' });
    continue;
  }
  const lines = fs
    .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const last = lines[lines.length - 1];
  const bytes = lines.map((l) => (l.islandBytesSent as number[] | undefined)?.reduce((a, b) => a + b, 0) ?? 0);
  rows.push({
    scheme,
    generation: last.generation,
    fid: last.fid,
    precision: last.precision,
    recall: last.recall,
    coverage: last.coverage,
    varianceTrace: last.varianceTrace,
    classesCovered: last.classesCovered,
    islandKiB: Math.round(bytes.reduce((a, b) => a + b, 0) / 1024),
    selectSeconds: (last.selection as { seconds?: number } | undefined)?.seconds,
  });
}

const cols = ['scheme', 'generation', 'fid', 'precision', 'recall', 'coverage', 'varianceTrace', 'classesCovered', 'islandKiB'];
const width = (c: string) => (c === 'scheme' ? 14 : Math.max(12, c.length + 2));
console.log(cols.map((c) => c.padStart(width(c))).join(''));
for (const r of rows) {
  console.log(
    cols
      .map((c) => {
        const v = r[c];
        const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v ?? r.error ?? '–');
        return s.padStart(width(c));
      })
      .join(''),
  );
}

/** The completed run folder of that name in the workspace, if any. */
function findRun(name: string): string | undefined {
  if (!fs.existsSync(out)) return undefined;
  for (const d of fs.readdirSync(out)) {
    const dir = path.join(out, d);
    const status = path.join(dir, 'status.json');
    const config = path.join(dir, 'config.json');
    if (!fs.existsSync(status) || !fs.existsSync(config)) continue;
    const c = JSON.parse(fs.readFileSync(config, 'utf8')) as { name?: string };
    const s = JSON.parse(fs.readFileSync(status, 'utf8')) as { state?: string };
    if (c.name === name && s.state === 'completed') return dir;
  }
  return undefined;
}
