import { describe, expect, it } from 'vitest';
import { paradigms, parseParadigm } from '../../main/contract/paradigm';
import { paradigmCatalog } from '../../main/contract/paradigms/catalog';
import { formatSplit, parseSplit, splits, splitsWithoutLabels } from '../../main/contract/split-spec';
import { splitCatalog } from '../../main/contract/splits/catalog';

/** The paradigms' and the splits' texts, read and written from their declarations only (main/contract/text-kind.ts). */
describe('declared text kinds: paradigms and splits', () => {
  it('parse every kind of the catalogs, and format each back to its text', () => {
    expect(parseSplit(' Dirichlet:0.25 ')).toEqual({ kind: 'dirichlet', alpha: 0.25 });
    expect(parseSplit('exdir:2,0.1')).toEqual({ kind: 'exdir', classesPerIsland: 2, alpha: 0.1 });
    expect(parseParadigm('mixed:1')).toEqual({ kind: 'mixed', realFraction: 1 });
    for (const text of ['iid', 'dirichlet:0.5', 'exdir:1,0.1', 'quantity:3']) expect(formatSplit(parseSplit(text))).toBe(text);
    for (const text of ['replace', 'accumulate-subsample', 'mixed:0.2']) expect(paradigms.format(parseParadigm(text))).toBe(text);
    // the kinds are the catalogs', in their order: what the wizard lists and the study panel offers
    expect(splits.kinds.map((k) => k.name)).toEqual(Object.keys(splitCatalog));
    expect(paradigms.kinds.map((k) => k.name)).toEqual(Object.keys(paradigmCatalog));
    expect(splits.choices()).toEqual(['iid', 'dirichlet:0.5', 'exdir:1,0.1', 'quantity:0.5']);
    expect(paradigms.choices()).toEqual(['replace', 'accumulate', 'accumulate-synthetic', 'accumulate-subsample', 'mixed:0.5']);
    for (const text of [...splits.choices()]) expect(() => parseSplit(text)).not.toThrow();
  });

  it('refuse a bad text naming the text and what is wrong with it', () => {
    expect(() => parseSplit('skew:1')).toThrow('split "skew:1": unknown kind; use iid, dirichlet:ALPHA, exdir:C,ALPHA or quantity:BETA');
    expect(() => parseSplit('dirichlet:0')).toThrow('split "dirichlet:0": ALPHA must be > 0');
    expect(() => parseSplit('dirichlet:')).toThrow('split "dirichlet:": ALPHA in dirichlet:ALPHA must be a number');
    expect(() => parseSplit('dirichlet')).toThrow('split "dirichlet": expected dirichlet:ALPHA (e.g. dirichlet:0.5)');
    expect(() => parseSplit('exdir:0.1')).toThrow('split "exdir:0.1": expected exdir:C,ALPHA (e.g. exdir:1,0.1)');
    expect(() => parseSplit('exdir:1.5,0.1')).toThrow('split "exdir:1.5,0.1": C must be an integer >= 1');
    expect(() => parseSplit('iid:2')).toThrow('split "iid:2": iid takes no number');
    expect(() => parseParadigm('mixed:1.5')).toThrow('paradigm "mixed:1.5": LAMBDA must be in [0, 1]');
    expect(() => parseParadigm('mixed:abc')).toThrow('paradigm "mixed:abc": LAMBDA in mixed:LAMBDA must be a number');
    expect(splits.schema.safeParse('quantity:-1').error?.issues[0].message).toBe('split "quantity:-1": BETA must be > 0');
    expect(splitsWithoutLabels()).toBe('iid or quantity:BETA');
  });

  it("read a form's text leniently, and switch kinds keeping the numbers of the same key", () => {
    expect(splits.readForm('dirichlet:')).toEqual({ kind: 'dirichlet', values: { alpha: NaN } });
    expect(splits.readForm('exdir:2')).toEqual({ kind: 'exdir', values: { classesPerIsland: 2, alpha: NaN } });
    expect(splits.readForm('nonsense')).toEqual({ kind: 'iid', values: {} });
    expect(paradigms.readForm('mixed:abc')).toEqual({ kind: 'mixed', values: { realFraction: NaN } });
    expect(splits.formText({ kind: 'exdir', values: { classesPerIsland: NaN, alpha: 0.3 } })).toBe('exdir:,0.3');
    expect(splits.switchKind('dirichlet:0.3', 'exdir')).toBe('exdir:1,0.3');
    expect(splits.switchKind('exdir:2,0.3', 'quantity')).toBe('quantity:0.5');
    expect(paradigms.switchKind('replace', 'mixed')).toBe('mixed:0.5');
    expect(paradigms.switchKind('mixed:0.2', 'accumulate')).toBe('accumulate');
    expect(paradigms.describe('mixed:0.2')).toBe('Mixed: Real fraction λ = 0.2');
    expect(paradigms.describe('replace')).toBe('Replace');
    expect(paradigms.describe('bad')).toBe('bad');
  });
});
