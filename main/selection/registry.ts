import type { SchemeName } from './catalog';
import { centerScheme } from './center';
import { covmatchScheme } from './covmatch';
import { kmeansScheme } from './kmeans';
import { noneScheme } from './none';
import { otBarycenterScheme } from './ot-barycenter';
import { otProxyScheme } from './ot-proxy';
import { randomScheme } from './random';
import type { SelectionScheme } from './scheme';
import { topalphaScheme } from './topalpha';

/**
 * Scheme name → a fresh instance. A new scheme: one file, one line here, one entry in catalog.ts. An instance lives for
 * one run, so a scheme may keep per-run state (Scheme II's barycenter).
 */
const schemes: Record<SchemeName, () => SelectionScheme> = {
  none: () => noneScheme,
  random: () => randomScheme,
  kmeans: kmeansScheme,
  center: centerScheme,
  covmatch: covmatchScheme,
  topalpha: topalphaScheme,
  'ot-proxy': otProxyScheme,
  'ot-barycenter': otBarycenterScheme,
};

export function getScheme(name: string): SelectionScheme {
  const make = (schemes as Record<string, () => SelectionScheme>)[name];
  if (!make) throw new Error(`unknown selection scheme "${name}"; available: ${Object.keys(schemes).join(', ')}`);
  return make();
}
