import type { SchemeName } from './catalog';
import { noneScheme } from './none';
import { randomScheme } from './random';
import type { SelectionScheme } from './scheme';

/** Scheme name → implementation. A new scheme: one file, one line here, one entry in catalog.ts. */
const schemes: Record<SchemeName, SelectionScheme> = {
  none: noneScheme,
  random: randomScheme,
};

export function getScheme(name: string): SelectionScheme {
  const s = (schemes as Record<string, SelectionScheme>)[name];
  if (!s) throw new Error(`unknown selection scheme "${name}"; available: ${Object.keys(schemes).join(', ')}`);
  return s;
}
