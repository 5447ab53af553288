import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../main/contract/config';
import { checkGpuBuffers, gpuBufferParts } from '../../main/contract/gpu-memory';
import { modelEntry, modelKinds } from '../../main/contract/models/catalog';

const MNIST: [number, number, number] = [28, 28, 1];

function issuesOf(f: () => void): { path: string; message: string }[] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues;
  }
  return [];
}

describe('GPU buffer estimate against the adapter limits', () => {
  it("sizes the DDPM's widest activation from batch × h × w × 2·c1", () => {
    const parts = gpuBufferParts({ kind: 'ddpm', params: { batchSize: 64, channels: [32, 64] } }, MNIST);
    const train = parts.find((p) => p.field === 'model.params.batchSize');
    expect(train?.bytes).toBe(4 * 64 * 28 * 28 * 64);
  });

  it('refuses a DDPM whose batch makes one buffer exceed maxStorageBufferBindingSize, naming batchSize and both sizes', () => {
    const limits = { maxBufferSize: 256 * 2 ** 20, maxStorageBufferBindingSize: 128 * 2 ** 20 };
    // batch 64: 12.8 MB, within; batch 1024: 205 MB, beyond 134 MB
    expect(issuesOf(() => checkGpuBuffers({ kind: 'ddpm', params: { batchSize: 64 } }, MNIST, limits))).toEqual([]);
    const issues = issuesOf(() => checkGpuBuffers({ kind: 'ddpm', params: { batchSize: 1024 } }, MNIST, limits));
    expect(issues.map((i) => i.path)).toEqual(['model.params.batchSize']);
    expect(issues[0].message).toContain(String(4 * 1024 * 28 * 28 * 64));
    expect(issues[0].message).toContain(`maxStorageBufferBindingSize = ${128 * 2 ** 20} bytes`);
  });

  it('refuses a conv VAE batch beyond a small limit, and names maxBufferSize when it is the smaller', () => {
    const limits = { maxBufferSize: 2 ** 20, maxStorageBufferBindingSize: 2 ** 22 };
    const issues = issuesOf(() => checkGpuBuffers({ kind: 'vae-conv', params: { batchSize: 2048 } }, MNIST, limits));
    expect(issues.map((i) => i.path)).toContain('model.params.batchSize');
    expect(issues.find((i) => i.path === 'model.params.batchSize')?.message).toMatch(/maxBufferSize = 1048576 bytes/);
  });

  it('names the image size when a sampling chunk of large images exceeds the limit whatever the batch', () => {
    const limits = { maxBufferSize: 2 ** 27, maxStorageBufferBindingSize: 2 ** 27 };
    const issues = issuesOf(() => checkGpuBuffers({ kind: 'vae-conv', params: { batchSize: 1 } }, [512, 512, 3], limits));
    expect(issues.map((i) => i.path)).toEqual(['dataset']);
  });

  it("names the WGAN-GP's width when its largest weight is too big", () => {
    const limits = { maxBufferSize: 2 ** 22, maxStorageBufferBindingSize: 2 ** 22 };
    const issues = issuesOf(() => checkGpuBuffers({ kind: 'wgan-gp', params: { width: 512, batchSize: 2 } }, MNIST, limits));
    expect(issues.map((i) => i.path)).toContain('model.params.width');
  });

  it("sizes sampling by each TensorFlow.js kind's own chunk (its entry, which its implementation samples by)", () => {
    for (const kind of modelKinds.filter((k) => !modelEntry(k).plainJs)) {
      const chunk = modelEntry(kind).sampleChunk;
      expect(chunk, kind).toBeGreaterThan(0);
      const sampling = gpuBufferParts({ kind }, [28, 28, 1]).find((p) => /sampling/.test(p.what));
      if (sampling) expect(sampling.what, kind).toContain(`${chunk} × 28 × 28`);
    }
  });

  it('has nothing to check for a model that runs without TensorFlow.js', () => {
    expect(gpuBufferParts({ kind: 'gaussian' }, [2])).toEqual([]);
  });
});
