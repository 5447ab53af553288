import type { StudySpecInput } from '../../../main/contract/study';
import type { ConfigDraft } from '../../../main/contract/config-draft';

/**
 * The wizard's study: the config being edited is the base, and "vary a field" adds axes (a config path and its
 * values, typed as text) and seeds. Pure helpers that turn the form's text into a study file.
 */
export interface StudyAxisDraft {
  path: string;
  /** Values as typed: separated by commas, or by semicolons / new lines when a value holds a comma (exdir:1,0.1). */
  values: string;
}

export interface StudyDraft {
  enabled: boolean;
  axes: StudyAxisDraft[];
  /** A count n (seeds 0 … n−1) or a list "0, 1, 7". */
  seeds: string;
  /** Runs at once (embedded queue); empty: one per core. */
  parallel: number | undefined;
  description: string;
}

export function defaultStudyDraft(): StudyDraft {
  return { enabled: false, axes: [{ path: 'selection.scheme', values: '' }], seeds: '2', parallel: undefined, description: '' };
}

/** One typed value: a JSON number, boolean, null, array or object, or a quoted string; anything else as plain text. */
export function parseValue(token: string): unknown {
  const t = token.trim();
  if (/^(-?\d|true$|false$|null$|\[|\{|")/.test(t)) {
    try {
      return JSON.parse(t);
    } catch {
      // not JSON: the text as it is
    }
  }
  return t;
}

export function splitValues(text: string): string[] {
  const sep = /[;\n]/.test(text) ? /[;\n]/ : /,/;
  return text
    .split(sep)
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

export function parseAxisValues(text: string): unknown[] {
  return splitValues(text).map(parseValue);
}

/** The text of some values, as the form shows them. */
export function valuesText(values: unknown[]): string {
  const tokens = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return tokens.join(tokens.some((t) => t.includes(',')) ? '; ' : ', ');
}

/** Add or remove one value of an axis (the checkboxes of a field with known choices). */
export function toggleValue(text: string, value: string): string {
  const tokens = splitValues(text);
  const next = tokens.includes(value) ? tokens.filter((t) => t !== value) : [...tokens, value];
  return next.join(next.some((t) => t.includes(',')) ? '; ' : ', ');
}

/** Seeds: "3" is 0, 1, 2; "0, 4, 9" a list; an error message for anything else. */
export function parseSeeds(text: string): number[] | number | string {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return n >= 1 ? n : 'at least one seed';
  }
  const parts = t.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) return 'give a number of seeds (3) or a list (0, 1, 7)';
  if (!parts.every((p) => /^\d+$/.test(p))) return 'seeds are whole numbers ≥ 0: a count (3) or a list (0, 1, 7)';
  const list = parts.map(Number);
  if (new Set(list).size !== list.length) return 'seeds must not repeat';
  return list;
}

/** The study file of the wizard: base = the config (its name and seed left to the study), the axes with values. */
export function studyOf(config: ConfigDraft, draft: StudyDraft): { study: StudySpecInput | null; error: string } {
  const { name, seed: _seed, ...base } = config;
  const seeds = parseSeeds(draft.seeds);
  if (typeof seeds === 'string') return { study: null, error: `seeds: ${seeds}` };
  const axes = draft.axes
    .filter((a) => a.path.trim() !== '' && splitValues(a.values).length > 0)
    .map((a) => ({ path: a.path.trim(), values: parseAxisValues(a.values) }));
  const study: StudySpecInput = {
    name: name || 'study',
    ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
    base,
    axes,
    seeds,
  };
  return { study, error: '' };
}
