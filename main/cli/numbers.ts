import { InvalidArgumentError } from 'commander';
import { parseFeatureSpaceSpec, type FeatureSpaceSpec } from '../contract/feature-space-spec';

/**
 * The command line's numbers: one strict parser for every numeric option (issue 14, item 8). `Number()` and
 * `parseInt()` alone accept too much ("" is 0, "0x10" is 16, "12abc" is 12 to parseInt) and turn the rest into NaN,
 * which then travels on: `split --islands abc` printed no islands and exited 0. These accept plain decimal numbers
 * only, check the range, and fail with one line naming the option (commander prints it and exits with code 1).
 */

export interface IntRange {
  min: number;
  max: number;
}

export interface NumberRange {
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Values must be strictly greater than this. */
  above?: number;
  max?: number;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Seeds: what the config's `seed` takes (zod: an integer from 0 to 2^32 − 1). */
export const SEED_RANGE: IntRange = { min: 0, max: 2 ** 32 - 1 };

/** Parse an integer option value; throws InvalidArgumentError naming `name` unless it is in range. */
export function parseIntOption(name: string, raw: string, range: IntRange): number {
  const text = String(raw).trim();
  const x = INTEGER.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(x) || x < range.min || x > range.max) {
    throw new InvalidArgumentError(`${name} must be an integer from ${range.min} to ${range.max}, got "${raw}"`);
  }
  return x;
}

/** Parse a real-number option value (finite, plain decimal or exponent notation) in range. */
export function parseNumberOption(name: string, raw: string, range: NumberRange = {}): number {
  const text = String(raw).trim();
  const x = DECIMAL.test(text) ? Number(text) : NaN;
  const ok =
    Number.isFinite(x) &&
    (range.min === undefined || x >= range.min) &&
    (range.above === undefined || x > range.above) &&
    (range.max === undefined || x <= range.max);
  if (!ok) throw new InvalidArgumentError(`${name} must be ${describe(range)}, got "${raw}"`);
  return x;
}

function describe(r: NumberRange): string {
  const parts: string[] = [];
  if (r.above !== undefined) parts.push(`> ${r.above}`);
  if (r.min !== undefined) parts.push(`≥ ${r.min}`);
  if (r.max !== undefined) parts.push(`≤ ${r.max}`);
  return parts.length === 0 ? 'a finite number' : `a number ${parts.join(' and ')}`;
}

/** Commander argParser for an integer option: `.option('--islands <k>', '…', intOption('--islands', {min: 1, max: 1000}), 10)`. */
export const intOption =
  (name: string, range: IntRange) =>
  (raw: string): number =>
    parseIntOption(name, raw, range);

/** Commander argParser for a real-number option. */
export const numberOption =
  (name: string, range: NumberRange = {}) =>
  (raw: string): number =>
    parseNumberOption(name, raw, range);

/** Commander argParser for a seed (0 … 2^32 − 1, as the config's seed). */
export const seedOption = (name = '--seed') => intOption(name, SEED_RANGE);

/** Commander argParser for a variadic list of numbers (`--weights <w...>`): each value checked, the list collected. */
export const numberListOption =
  (name: string, range: NumberRange = {}) =>
  (raw: string, previous: number[] | undefined): number[] => [...(previous ?? []), parseNumberOption(name, raw, range)];

/** Commander argParser for a feature space (raw | reference | pca:K with K ≥ 1), checked before anything runs. */
export const featureSpaceOption =
  (name = '--features') =>
  (raw: string): FeatureSpaceSpec => {
    try {
      return parseFeatureSpaceSpec(raw, name);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
