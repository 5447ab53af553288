import { takeRows, type Samples } from '../data/samples';
import type { IslandChannel } from '../islands/island-channel';
import type { IslandFeatureMap, IslandRequest, ResponseOf } from '../islands/protocol';
import { deriveSeed } from '../util/random';
import { subspaceCovarianceGap } from '../metrics/class-covariance-gap';
import { islandMoments, poolMoments } from './reference-moments';
import type { SelectionInput, SelectionResult, SelectionScheme } from './scheme';

/**
 * Selection from class-conditional pools (config model.perClass; seed 002 selects per class): the candidates carry
 * their class, and each class c keeps its share of n from its own pool only, against the islands' real rows of class
 * c only: the scheme runs once per class, on that class's candidates, with each island that holds rows of c seen
 * through a view that asks it about those rows alone (the protocol's `ofClass`). A class's share of n is its share of
 * the candidates (largest remainders), so equal pools keep equal shares. Each class has its own scheme instance (a
 * scheme's per-run state, e.g. Scheme II's barycenter, is per class) and its own seed.
 */
export interface ClassPoolSelection {
  /** The candidates in the selection's feature space (their rows are the pool's). */
  view: Omit<SelectionInput, 'islands' | 'seed' | 'runSeed' | 'keep'>;
  /** Each candidate's class, from the class-conditional model. */
  classes: Int32Array;
  keep: number;
  islands: IslandChannel[];
  /** Class counts of each island's real data (the `describe` answers), by island position. */
  islandClassCounts: number[][];
  /** The scheme instance of class c (made once per class and run by the caller). */
  schemeFor: (c: number) => SelectionScheme;
  usesReference: boolean;
  seed: number;
  runSeed: number;
}

export async function selectFromClassPools(s: ClassPoolSelection): Promise<SelectionResult> {
  const n = s.view.candidates.n;
  if (s.classes.length !== n) throw new Error(`class-conditional selection: ${s.classes.length} classes for ${n} candidates`);
  const rowsOf = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    let rows = rowsOf.get(s.classes[i]);
    if (!rows) rowsOf.set(s.classes[i], (rows = []));
    rows.push(i);
  }
  const classes = [...rowsOf.keys()].sort((a, b) => a - b);
  const keepOf = shareOfKeep(
    s.keep,
    classes.map((c) => rowsOf.get(c)!.length),
  );
  const selected: number[] = [];
  const diagnostics: Record<string, number | number[] | string> = { classPools: classes.length };
  for (const [k, c] of classes.entries()) {
    if (keepOf[k] === 0) continue;
    const rows = rowsOf.get(c)!;
    const holders = s.islands.filter((_, j) => (s.islandClassCounts[j]?.[c] ?? 0) > 0);
    if (s.usesReference && holders.length === 0) {
      throw new Error(`class-conditional selection: no island holds real rows of class ${c} to select its pool against`);
    }
    if (s.usesReference && s.view.reference === 'local' && !holders.some((h) => h.id === s.view.verifier)) {
      throw new Error(
        `class-conditional selection: the verifier island ${s.view.verifier} holds no real rows of class ${c}; ` +
          'use reference per-island or pooled',
      );
    }
    const result = await s.schemeFor(c).select({
      ...s.view,
      candidates: takeRows(s.view.candidates, rows),
      keep: keepOf[k],
      islands: holders.map((h) => classView(h, c)),
      seed: deriveSeed(s.seed, 'class', c),
      runSeed: deriveSeed(s.runSeed, 'class', c),
    });
    for (const i of result.selected) selected.push(rows[i]);
    for (const [key, v] of Object.entries(result.diagnostics)) {
      if (typeof v === 'string') diagnostics[key] ??= v;
      else diagnostics[key] = [...((diagnostics[key] as number[] | undefined) ?? []), ...(typeof v === 'number' ? [v] : v)];
    }
  }
  return { selected: Int32Array.from(selected), diagnostics };
}

/**
 * The per-class covariance gap of a selection from class-conditional pools (seed 002's objective, whatever the scheme):
 * for each class with real rows on some island, the relative Frobenius gap between its kept rows' covariance and its
 * real rows' (the moments of the islands that hold it, pooled) in the top principal axes of the real one
 * (main/metrics/class-covariance-gap.ts), in the selection's feature space; the mean over those classes. Asked after
 * the selection's bytes are counted: only the islands' moments travel, as for the covmatch scheme. Null when no class
 * has real rows or no class kept two rows.
 */
export async function classCovarianceGap(m: {
  /** The kept rows in the selection's feature space. */
  kept: Samples;
  /** Each kept row's class. */
  classes: ArrayLike<number>;
  /** That feature space as the islands apply it. */
  features: IslandFeatureMap;
  islands: IslandChannel[];
  /** Class counts of each island's real data, by island position. */
  islandClassCounts: number[][];
}): Promise<number | null> {
  const rowsOf = new Map<number, number[]>();
  for (let i = 0; i < m.kept.n; i++) {
    const c = m.classes[i];
    let rows = rowsOf.get(c);
    if (!rows) rowsOf.set(c, (rows = []));
    rows.push(i);
  }
  const gaps: number[] = [];
  for (const c of [...rowsOf.keys()].sort((a, b) => a - b)) {
    const rows = rowsOf.get(c)!;
    const holders = m.islands.filter((_, j) => (m.islandClassCounts[j]?.[c] ?? 0) > 0);
    if (holders.length === 0 || rows.length < 2) continue;
    const real = poolMoments(
      await islandMoments(
        holders.map((h) => classView(h, c)),
        m.features,
      ),
    );
    const kept = takeRows(m.kept, rows);
    gaps.push(subspaceCovarianceGap(kept.x, kept.n, kept.dim, real.covariance));
  }
  return gaps.length === 0 ? null : gaps.reduce((a, b) => a + b, 0) / gaps.length;
}

/** `keep` split over pools of these sizes in proportion to them (largest remainders, ties to the first), each ≤ its size. */
export function shareOfKeep(keep: number, sizes: number[]): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (keep > total) throw new RangeError(`cannot keep ${keep} of ${total} candidates`);
  const exact = sizes.map((m) => (keep * m) / total);
  const out = exact.map(Math.floor);
  let left = keep - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, k) => k).sort((a, b) => exact[b] - out[b] - (exact[a] - out[a]) || a - b);
  for (const k of order) {
    if (left === 0) break;
    if (out[k] < sizes[k]) {
      out[k]++;
      left--;
    }
  }
  return out;
}

/** An island seen through its rows of class c only: every request about its data carries `ofClass: c`. */
export function classView(channel: IslandChannel, c: number): IslandChannel {
  return {
    id: channel.id,
    get bytesSent() {
      return channel.bytesSent;
    },
    resetCounters: () => channel.resetCounters(),
    request: <R extends IslandRequest>(req: R): Promise<ResponseOf<R>> =>
      channel.request(req.type === 'describe' ? req : ({ ...req, ofClass: c } as R)),
  };
}
