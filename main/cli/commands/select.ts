import { Command } from 'commander';
import { readNpyAsFloat32 } from '../../data/npy';
import { defaultFeatureSpec } from '../../metrics/reference-dir';
import type { Samples } from '../../data/samples';
import { startIslands } from '../../islands/start-islands';
import { schemeNames } from '../../selection/catalog';
import { selectionFeatures } from '../../selection/feature-space';
import { getScheme } from '../../selection/registry';
import type { ReferenceKind } from '../../selection/scheme';
import { featureSpaceOption, intOption, seedOption } from '../numbers';
import { printResult } from '../output';

export interface SelectOptions {
  scheme: string;
  pool: string;
  reference: string[];
  keep: number;
  seed: number;
  referenceKind: string;
  verifier: number;
  features?: string;
  dataset?: string;
  params: string;
  inProcess: boolean;
  json: boolean;
}


/**
 * `collapse-lab select`: one selection, outside a run. Each --reference file is one island, started as an agent in a
 * worker thread exactly as in a run (the command sees only what the scheme's protocol returns); prints the kept indices
 * and the scheme's diagnostics, with the bytes each island sent.
 */
export function registerSelectCommand(program: Command): void {
  program
    .command('select')
    .description('select n of the candidates in a pool, with islands given as reference files')
    .requiredOption('--scheme <name>', `selection scheme: ${schemeNames.join(' | ')}`)
    .requiredOption('--pool <file>', 'the candidates, .npy [N, d] (or [N, h, w(, c)], flattened)')
    .requiredOption('--reference <files...>', 'one .npy per island, [n_k, d]')
    .requiredOption('--keep <n>', 'how many candidates to keep', intOption('--keep', { min: 0, max: 10_000_000 }))
    .option('--seed <s>', 'seed', seedOption(), 0)
    .option('--reference-kind <kind>', 'reference of the baselines: local | per-island | pooled', 'local')
    .option('--verifier <k>', 'the verifier island for the local reference (index into --reference)', intOption('--verifier', { min: 0, max: 999 }), 0)
    .option('--features <space>', 'selection feature space: raw | pca:K | reference (default: reference with a --dataset that has a classifier, else raw)', featureSpaceOption())
    .option('--dataset <name>', 'built-in dataset whose reference classifier gives the features (mnist, fashion-mnist)')
    .option('--params <json>', "the scheme's parameters as JSON, e.g. '{\"blur\":0.05}'", '{}')
    .option('--in-process', 'run the island agents on this thread instead of worker threads', false)
    .option('--json', 'print as JSON', false)
    .action(async (opts: SelectOptions) => {
      const r = await runSelect(opts);
      printResult(r, opts.json, () =>
        [
          `kept ${r.selected.length} of ${r.candidates} candidates with ${opts.scheme} (${r.seconds.toFixed(2)} s)`,
          `bytes sent by each island: ${r.islandBytesSent.join(', ')}`,
          `diagnostics: ${JSON.stringify(diagnosticsOf(r))}`,
          `selected: ${r.selected.join(' ')}`,
        ].join('\n'),
      );
    });
}

/** The kept indices, then the scheme's diagnostics, the pool size, the bytes each island sent and the time. */
export interface SelectOutput {
  selected: number[];
  candidates: number;
  islandBytesSent: number[];
  seconds: number;
  [diagnostic: string]: unknown;
}

function diagnosticsOf(r: SelectOutput): Record<string, unknown> {
  const { selected: _s, candidates: _c, islandBytesSent: _b, seconds: _t, ...rest } = r;
  return rest;
}

export async function runSelect(opts: SelectOptions): Promise<SelectOutput> {
  if (!(schemeNames as readonly string[]).includes(opts.scheme)) {
    throw new Error(`--scheme ${opts.scheme}: unknown scheme; available: ${schemeNames.join(', ')}`);
  }
  if (!['local', 'per-island', 'pooled'].includes(opts.referenceKind)) {
    throw new Error(`--reference-kind ${opts.referenceKind}: use local, per-island or pooled`);
  }
  let params: Record<string, unknown>;
  try {
    params = JSON.parse(opts.params) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`--params is not valid JSON: ${(e as Error).message}`);
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new Error('--params must be a JSON object');
  const pool = readMatrix(opts.pool, '--pool');
  const islands = opts.reference.map((f) => readMatrix(f, '--reference'));
  islands.forEach((s, k) => {
    if (s.dim !== pool.dim) {
      throw new Error(`--reference ${opts.reference[k]} has ${s.dim} values per row but --pool ${opts.pool} has ${pool.dim}`);
    }
  });
  if (opts.verifier >= islands.length) {
    throw new Error(`--verifier ${opts.verifier}: there are only ${islands.length} islands (one per --reference)`);
  }
  if (opts.keep < 1 || opts.keep > pool.n) throw new Error(`--keep ${opts.keep}: must be between 1 and the pool size ${pool.n}`);

  const fleet = startIslands(islands, 0, { mode: opts.inProcess ? 'in-process' : 'workers' });
  try {
    const t0 = performance.now();
    const spec = opts.features ?? (opts.dataset ? defaultFeatureSpec(opts.dataset, true) : 'raw');
    const features = selectionFeatures(spec, fleet.channels, { scheme: opts.scheme, datasetName: opts.dataset ?? '' });
    const view = await features.view(pool);
    const res = await getScheme(opts.scheme).select({
      ...view,
      keep: opts.keep,
      islands: fleet.channels,
      reference: opts.referenceKind as ReferenceKind,
      verifier: opts.verifier,
      seed: opts.seed,
      runSeed: opts.seed,
      params,
    });
    const seconds = (performance.now() - t0) / 1000;
    return {
      selected: Array.from(res.selected),
      features: spec,
      ...res.diagnostics,
      candidates: pool.n,
      islandBytesSent: fleet.channels.map((c) => c.bytesSent),
      seconds,
    };
  } finally {
    await fleet.close();
  }
}

function readMatrix(path: string, what: string): Samples {
  let a: { shape: number[]; data: Float32Array };
  try {
    a = readNpyAsFloat32(path);
  } catch (e) {
    throw new Error(`${what} ${path}: ${(e as Error).message}`);
  }
  if (a.shape.length < 2) throw new Error(`${what} ${path} has shape (${a.shape.join(', ')}); expected [n, d]`);
  const n = a.shape[0];
  const dim = a.shape.slice(1).reduce((x, y) => x * y, 1);
  if (n === 0 || dim === 0) throw new Error(`${what} ${path} holds no rows`);
  for (let i = 0; i < a.data.length; i++) {
    if (!Number.isFinite(a.data[i])) throw new Error(`${what} ${path} has a non-finite value at element ${i}`);
  }
  return { x: a.data, n, dim };
}
