import { resolveSchemeParams, type SchemeName, type SchemeParams } from '../contract/selection/catalog';

/** A scheme's params with the catalog's defaults filled in; an error names the scheme and the field at fault. */
export function schemeParams<N extends SchemeName>(name: N, params: Record<string, unknown>): SchemeParams<N> {
  return resolveSchemeParams(name, params) as SchemeParams<N>;
}

export function checkKeep(keep: number, n: number): void {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep must be a positive integer, got ${keep}`);
  if (keep > n) throw new RangeError(`cannot keep ${keep} of ${n} candidates`);
}
