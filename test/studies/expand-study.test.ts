import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../main/contract/config';
import { canonicalJson, expandStudy, validateStudy } from '../../main/studies/expand-study';

const base = {
  dataset: { kind: 'gaussian', dim: 3, trainSize: 100, testSize: 50 },
  islands: { count: 2, split: 'iid' },
  model: { kind: 'gaussian' },
  loop: { generations: 3, keep: 20, ratio: 2, paradigm: 'replace' },
};

function study(extra: Record<string, unknown> = {}) {
  return { name: 'Grid A', base, seeds: 2, ...extra };
}

const schemes = { path: 'selection.scheme', values: ['random', 'topalpha', 'kmeans'] };
const paradigms = { path: 'loop.paradigm', values: ['replace', 'accumulate'] };

describe('expandStudy', () => {
  it('takes the product of the axes in order, times the seeds, with each value applied to the base', () => {
    const plan = expandStudy(study({ axes: [schemes, paradigms] }));
    expect(plan.studyId).toBe('grid-a');
    expect(plan.fieldPaths).toEqual(['selection.scheme', 'loop.paradigm']);
    expect(plan.seeds).toEqual([0, 1]);
    expect(plan.runs).toHaveLength(3 * 2 * 2);
    expect(plan.runs.map((r) => `${r.fields['selection.scheme']}/${r.fields['loop.paradigm']}/${r.seed}`).slice(0, 5)).toEqual([
      'random/replace/0',
      'random/replace/1',
      'random/accumulate/0',
      'random/accumulate/1',
      'topalpha/replace/0',
    ]);
    const r = plan.runs[2];
    expect(r.config.selection.scheme).toBe('random');
    expect(r.config.loop.paradigm).toBe('accumulate');
    expect(r.config.seed).toBe(0);
    expect(r.config.name).toBe('Grid A: selection.scheme=random, loop.paradigm=accumulate (seed 0)');
    // the validated config carries the defaults
    expect(r.config.selection.reference).toBe('local');
  });

  it('varies the paths of a zip together, and creates nested objects on the way (model.params.epochs)', () => {
    const plan = expandStudy(
      study({
        seeds: [5],
        axes: [
          {
            zip: [
              { path: 'loop.keep', values: [10, 20] },
              { path: 'loop.ratio', values: [4, 2] },
            ],
          },
        ],
        base: { ...base, model: { kind: 'gmm' } },
      }),
    );
    expect(plan.runs.map((r) => [r.config.loop.keep, r.config.loop.ratio, r.seed])).toEqual([
      [10, 4, 5],
      [20, 2, 5],
    ]);
    const epochs = expandStudy(
      study({
        seeds: 1,
        base: { ...base, model: { kind: 'vae-mlp' }, dataset: { kind: 'mnist', subset: 100 } },
        axes: [{ path: 'model.params.epochs', values: [1, 2] }],
      }),
    );
    expect(epochs.runs.map((r) => (r.config.model.params as { epochs: number }).epochs)).toEqual([1, 2]);
  });

  it('gives each run a stable key: the same under reordered axes, values and object keys; runs of one cell share a cell key', () => {
    const a = expandStudy(study({ axes: [schemes, paradigms] }));
    const b = expandStudy({
      seeds: [1, 0],
      axes: [
        { values: ['accumulate', 'replace'], path: 'loop.paradigm' },
        { path: 'selection.scheme', values: ['kmeans', 'random', 'topalpha'] },
      ],
      base: {
        loop: { paradigm: 'replace', ratio: 2, keep: 20, generations: 3 },
        model: { kind: 'gaussian' },
        islands: { split: 'iid', count: 2 },
        dataset: { testSize: 50, trainSize: 100, dim: 3, kind: 'gaussian' },
      },
      name: 'another name',
    });
    expect(new Set(b.runs.map((r) => r.key))).toEqual(new Set(a.runs.map((r) => r.key)));
    expect(new Set(a.runs.map((r) => r.key)).size).toBe(12);
    for (const r of a.runs) {
      const twin = a.runs.find(
        (o) =>
          o !== r &&
          o.fields['selection.scheme'] === r.fields['selection.scheme'] &&
          o.fields['loop.paradigm'] === r.fields['loop.paradigm'],
      )!;
      expect(twin.cellKey).toBe(r.cellKey);
      expect(twin.key).not.toBe(r.key);
    }
    expect(new Set(a.runs.map((r) => r.cellKey)).size).toBe(6);
  });

  it('adding a value, a seed or generations keeps every existing key (only the new runs are new)', () => {
    const a = expandStudy(study({ axes: [schemes] }));
    const more = expandStudy(study({ seeds: 3, axes: [{ ...schemes, values: [...schemes.values, 'covmatch'] }] }));
    const longer = expandStudy(study({ axes: [schemes], base: { ...base, loop: { ...base.loop, generations: 8 } } }));
    const keysA = a.runs.map((r) => r.key);
    expect(more.runs.filter((r) => keysA.includes(r.key))).toHaveLength(keysA.length);
    expect(more.runs).toHaveLength(4 * 3);
    expect(longer.runs.map((r) => r.key)).toEqual(keysA);
    expect(longer.runs[0].config.loop.generations).toBe(8);
  });

  it('refuses a bad study naming the field, the cell and the value at fault', () => {
    const err = (input: unknown) => {
      try {
        expandStudy(input, 'grid.json');
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).message;
      }
      throw new Error('accepted');
    };
    expect(err(study({ axes: [{ path: 'selection.scheme', values: ['random', 'nope'] }] }))).toMatch(
      /grid\.json[\s\S]*base\.selection\.scheme: .*\(in cell selection\.scheme=nope\)/,
    );
    expect(err(study({ axes: [{ path: 'seed', values: [1, 2] }] }))).toMatch(/axes\.0\.path: seed and name are not axes/);
    expect(
      err(
        study({
          axes: [
            {
              zip: [
                { path: 'loop.keep', values: [1, 2] },
                { path: 'loop.ratio', values: [1] },
              ],
            },
          ],
        }),
      ),
    ).toMatch(/axes\.0\.zip\.1\.values: a zip's paths need as many values each/);
    expect(err(study({ axes: [schemes, { ...schemes, values: ['random'] }] }))).toMatch(/axes\.1: selection\.scheme is already varied/);
    expect(err(study({ seeds: [1, 1] }))).toMatch(/seeds: seeds must not repeat/);
    expect(err({ ...study(), base: undefined })).toMatch(/base:/);
    expect(err(study({ axes: [{ path: 'loop.keep', values: [0] }] }))).toMatch(/base\.loop\.keep/);
  });

  it('canonical JSON sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
  });

  it('sets the study’s storage and metric selection in every run; storage is not part of a run’s key', () => {
    const plain = expandStudy(study());
    const chosen = expandStudy(study({ storage: 'every:5', metrics: ['meanDistance', 'recall'] }));
    expect(chosen.runs.map((r) => r.config.storage)).toEqual(['every:5', 'every:5']);
    expect(chosen.runs[0].config.metrics.compute).toEqual(['meanDistance', 'recall']);
    expect(plain.runs[0].config.storage).toBeUndefined();
    // the metric selection changes what a run computes: a new key; the storage does not
    const storedOnly = expandStudy(study({ storage: 'metrics' }));
    expect(storedOnly.runs.map((r) => r.key)).toEqual(plain.runs.map((r) => r.key));
    expect(storedOnly.runs.map((r) => r.cellKey)).toEqual(plain.runs.map((r) => r.cellKey));
    expect(chosen.runs[0].key).not.toBe(plain.runs[0].key);
    expect(() => expandStudy(study({ storage: 'every:0' }))).toThrow(/storage: storage "every:0": K in every:K/);
    expect(() => expandStudy(study({ metrics: ['fid', 'prcision'] }))).toThrow(/metrics\.1: "prcision" is not a metric/);
  });

  it('a big grid of toy runs keeps only the metrics unless the study or its base says otherwise', () => {
    const seeds = { path: 'loop.keep', values: Array.from({ length: 50 }, (_, i) => 20 + i) };
    expect(expandStudy(study({ axes: [seeds] })).runs.every((r) => r.config.storage === 'metrics')).toBe(true);
    expect(expandStudy(study({ axes: [seeds], storage: 'all' })).runs[0].config.storage).toBe('all');
    expect(expandStudy({ ...study({ axes: [seeds] }), base: { ...base, storage: 'every:2' } }).runs[0].config.storage).toBe('every:2');
    expect(expandStudy(study({ axes: [{ ...seeds, values: seeds.values.slice(0, 10) }] })).runs[0].config.storage).toBeUndefined();
  });
});

describe('malformed axes (issue 26 case 10)', () => {
  it('an empty zip, a null axis or a zip of incomplete paths is refused by field, never a TypeError', () => {
    const base = { name: 's', base: { dataset: { kind: 'gaussian' }, model: { kind: 'gaussian' } }, seeds: 1 };
    for (const axes of [
      [{ zip: [] }],
      [null],
      [{ zip: [null] }],
      [{ zip: [{ path: 'seed' }] }],
      [{ zip: [{ path: 'loop.keep', values: [1] }, { values: [1, 2] }] }],
    ]) {
      let error: unknown;
      try {
        validateStudy({ ...base, axes });
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(axes)).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues[0].path, JSON.stringify(axes)).toMatch(/^axes\.0/);
    }
  });
});
