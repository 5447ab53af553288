import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/contract/config';
import { RunManager } from '../../main/runs/run-manager';

const base = { dataset: { kind: 'mnist' as const }, model: { kind: 'vae-mlp' as const } };

/** Selection settings that cannot work are refused when the config is validated, at their field, not mid-run. */
describe('config checks of the OT schemes', () => {
  it('the geodesic proxy with more candidates than an island can hold N × N is a config error at its field', () => {
    expect(() =>
      validateConfig({
        ...base,
        loop: { generations: 2, keep: 5000, ratio: 4 },
        selection: { scheme: 'ot-proxy', params: { proxy: 'geodesic' } },
      }),
    ).toThrow(/selection\.params\.proxy.*N = 20000 candidates is over 16384/s);
    expect(() =>
      validateConfig({
        ...base,
        loop: { generations: 2, keep: 4000, ratio: 4 },
        selection: { scheme: 'ot-proxy', params: { proxy: 'geodesic' } },
      }),
    ).not.toThrow();
    expect(() =>
      validateConfig({ ...base, loop: { generations: 2, keep: 5000, ratio: 4 }, selection: { scheme: 'ot-proxy' } }),
    ).not.toThrow();
  });
});

/** The catalog entries' own cross-field checks, run by the contract for every kind alike. */
describe('config checks of the model and scheme kinds', () => {
  const loop = { generations: 2, keep: 100 };

  it('vae-mlp on the Gaussian toy is refused at model.kind (its BCE needs data in [0, 1])', () => {
    expect(() => validateConfig({ dataset: { kind: 'gaussian' }, model: { kind: 'vae-mlp' }, loop })).toThrow(
      /model\.kind: vae-mlp uses a Bernoulli \(BCE\) likelihood/,
    );
    expect(() => validateConfig({ dataset: { kind: 'gaussian' }, model: { kind: 'gaussian' }, loop })).not.toThrow();
  });

  it('a verifier target on a reference scheme that does not aim at one is refused, naming the scheme that does', () => {
    const target = { kind: 'shifted-real' };
    expect(() => validateConfig({ ...base, loop, selection: { scheme: 'center', target } })).toThrow(
      /selection\.target: a shifted-real verifier target is used by scheme topalpha only; scheme center aims at the islands/,
    );
    expect(() => validateConfig({ ...base, loop, selection: { scheme: 'topalpha', target } })).not.toThrow();
    // schemes without a reference ignore it, so that a study can vary the scheme alone
    expect(() => validateConfig({ ...base, loop, selection: { scheme: 'random', target } })).not.toThrow();
  });

  it('reports bad params at their field, with the scheme check and the params issues together', () => {
    try {
      validateConfig({ ...base, loop, selection: { scheme: 'center', target: { kind: 'shifted-real' }, params: { nope: 1 } } });
      expect.unreachable();
    } catch (e) {
      const paths = (e as { issues: { path: string }[] }).issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['selection.target', 'selection.params']));
    }
    expect(() => validateConfig({ ...base, loop, model: { kind: 'vae-mlp', params: { epochs: 0 } } })).toThrow(/model\.params\.epochs/);
  });
});

/** Validation resolves params through the kind's schema: the validated config is the whole definition of the run. */
describe('resolved params', () => {
  const input = {
    ...base,
    model: { kind: 'vae-mlp' as const, params: { epochs: 3 } },
    loop: { generations: 2, keep: 100, ratio: 2 },
    selection: { scheme: 'kmeans' as const },
  };
  const vaeDefaults = {
    latent: 20,
    hidden: [400, 400],
    epochs: 10,
    batchSize: 128,
    learningRate: 1e-3,
    warmStart: false,
    trainingThreads: 1,
  };

  it('the validated config holds the model and scheme params with every default filled in', () => {
    const c = validateConfig(input);
    expect(c.model.params).toEqual({ ...vaeDefaults, epochs: 3 });
    expect(c.selection.params).toEqual({ iterations: 10 });
    // the defaults written out or left out: the same config
    expect(validateConfig({ ...input, model: { kind: 'vae-mlp', params: { ...vaeDefaults, epochs: 3 } } })).toEqual(c);
    expect(validateConfig({ ...input, model: { kind: 'vae-mlp' } }).model.params).toEqual(vaeDefaults);
    // validating a validated config changes nothing
    expect(validateConfig(c)).toEqual(c);
  });

  it("a run's config.json holds them", () => {
    const workspace = mkdtempSync(join(tmpdir(), 'resolved-params-'));
    try {
      const runs = new RunManager(workspace, 'cpu');
      const id = runs.create(validateConfig(input), 'resolved-params-run');
      const written = JSON.parse(readFileSync(join(workspace, id, 'config.json'), 'utf8'));
      expect(written.model).toEqual({ kind: 'vae-mlp', params: { ...vaeDefaults, epochs: 3 } });
      expect(written.selection.params).toEqual({ iterations: 10 });
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
