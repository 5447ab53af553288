import { describe, expect, it } from 'vitest';
import type { ExperimentConfigInput } from '../../main/contract/config';
import { importConfigDraft, type ConfigDraft, type DeepPartial } from '../../main/contract/config-draft';
import { findPreset, presets } from '../../main/presets';

/** Compiled, not run: a draft's fields are of the config's input types (a draft of the wrong type does not compile). */
export function draftFieldsAreTheConfigs(
  d: ConfigDraft,
): DeepPartial<Pick<ExperimentConfigInput, 'name' | 'seed' | 'islands' | 'model' | 'loop' | 'gridSamples'>> {
  return d;
}

describe('a config draft (main/contract/config-draft.ts)', () => {
  it('keeps every preset’s config as it is, every section present', () => {
    for (const { config } of presets) {
      const { draft, invalid } = importConfigDraft(config);
      expect(invalid).toEqual({});
      expect(draft).toEqual({ ...config, model: { params: {}, ...config.model }, selection: { params: {}, ...config.selection } });
    }
    expect(importConfigDraft({}).draft).toEqual({ dataset: {}, islands: {}, model: { params: {} }, loop: {}, selection: { params: {} } });
  });

  it('moves each wrong-typed field into `invalid` at its path, with its value and a message, and keeps the rest', () => {
    const config = {
      ...findPreset('smoke').config,
      seed: '3',
      name: 5,
      islands: { count: 'two', split: 'iid' },
      loop: { generations: 2, keep: -4, paradigm: 7 },
      model: { kind: 'no-such-model', params: { hidden: 'wide' } },
    };
    const { draft, invalid } = importConfigDraft(config);
    expect(Object.keys(invalid).sort()).toEqual(['islands.count', 'loop.paradigm', 'model.kind', 'name', 'seed']);
    expect(invalid.seed).toEqual({ value: '3', message: expect.stringMatching(/number/) });
    expect(invalid['islands.count'].value).toBe('two');
    expect(invalid['model.kind'].value).toBe('no-such-model');
    expect(invalid['model.kind'].message).toMatch(/vae-mlp/);
    // the wrong-typed fields are absent from the draft; values of the right type the config refuses stay, for its check
    expect(draft.seed).toBeUndefined();
    expect(draft.name).toBeUndefined();
    expect(draft.islands).toEqual({ split: 'iid' });
    expect(draft.loop).toEqual({ generations: 2, keep: -4 });
    expect(draft.model).toEqual({ params: { hidden: 'wide' } });
    expect(draft.dataset).toEqual(findPreset('smoke').config.dataset);
  });

  it('a wrong-typed section is invalid as a whole and starts empty; a document that is no object is invalid at the root', () => {
    const { draft, invalid } = importConfigDraft({ loop: 5, selection: [] });
    expect(invalid.loop).toEqual({ value: 5, message: expect.any(String) });
    expect(invalid.selection.value).toEqual([]);
    expect(draft.loop).toEqual({});
    expect(draft.selection).toEqual({ params: {} });
    const none = importConfigDraft('a config');
    expect(none.invalid['']).toEqual({ value: 'a config', message: expect.any(String) });
    expect(none.draft.loop).toEqual({});
  });
});
