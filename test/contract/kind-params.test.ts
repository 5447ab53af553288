import { describe, expect, it } from 'vitest';
import { ConfigError, validateConfig } from '../../main/contract/config';
import { findPreset } from '../../main/presets';

/** A config from JSON text, as every door reads one (JSON.parse makes `__proto__` an own key). */
function configWith(section: 'model' | 'selection', json: string): unknown {
  const base = JSON.parse(JSON.stringify(findPreset('gaussian-collapse').config)) as Record<string, unknown>;
  return { ...base, [section]: JSON.parse(json) };
}

function issuesOf(input: unknown): string[] {
  try {
    validateConfig(input);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

describe('model and scheme params', () => {
  it('refuse a prototype key in selection.params as model.params, naming it', () => {
    const s = issuesOf(configWith('selection', '{"scheme":"random","params":{"__proto__":{"polluted":1}}}'));
    expect(s.some((i) => i.startsWith('selection.params.__proto__:'))).toBe(true);
    const m = issuesOf(configWith('model', '{"kind":"gaussian","params":{"__proto__":{"polluted":1}}}'));
    expect(m.some((i) => i.startsWith('model.params.__proto__:'))).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuse prototype keys at any depth and unknown keys', () => {
    expect(issuesOf(configWith('selection', '{"scheme":"ot-proxy","params":{"constructor":{"prototype":1}}}')).length).toBeGreaterThan(0);
    expect(issuesOf(configWith('selection', '{"scheme":"random","params":{"x":1}}'))).toEqual(['selection.params: unknown field "x"']);
    expect(issuesOf(configWith('selection', '{"scheme":"random","params":[1]}')).length).toBeGreaterThan(0);
  });

  it('still accept absent and valid params', () => {
    expect(issuesOf(configWith('selection', '{"scheme":"random"}'))).toEqual([]);
    expect(issuesOf(configWith('model', '{"kind":"gaussian","params":{}}'))).toEqual([]);
  });
});
