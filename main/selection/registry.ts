import { schemeEntryNamed, type SchemeName } from '../contract/selection/catalog';
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
 * Scheme name → a fresh instance. A new scheme: its implementation in main/selection/<name>.ts, its catalog entry in
 * main/selection/kinds/<name>.ts with its line in catalog.ts, and its line here (the compiler asks for it). An instance
 * lives for one run, so a scheme may keep per-run state (Scheme II's barycenter).
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

/** A fresh instance of the scheme `name`; an unknown name is an error listing the known ones. */
export function getScheme(name: string): SelectionScheme {
  return schemes[schemeEntryNamed(name).name as SchemeName]();
}
