import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelCatalog } from '../../main/models/catalog';
import { createModel, implementedModelKinds, loadModel } from '../../main/models/registry';
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
    const imageOnly = implementedModelKinds().find((k) => modelCatalog[k].imagesOnly);
    if (imageOnly) expect(() => createModel({ kind: imageOnly, params: {} }, [10])).toThrow(/needs images/);
  });

  it('lists every implemented kind from the catalog', () => {
    const kinds = implementedModelKinds();
    expect(kinds).toContain('gaussian');
    expect(kinds).toContain('vae-mlp');
    for (const k of kinds) expect(Object.keys(modelCatalog)).toContain(k);
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
