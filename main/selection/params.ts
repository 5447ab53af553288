import type { z } from 'zod';
import { selectionCatalog, type SchemeName } from './catalog';

/** A scheme's params with the catalog's defaults filled in; an error names the scheme and the field at fault. */
export function schemeParams<N extends SchemeName>(name: N, params: Record<string, unknown>): z.output<(typeof selectionCatalog)[N]['params']> {
  const schema = selectionCatalog[name].params as z.ZodType;
  const r = schema.safeParse(params ?? {});
  if (!r.success) {
    const msg = r.error.issues.map((i) => `selection.params${i.path.length ? '.' + i.path.join('.') : ''}: ${i.message}`).join('; ');
    throw new Error(`scheme ${name}: ${msg}`);
  }
  return r.data as z.output<(typeof selectionCatalog)[N]['params']>;
}

export function checkKeep(keep: number, n: number): void {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep must be a positive integer, got ${keep}`);
  if (keep > n) throw new RangeError(`cannot keep ${keep} of ${n} candidates`);
}
