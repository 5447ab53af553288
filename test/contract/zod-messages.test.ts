import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, validateConfig } from '../../main/contract/config';
import { fieldIssuesOf, inProductTerms } from '../../main/contract/zod-messages';
import { findPreset } from '../../main/presets';
import { validateStudy } from '../../main/studies/expand-study';

/** The product's messages of zod's issues: one map, read by the engine's ConfigError and by the renderer. */
function messageOf(schema: z.ZodType, value: unknown): string {
  const r = schema.safeParse(value, inProductTerms);
  if (r.success) throw new Error('expected a refusal');
  return fieldIssuesOf(r.error)[0].message;
}

type Config = { loop: Record<string, unknown>; selection: Record<string, unknown> };

function configIssues(patch: (c: Config) => void): Record<string, string> {
  const config = structuredClone(findPreset('smoke').config) as unknown as Config;
  patch(config);
  try {
    validateConfig(config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return Object.fromEntries(e.issues.map((i) => [i.path, i.message]));
  }
  throw new Error('expected a ConfigError');
}

describe('zod messages in the product’s terms', () => {
  it('types, bounds (with thousands separators), lengths, choices and unknown fields', () => {
    expect(messageOf(z.number().int(), 2.5)).toBe('must be a whole number');
    expect(messageOf(z.number(), 'x')).toBe('must be a number');
    expect(messageOf(z.number(), Number.NaN)).toBe('must be a number');
    expect(messageOf(z.object({ a: z.number() }), {})).toBe('required');
    expect(messageOf(z.number().max(10_000_000), 2e7)).toBe('must be at most 10,000,000');
    expect(messageOf(z.number().max(1024), 2048)).toBe('must be at most 1024');
    expect(messageOf(z.number().min(1), 0)).toBe('must be at least 1');
    expect(messageOf(z.number().positive(), 0)).toBe('must be more than 0');
    expect(messageOf(z.number().lt(5), 5)).toBe('must be less than 5');
    expect(messageOf(z.array(z.number()).min(2), [1])).toBe('must have at least 2 items');
    expect(messageOf(z.string().max(3), 'abcd')).toBe('must have at most 3 characters');
    expect(messageOf(z.enum(['a', 'b']), 'c')).toBe('must be one of a, b');
    expect(messageOf(z.literal('x'), 'y')).toBe('must be x');
    expect(messageOf(z.number().multipleOf(4), 6)).toBe('must be a multiple of 4');
    expect(messageOf(z.object({}).strict(), { x: 1, y: 2 })).toBe('unknown fields "x", "y"');
    // a message the schema writes itself passes as it is
    expect(
      messageOf(
        z.number().refine((v) => v > 0, 'ALPHA must be > 0'),
        -1,
      ),
    ).toBe('ALPHA must be > 0');
  });

  it('is what the engine’s ConfigError says, for a config, a kind’s params and a study', () => {
    const issues = configIssues((c) => {
      c.loop.generations = 2.5;
      c.loop.keep = 0;
      c.selection.params = { x: 1 };
    });
    expect(issues['loop.generations']).toBe('must be a whole number');
    expect(issues['loop.keep']).toMatch(/^must be (at least 1|more than 0)$/);
    expect(issues['selection.params']).toBe('unknown field "x"');
    expect(() => validateStudy({ name: 's', base: findPreset('smoke').config, seeds: 'many' })).toThrow(
      /seeds: must be a list or a number$/m,
    );
  });
});
