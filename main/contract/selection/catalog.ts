import type { z } from 'zod';
import type { KindCheckContext, KindCheckIssue } from '../kind-check';
import type { ReferenceKind } from '../reference-kind';
import { centerSchemeKind } from './kinds/center';
import { covmatchSchemeKind } from './kinds/covmatch';
import { kmeansSchemeKind } from './kinds/kmeans';
import { noneSchemeKind } from './kinds/none';
import { otBarycenterSchemeKind } from './kinds/ot-barycenter';
import { otProxySchemeKind } from './kinds/ot-proxy';
import { randomSchemeKind } from './kinds/random';
import { topalphaSchemeKind } from './kinds/topalpha';
import type { SchemeKindEntry, SelectionWork } from './scheme-kind';

/**
 * The catalog of selection schemes, free of engine code so that the contract and the renderer can validate a config.
 * Each scheme is one entry (./kinds/<name>.ts: label, what it reads, privacy note, params schema, cost model,
 * cross-field checks); implementations are registered by name in main/selection/registry.ts. The `pooled` reference
 * is an oracle that breaks privacy (see referenceKinds).
 */

/** The reference kinds of the reference-based baselines, with the note the UI shows for each. */
export const referenceKinds = {
  local: {
    label: 'Local (one verifier island)',
    description: "The verifier island's own data: the biased reference of the islands setting.",
    oracle: false,
    privacy: "Only the verifier island's summary statistics (mean, covariance in the feature space) leave it.",
  },
  'per-island': {
    label: 'Per island (each keeps n/K)',
    description: 'Each island selects n/K of the candidates against its own data, in turns.',
    oracle: false,
    privacy: "Each island's summary statistics leave it; no island sees another's.",
  },
  pooled: {
    label: 'Pooled (oracle: breaks privacy)',
    description: 'All real data as one reference: what a verifier would do if the islands pooled their raw data.',
    oracle: true,
    privacy:
      "Oracle that breaks privacy: it stands for one verifier holding every island's raw data (the engine pools only " +
      "the islands' moments, which gives the same reference for these baselines, but a real deployment would need the data).",
  },
} as const satisfies Record<ReferenceKind, { label: string; description: string; oracle: boolean; privacy: string }>;

export { GEODESIC_MAX_CANDIDATES } from './kinds/ot-proxy';

export const selectionCatalog = {
  none: noneSchemeKind,
  random: randomSchemeKind,
  kmeans: kmeansSchemeKind,
  center: centerSchemeKind,
  covmatch: covmatchSchemeKind,
  topalpha: topalphaSchemeKind,
  'ot-proxy': otProxySchemeKind,
  'ot-barycenter': otBarycenterSchemeKind,
} as const satisfies { [N in string]: SchemeKindEntry<N> };

export type SchemeName = keyof typeof selectionCatalog;
export const schemeNames = Object.keys(selectionCatalog) as [SchemeName, ...SchemeName[]];
/** The resolved params of a scheme (every default filled in). */
export type SchemeParams<N extends SchemeName> = z.output<(typeof selectionCatalog)[N]['params']>;

/** The entry of a scheme, its params typed loosely (for code that handles every scheme alike). */
export function schemeEntry(name: SchemeName): SchemeKindEntry {
  return selectionCatalog[name] as SchemeKindEntry;
}

/** The entry of a scheme named by a string (a config's, a command line's); an unknown name is an error listing the known. */
export function schemeEntryNamed(name: string): SchemeKindEntry {
  if (!Object.hasOwn(selectionCatalog, name)) throw new Error(`unknown selection scheme "${name}"; available: ${schemeNames.join(', ')}`);
  return schemeEntry(name as SchemeName);
}

/** Whether a scheme looks at the candidates' features at all (none and random do not: no feature map is computed). */
export function schemeUsesFeatures(name: string): boolean {
  return schemeEntryNamed(name).usesFeatures;
}

/** The schemes that aim at a `selection.target` other than the islands. */
export const targetSchemeNames = schemeNames.filter((n) => selectionCatalog[n].usesTarget);

/** A scheme's params with its defaults filled in; an error names the scheme and the field at fault. */
export function resolveSchemeParams(name: SchemeName, params: Record<string, unknown> | undefined): Record<string, unknown> {
  const r = schemeEntry(name).params.safeParse(params ?? {});
  if (!r.success) {
    const msg = r.error.issues.map((i) => `selection.params${i.path.length ? '.' + i.path.join('.') : ''}: ${i.message}`).join('; ');
    throw new Error(`scheme ${name}: ${msg}`);
  }
  return r.data as Record<string, unknown>;
}

/** The scheme's seconds per generation for the duration estimate. */
export function schemeSeconds(selection: { scheme: SchemeName; params?: Record<string, unknown> }, work: SelectionWork): number {
  return schemeEntry(selection.scheme).seconds(resolveSchemeParams(selection.scheme, selection.params), work);
}

/** The scheme's cross-field checks of a config; none while its params are invalid (those issues are reported at them). */
export function schemeConfigIssues(
  selection: { scheme: SchemeName; params?: Record<string, unknown> },
  config: KindCheckContext,
): KindCheckIssue[] {
  const entry = schemeEntry(selection.scheme);
  const r = entry.params.safeParse(selection.params ?? {});
  return r.success ? (entry.checks?.(r.data, config) ?? []) : [];
}
