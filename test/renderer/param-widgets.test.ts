import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { modelCatalog } from '../../main/contract/models/catalog';
import { hintFor, parseEnumOrNumber, parseNumberList, widgetFor, type JsonSchema } from '../../renderer/src/components/param-widgets';

/** How the wizard's forms edit each hyper-parameter, from the catalogs' schemas. */
const props = (kind: keyof typeof modelCatalog) =>
  (z.toJSONSchema(modelCatalog[kind].params as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema).properties!;

describe('param widgets', () => {
  it('maps every kind of field of the catalog to a control', () => {
    const vae = props('vae-mlp');
    expect(widgetFor(vae.latent)).toEqual({ kind: 'number', integer: true });
    expect(widgetFor(vae.learningRate)).toEqual({ kind: 'number', integer: false });
    expect(widgetFor(vae.warmStart)).toEqual({ kind: 'boolean' });
    expect(widgetFor(vae.hidden)).toEqual({ kind: 'number-list', integer: true });
    expect(widgetFor(props('gmm').covariance)).toEqual({ kind: 'enum', options: ['full', 'diag'] });
    expect(widgetFor(props('kde').bandwidth)).toEqual({ kind: 'enum-or-number', options: ['scott', 'silverman'] });
    expect(widgetFor(props('ddpm').channels)).toEqual({ kind: 'number-list', integer: true });
    const diffusion = props('diffusion-exact');
    // a nested object with a default: its own fields; an optional one without: JSON, absent until written
    expect(widgetFor(diffusion.truncation).kind).toBe('object');
    expect(widgetFor(diffusion.truth)).toEqual({ kind: 'json' });
  });

  it('every catalog field gets some control, never an error', () => {
    for (const kind of Object.keys(modelCatalog) as (keyof typeof modelCatalog)[]) {
      for (const s of Object.values(props(kind))) expect(widgetFor(s).kind).toBeTypeOf('string');
    }
  });

  it('parses what the user types without coercing nonsense into valid values', () => {
    expect(parseNumberList('400, 400')).toEqual([400, 400]);
    expect(parseNumberList('32 64')).toEqual([32, 64]);
    expect(parseNumberList('1, x')[1]).toBeNaN();
    expect(parseEnumOrNumber('scott', ['scott', 'silverman'])).toBe('scott');
    expect(parseEnumOrNumber('0.3', ['scott'])).toBe(0.3);
    expect(parseEnumOrNumber('scot', ['scott'])).toBe('scot');
    expect(hintFor(props('vae-mlp').latent)).toBe('≥ 1, ≤ 1024 · default 20');
    expect(hintFor(props('vae-mlp').learningRate)).toBe('> 0, ≤ 1 · default 0.001');
  });
});
