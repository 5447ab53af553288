/**
 * Selection time against the number of candidates N (1k, 2k, 4k, 8k), 10 islands of 1,000 samples each, 64 features,
 * keep n = N/4 (the paper's N = 4n), every scheme. Islands are agents in worker threads exactly as in a run (a pool of
 * min(10, cores) workers); the time is the wall time of one `select` call, island round trips included. Scheme II is
 * timed on its first call (which computes the federated barycenter, once per run) and on later calls (cached). The
 * OT schemes are also timed without the debiasing term (the candidates' self-transport, on the selector's thread) and
 * with it solved on all N candidates (anchors ≥ N: the N × N problem the default's 2,000 anchors replace).
 * Data: 10 Gaussian clusters in 64 dimensions, island k holding mostly cluster k, candidates a mixture of all.
 *
 *   npx tsx bench/selection.ts [N…]      (or `npm run bench -- selection`)
 */
import { pathToFileURL } from 'node:url';
import type { Samples } from '../main/data/samples';
import { startIslands } from '../main/islands/start-islands';
import { getScheme } from '../main/selection/registry';
import { Rng } from '../main/util/random';
import { loadLine } from './reference-env';

const D = 64;
const ISLANDS = 10;
const ISLAND_SIZE = 1000;
const SCHEMES = ['random', 'kmeans', 'center', 'covmatch', 'topalpha', 'ot-proxy', 'ot-barycenter'];

function clusteredData(rng: Rng, n: number, pick: () => number, centres: Float64Array[]): Samples {
  const x = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const c = centres[pick()];
    for (let j = 0; j < D; j++) x[i * D + j] = c[j] + 0.5 * rng.normal();
  }
  return { x, n, dim: D };
}

export async function run(sizes: number[] = [1000, 2000, 4000, 8000]): Promise<void> {
  const rng = new Rng(2024);
  const centres = Array.from({ length: ISLANDS }, () => Float64Array.from({ length: D }, () => rng.normal()));
  const islands = Array.from({ length: ISLANDS }, (_, k) =>
    clusteredData(rng, ISLAND_SIZE, () => (rng.uniform() < 0.9 ? k : rng.int(ISLANDS)), centres),
  );
  console.log(loadLine('before'));
  const fleet = startIslands(islands, 0);
  const rows: { scheme: string; seconds: number[]; cpu: number[]; bytes: number[] }[] = [];
  const add = (scheme: string, i: number, seconds: number, cpu: number, bytes: number) => {
    let r = rows.find((x) => x.scheme === scheme);
    if (!r) rows.push((r = { scheme, seconds: [], cpu: [], bytes: [] }));
    r.seconds[i] = seconds;
    r.cpu[i] = cpu;
    r.bytes[i] = bytes;
  };
  try {
    for (const [i, N] of sizes.entries()) {
      const candidates = clusteredData(rng, N, () => rng.int(ISLANDS), centres);
      for (const name of SCHEMES) {
        const scheme = getScheme(name);
        const calls: [string, Record<string, unknown>][] =
          name === 'ot-barycenter'
            ? [
                ['ot-barycenter (first: barycenter + scoring)', {}],
                ['ot-barycenter (cached)', {}],
                ['ot-barycenter (cached, debias off)', { debias: false }],
              ]
            : name === 'ot-proxy'
              ? [
                  ['ot-proxy', {}],
                  ['ot-proxy (debias off)', { debias: false }],
                  ['ot-proxy (debias on all N, no anchors)', { anchors: 1_000_000 }],
                ]
              : [[name, {}]];
        for (const [label, params] of calls) {
          for (const c of fleet.channels) c.resetCounters();
          const t = performance.now();
          const c0 = process.cpuUsage();
          const r = await scheme.select({
            candidates,
            keep: N / 4,
            islands: fleet.channels,
            reference: 'per-island',
            verifier: 0,
            seed: 1,
            runSeed: 1,
            params,
          });
          const s = (performance.now() - t) / 1000;
          const cu = process.cpuUsage(c0);
          const cpu = (cu.user + cu.system) / 1e6;
          if (r.selected.length !== N / 4) throw new Error(`${name} kept ${r.selected.length}`);
          add(
            label,
            i,
            s,
            cpu,
            fleet.channels.reduce((a, c) => a + c.bytesSent, 0),
          );
          process.stderr.write(`  N = ${N}  ${label.padEnd(44)} ${s.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU\n`);
        }
      }
    }
  } finally {
    await fleet.close();
  }
  console.log(loadLine('after'));
  const k = sizes.length - 1;
  const growth = (v: number[]) =>
    k > 0 && v[k - 1] > 0 ? `N^${(Math.log(v[k] / v[k - 1]) / Math.log(sizes[k] / sizes[k - 1])).toFixed(2)}` : '–';
  console.log(
    `selection time: ${ISLANDS} islands × ${ISLAND_SIZE} samples, ${D} features, keep N/4, reference per-island; ` +
      `wall seconds (CPU seconds of all threads, which the machine's other load does not inflate)`,
  );
  console.log(['scheme'.padEnd(44), ...sizes.map((n) => `N=${n}`.padStart(18)), '  growth wall/CPU', '  bytes from islands'].join(''));
  for (const r of rows) {
    console.log(
      [
        r.scheme.padEnd(44),
        ...r.seconds.map((s, i) => `${s.toFixed(2)} (${r.cpu[i].toFixed(1)})`.padStart(18)),
        `  ${growth(r.seconds)} / ${growth(r.cpu)}`.padEnd(18),
        `  ${r.bytes.map((b) => `${(b / 1024).toFixed(0)} KiB`).join(' / ')}`,
      ].join(''),
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  await run(sizes.length ? sizes : undefined);
}
