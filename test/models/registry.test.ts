import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelCatalog, modelCost, modelKinds, modelWarmStarts, resolveModelParams } from '../../main/contract/models/catalog';
import { createModel, loadModel } from '../../main/models/registry';
import { VaeMlpModel } from '../../main/models/vae-mlp';

describe('model registry', () => {
  it('creates models with the catalog defaults applied', () => {
    const vae = createModel({ kind: 'vae-mlp', params: { latent: 4 } }, [28, 28, 1]) as VaeMlpModel;
    expect(vae.kind).toBe('vae-mlp');
    expect(vae.params).toMatchObject({ latent: 4, hidden: [400, 400], batchSize: 128, learningRate: 1e-3 });
    expect(createModel({ kind: 'gaussian', params: {} }, [10]).kind).toBe('gaussian');
  });

  it('names the field at fault in bad params, and refuses unknown kinds', () => {
    expect(() => createModel({ kind: 'vae-mlp', params: { latent: 0 } }, [4])).toThrow(/model\.params\.latent/);
    expect(() => createModel({ kind: 'vae-mlp', params: { nope: 1 } }, [4])).toThrow(/vae-mlp/);
    expect(() => createModel({ kind: 'flow', params: {} }, [4])).toThrow(/unknown model kind "flow"/);
  });

  it('refuses image-only models on vector data', () => {
    const imageOnly = modelKinds.filter((k) => modelCatalog[k].imagesOnly);
    expect(imageOnly).toEqual(['wgan-gp', 'vae-conv', 'ddpm']);
    for (const kind of imageOnly) expect(() => createModel({ kind, params: {} }, [10])).toThrow(new RegExp(`model "${kind}" needs images`));
  });

  it('has an implementation for every catalog kind (the vector kinds built here, each of its own kind)', () => {
    expect(modelKinds).toEqual(['gaussian', 'vae-mlp', 'gmm', 'kde', 'diffusion-exact', 'wgan-gp', 'vae-conv', 'ddpm']);
    for (const kind of modelKinds.filter((k) => !modelCatalog[k].imagesOnly)) {
      const model = createModel({ kind, params: {} }, [4]);
      expect(model.kind).toBe(kind);
      model.dispose();
    }
  });

  it("warm-starts by the kind's rule on resolved params (a config.json written before params were resolved included)", () => {
    expect(modelWarmStarts({ kind: 'vae-mlp', params: { warmStart: true } })).toBe(true);
    expect(modelWarmStarts({ kind: 'vae-mlp', params: {} })).toBe(false);
    expect(modelWarmStarts({ kind: 'vae-mlp' })).toBe(false);
    for (const kind of modelKinds.filter((k) => k !== 'vae-mlp')) expect(modelWarmStarts({ kind, params: {} })).toBe(false);
    expect(() => modelWarmStarts({ kind: 'vae-mlp', params: { warmStart: 'yes' } })).toThrow(/model\.params\.warmStart/);
  });

  it("resolves params through the kind's schema, defaults filled in, and names the field at fault", () => {
    expect(resolveModelParams({ kind: 'gmm', params: { k: 3 } })).toEqual({
      k: 3,
      covariance: 'full',
      maxIter: 100,
      tol: 1e-3,
      ridge: 1e-6,
      kmeansIter: 20,
    });
    expect(() => resolveModelParams({ kind: 'gmm', params: { k: 0 } })).toThrow(/invalid parameters for model "gmm": model\.params\.k/);
  });

  it("states each kind's cost from its resolved params: defaults, epochs, width of the network", () => {
    const data = { dim: 784 };
    // the MLP VAE measured at 1,200 images/s for 784-400-400 (wasm), its cost proportional to the encoder's MACs
    expect(modelCost({ kind: 'vae-mlp', params: {} }, data)).toEqual({ train: 1200, sample: 20_000, epochs: 10 });
    expect(modelCost({ kind: 'vae-mlp', params: { hidden: [800, 400], epochs: 3 } }, data)).toEqual({
      train: (1200 * (784 * 400 + 400 * 400)) / (784 * 800 + 800 * 400),
      sample: 20_000,
      epochs: 3,
    });
    expect(modelCost({ kind: 'wgan-gp', params: {} }, data)).toEqual({ train: 15, sample: 2000, epochs: 100 });
    expect(modelCost({ kind: 'wgan-gp', params: { criticSteps: 10 } }, data).train).toBe(7.5);
    expect(modelCost({ kind: 'ddpm', params: { samplingSteps: 100, epochs: 2 } }, data)).toEqual({ train: 60, sample: 20, epochs: 2 });
    expect(modelCost({ kind: 'vae-conv', params: {} }, data)).toEqual({ train: 300, sample: 5000, epochs: 10 });
    for (const kind of ['gaussian', 'gmm', 'kde', 'diffusion-exact'] as const) {
      expect(modelCost({ kind, params: {} }, { dim: 10 })).toEqual({ train: 2e6, sample: 2e6, epochs: 1, onBackend: false });
    }
  });

  it('loads by the kind in model.json, with clear errors for bad checkpoints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-test-'));
    try {
      await expect(loadModel(dir)).rejects.toThrow(/cannot read checkpoint .*model\.json/);
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ kind: 'nope', params: {}, shape: [2] }));
      await expect(loadModel(dir)).rejects.toThrow(/unknown model kind "nope"/);
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ params: {} }));
      await expect(loadModel(dir)).rejects.toThrow(/has no "kind"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
