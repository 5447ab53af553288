/**
 * The comparison of the issue note: every selection scheme on mnist-islands (10 islands, ExDir(1, 0.1), MLP VAE,
 * accumulate-subsample, N = 4n), each run through the CLI into one workspace, then a table of the last generation's
 * FID, precision, recall and coverage (reference-classifier features, against the held-out test split) with Tr(Σ), ψ,
 * the classes covered, the bytes the islands sent and the selection time; with several seeds, mean ± standard
 * deviation over them.
 *
 *   npx tsx scripts/compare-selection.ts [--out DIR] [--generations 10] [--keep 5000] [--epochs 10] [--seeds 0,1]
 *                                        [--features reference] [--schemes random,kmeans,…] [--backend auto]
 *                                        [--report-only]
 *
 * Defaults are the preset's (keep n = 5,000 of N = 20,000, 10 epochs). Runs already completed in DIR (same name, which
 * carries keep, epochs and seed) are not redone, so an interrupted comparison continues, and two processes can share
 * the work by taking different --schemes. --report-only prints the table of what is there without running anything.
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
const base = findPreset('mnist-islands').config;
const out = path.resolve(arg('out', path.join(root, '.workspace', 'compare-selection')));
const generations = Number(arg('generations', String(base.loop.generations)));
const keep = Number(arg('keep', String(base.loop.keep)));
const epochs = Number(arg('epochs', String((base.model.params as { epochs?: number }).epochs ?? 10)));
const seeds = arg('seeds', '0').split(',').map(Number);
const features = arg('features', 'reference');
const backend = arg('backend', 'auto');
const reportOnly = process.argv.includes('--report-only');
const schemes = arg('schemes', 'random,kmeans,center,covmatch,topalpha,ot-proxy,ot-barycenter').split(',');

/** Each scheme's selection block: the baselines against the biased verifier island (the paper's setting). */
const selection = (scheme: string) => ({ scheme, reference: 'local', verifier: 0, features, params: {} });

fs.mkdirSync(out, { recursive: true });
type Row = Record<string, number | undefined>;
const results = new Map<string, Row[]>();
for (const seed of seeds) {
  for (const scheme of schemes) {
    const name = `compare-${scheme}-n${keep}-e${epochs}-s${seed}`;
    let dir = findRun(name);
    if (!dir && !reportOnly) {
      const config = {
        ...base,
        name,
        seed,
        model: { ...base.model, params: { ...(base.model.params ?? {}), epochs } },
        loop: { ...base.loop, generations, keep, ratio: 4 },
        selection: selection(scheme),
      };
      const file = path.join(out, `${name}.json`);
      fs.writeFileSync(file, JSON.stringify(config, null, 2));
      process.stderr.write(`\n== ${name}: ${file}\n`);
      const t = Date.now();
      const r = spawnSync(process.execPath, [path.join(root, 'bin', 'collapse-lab.mjs'), 'run', '--config', file, '--out', out, '--backend', backend], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      process.stderr.write(`== ${name}: exit ${r.status} after ${((Date.now() - t) / 60000).toFixed(1)} min\n`);
      dir = findRun(name);
    }
    if (!dir) continue;
    const lines = fs
      .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const last = lines[lines.length - 1];
    const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
    const bytes = lines.map((l) => (l.islandBytesSent as number[] | undefined)?.reduce((a, b) => a + b, 0) ?? 0);
    // the loop's own timing of a generation's selection (older runs: the scheme's diagnostics, where it gave one)
    const selectSeconds = lines
      .map((l) => num(l.selectionSeconds) ?? num((l.selection as Record<string, unknown> | undefined)?.seconds))
      .filter((v): v is number => v !== undefined);
    const row: Row = {
      generation: num(last.generation),
      fid: num(last.fid),
      precision: num(last.precision),
      recall: num(last.recall),
      coverage: num(last.coverage),
      traceFeatures: num(last.traceFeatures),
      psi: num(last.powerLawPsi),
      classesCovered: num(last.classesCovered),
      islandMiB: Math.max(...bytes) / 2 ** 20,
      selectS: selectSeconds.length ? selectSeconds.reduce((a, b) => a + b, 0) / selectSeconds.length : undefined,
      runMin: lines.reduce((a, l) => a + (num(l.seconds) ?? 0), 0) / 60,
    };
    results.set(scheme, [...(results.get(scheme) ?? []), row]);
  }
}

const cols = ['generation', 'fid', 'precision', 'recall', 'coverage', 'traceFeatures', 'psi', 'classesCovered', 'islandMiB', 'selectS', 'runMin'];
const multi = seeds.length > 1;
const width = (c: string) => Math.max(multi ? 16 : 10, c.length + 2);
console.log(`mnist-islands, keep ${keep} of ${4 * keep}, ${epochs} epochs, seeds ${seeds.join(',')}, features ${features}`);
console.log('scheme'.padEnd(15) + 'runs'.padStart(5) + cols.map((c) => c.padStart(width(c))).join(''));
for (const scheme of schemes) {
  const rows = results.get(scheme) ?? [];
  const cell = (c: string) => {
    const v = rows.map((r) => r[c]).filter((x): x is number => x !== undefined);
    if (v.length === 0) return '–';
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const digits = v.every(Number.isInteger) ? 0 : Math.abs(m) >= 100 ? 1 : 3;
    if (v.length < 2) return m.toFixed(digits);
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
    return `${m.toFixed(digits)}±${sd.toFixed(digits)}`;
  };
  console.log(scheme.padEnd(15) + String(rows.length).padStart(5) + cols.map((c) => cell(c).padStart(width(c))).join(''));
}

/** The completed run folder of that name in the workspace, if any. */
function findRun(name: string): string | undefined {
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
