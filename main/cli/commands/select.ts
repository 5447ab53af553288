import { Command } from 'commander';
import { selectionConfig } from '../../contract/config';
import { referenceKindNames } from '../../contract/reference-kind';
import { defaultFeatureSpec, readSampleFile, schemeNames, selectCandidatesOnIslands } from '../../index';
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
    .requiredOption('--pool <file>', 'the candidates: .npy [N, d] (or [N, h, w(, c)], flattened), an IDX file or a folder of PNGs')
    .requiredOption('--reference <files...>', 'one sample file per island, [n_k, d], same forms as --pool')
    .requiredOption('--keep <n>', 'how many candidates to keep', intOption('--keep', { min: 0, max: 10_000_000 }))
    .option('--seed <s>', 'seed', seedOption(), 0)
    .option('--reference-kind <kind>', `reference of the baselines: ${referenceKindNames.join(' | ')}`, 'local')
    .option(
      '--verifier <k>',
      'the verifier island for the local reference (index into --reference)',
      intOption('--verifier', { min: 0, max: 999 }),
      0,
    )
    .option(
      '--features <space>',
      'selection feature space: raw | pca:K | reference (default: reference with a --dataset that has a classifier, else raw)',
      featureSpaceOption(),
    )
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
  if (!(referenceKindNames as readonly string[]).includes(opts.referenceKind)) {
    throw new Error(`--reference-kind ${opts.referenceKind}: use ${referenceKindNames.join(', ')}`);
  }
  let params: unknown;
  try {
    params = JSON.parse(opts.params);
  } catch (e) {
    throw new Error(`--params is not valid JSON: ${(e as Error).message}`);
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new Error('--params must be a JSON object');
  // the selection block of a run config, checked by the config's own schema (the scheme's parameters included)
  const parsed = selectionConfig.safeParse({
    scheme: opts.scheme,
    reference: opts.referenceKind,
    verifier: opts.verifier,
    ...(opts.features ? { features: opts.features } : {}),
    params,
  });
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${optionOf(i.path)}: ${i.message}`).join('; '));
  }
  const pool = (await readSampleFile(opts.pool)).samples;
  const islands = [];
  for (const f of opts.reference) islands.push((await readSampleFile(f)).samples);
  islands.forEach((s, k) => {
    if (s.dim !== pool.dim) {
      throw new Error(`--reference ${opts.reference[k]} has ${s.dim} values per row but --pool ${opts.pool} has ${pool.dim}`);
    }
  });
  if (opts.verifier >= islands.length) {
    throw new Error(`--verifier ${opts.verifier}: there are only ${islands.length} islands (one per --reference)`);
  }
  if (opts.keep < 1 || opts.keep > pool.n) throw new Error(`--keep ${opts.keep}: must be between 1 and the pool size ${pool.n}`);

  const res = await selectCandidatesOnIslands(pool, islands, {
    mode: opts.inProcess ? 'in-process' : 'workers',
    selection: parsed.data,
    datasetName: opts.dataset ?? '',
    defaultFeatures: opts.dataset ? defaultFeatureSpec(opts.dataset, true) : 'raw',
    runSeed: opts.seed,
    keep: opts.keep,
    seed: opts.seed,
  });
  return {
    selected: Array.from(res.selected),
    ...res.diagnostics,
    candidates: pool.n,
    islandBytesSent: res.islandBytesSent,
    seconds: res.seconds,
  };
}

/** The option that gave a field of the selection block. */
function optionOf(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  const option = { scheme: '--scheme', reference: '--reference-kind', verifier: '--verifier', features: '--features', params: '--params' }[
    head ?? ''
  ];
  return option ? [option, ...rest].join(' ') : path.map(String).join('.');
}
