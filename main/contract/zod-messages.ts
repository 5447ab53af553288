import { z } from 'zod';

/**
 * zod's issues in the product's terms, one map for every side: the engine's ConfigError (and so every door and the
 * CLI) and the renderer's checks of a draft parse with it, so a field says "must be at most 10,000,000", not "Too big:
 * expected number to be <=10000000". The messages the contract's own checks write (custom issues) already speak the
 * user's terms and pass as they are; a code this map does not name keeps zod's message. Node-free: the renderer
 * imports it.
 */

/** A field at fault: its config path (`loop.keep`, empty for the whole document) and what is wrong there. */
export interface FieldIssue {
  path: string;
  message: string;
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  string: 'text',
  boolean: 'yes or no',
  object: 'a group of fields',
  array: 'a list',
  tuple: 'a list',
  record: 'a group of fields',
};

const UNITS: Record<string, string> = { string: 'characters', array: 'items', set: 'items', map: 'entries', file: 'bytes' };

/** A bound as people write it: 10,000,000 (not 10000000); up to four digits as they are (1024). */
export function boundText(n: number | bigint): string {
  const v = Number(n);
  return Number.isFinite(v) && Math.abs(v) >= 10_000 ? v.toLocaleString('en-US', { maximumFractionDigits: 12 }) : String(n);
}

/** A value of a choice as the user types it: text without quotes, anything else as JSON. */
function choiceText(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'bigint' ? String(v) : JSON.stringify(v);
}

function sizeMessage(
  side: 'big' | 'small',
  issue: { origin?: string; inclusive?: boolean; exact?: boolean },
  limit: number | bigint,
): string | undefined {
  const unit = issue.origin ? UNITS[issue.origin] : undefined;
  const bound = boundText(limit);
  if (unit) {
    const how = issue.exact ? 'exactly' : side === 'big' ? 'at most' : 'at least';
    return `must have ${how} ${bound} ${unit}`;
  }
  if (issue.origin !== 'number' && issue.origin !== 'int' && issue.origin !== 'bigint') return undefined;
  if (issue.exact) return `must be exactly ${bound}`;
  if (side === 'big') return issue.inclusive ? `must be at most ${bound}` : `must be less than ${bound}`;
  return issue.inclusive ? `must be at least ${bound}` : `must be more than ${bound}`;
}

/** The map: the product's message of an issue, or undefined to keep zod's (a custom issue keeps its own). */
export const productErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'too_big':
      return sizeMessage('big', issue, issue.maximum);
    case 'too_small':
      return sizeMessage('small', issue, issue.minimum);
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${choiceText(issue.values[0])}`
        : `must be one of ${issue.values.map(choiceText).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${boundText(issue.divisor)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_union': {
      // a discriminated union names its options; a plain one, the type each alternative expected of the value itself
      const options = (issue as { options?: unknown[] }).options;
      if (Array.isArray(options) && options.length > 0) return `must be one of ${options.map(choiceText).join(', ')}`;
      const kinds = issue.errors.map((alt) => {
        const own = alt.find((i) => i.path.length === 0 && i.code === 'invalid_type');
        return own && own.code === 'invalid_type' ? (TYPE_WORDS[own.expected] ?? own.expected) : undefined;
      });
      if (issue.input === undefined) return 'required';
      return kinds.length > 0 && kinds.every((k) => k !== undefined) ? `must be ${[...new Set(kinds)].join(' or ')}` : undefined;
    }
    default:
      return undefined;
  }
};

/** Parse options giving the product's messages: `schema.safeParse(value, inProductTerms)`. */
export const inProductTerms = { error: productErrorMap } as const;

/** A failed parse's issues as fields at fault (paths joined with dots). */
export function fieldIssuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
