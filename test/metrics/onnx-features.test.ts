import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNpyAsFloat32 } from '../../main/data/npy';
import { gaussianStats } from '../../main/metrics/covariance';
import { makeFeatureExtractor } from '../../main/metrics/feature-space';
import { frechetDistance } from '../../main/metrics/fid';
import { computeGenerationMetrics } from '../../main/metrics/generation-metrics';
import { resizeBilinearPlanar } from '../../main/metrics/image-resize';
import { OnnxFeatureNetwork } from '../../main/metrics/onnx-network';

// A small network exported to ONNX by make_onnx_features.py, with its features and FID computed in PyTorch on the same
// images after the same resize and normalisation (issue 27: features to 1e-5, FID to 1e-4 relative).
const DIR = join(import.meta.dirname, '../fixtures/metrics/onnx');
const MODEL = join(DIR, 'tiny-features.onnx');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  featureDim: number;
  weightsSha256: string;
  featuresA: number[][];
  featuresB: number[][];
  featuresGrey: number[][];
  fid: number;
};
const tmp = mkdtempSync(join(tmpdir(), 'onnx-features-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function images(name: string) {
  const a = readNpyAsFloat32(join(DIR, name));
  return { x: a.data, n: a.shape[0], dim: a.shape[1] };
}

function maxAbsDiff(got: ArrayLike<number>, want: number[][]): number {
  const flat = want.flat();
  expect(got.length).toBe(flat.length);
  let m = 0;
  for (let i = 0; i < flat.length; i++) m = Math.max(m, Math.abs(got[i] - flat[i]));
  return m;
}

describe('onnx:PATH features', () => {
  it('match PyTorch: features to 1e-5, FID to 1e-4 relative, colour and grey, in batches', async () => {
    const a = images('images-a.npy');
    const b = images('images-b.npy');
    const ex = await makeFeatureExtractor(`onnx:${MODEL}`, a.dim, { shape: [12, 12, 3] });
    expect(ex.dim).toBe(12);
    expect(ex.identity).toMatchObject({
      network: 'tiny-features',
      family: 'other',
      layer: 'global-average-pool',
      weightsSha256: expected.weightsSha256,
      inputSize: [16, 16],
      featureDim: 12,
    });
    expect(ex.identity.preprocessing).toBe('bilinear to 16×16, rgb, (x − [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225]');
    const fa = await ex.apply(a.x, a.n);
    const fb = await ex.apply(b.x, b.n);
    expect(maxAbsDiff(fa, expected.featuresA)).toBeLessThan(1e-5);
    expect(maxAbsDiff(fb, expected.featuresB)).toBeLessThan(1e-5);
    const fid = frechetDistance(gaussianStats(fa, a.n, 12), gaussianStats(fb, b.n, 12), 12);
    expect(Math.abs(fid - expected.fid) / expected.fid).toBeLessThan(1e-4);

    const grey = images('images-grey.npy');
    const eg = await makeFeatureExtractor(`onnx:${MODEL}`, grey.dim, { shape: [20, 20, 1] });
    expect(maxAbsDiff(await eg.apply(grey.x, grey.n), expected.featuresGrey)).toBeLessThan(1e-5);
  });

  it("give the run's metrics their fingerprint, the FID being PyTorch's", async () => {
    const a = images('images-a.npy');
    const b = images('images-b.npy');
    const m = await computeGenerationMetrics({
      generated: b,
      test: a,
      shape: [12, 12, 3],
      numClasses: 0,
      datasetName: '',
      features: `onnx:${MODEL}`,
      downstream: false,
    });
    expect(Math.abs(m.fid! - expected.fid) / expected.fid).toBeLessThan(1e-4);
    expect(m.featureDim).toBe(12);
    expect(m.featureFingerprint).toMatchObject({
      network: 'tiny-features',
      nReal: 40,
      nGenerated: 40,
      featureDim: 12,
      space: `onnx:${MODEL}`,
    });
  });

  it('resizes as F.interpolate(bilinear, align_corners=False): a 2×2 image to 4×4 and 3×3 to 2×2', () => {
    // PyTorch: F.interpolate(torch.tensor([[[[0., 1.], [2., 3.]]]]), size=(4, 4), mode='bilinear', align_corners=False)
    const up = resizeBilinearPlanar(Float32Array.from([0, 1, 2, 3]), 1, 2, 2, 4, 4);
    expect(Array.from(up)).toEqual([0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]);
    // F.interpolate(torch.arange(9.).view(1, 1, 3, 3), size=(2, 2), mode='bilinear', align_corners=False)
    const down = resizeBilinearPlanar(
      Float32Array.from({ length: 9 }, (_, i) => i),
      1,
      3,
      3,
      2,
      2,
    );
    expect(Array.from(down)).toEqual([1, 2.5, 5.5, 7]);
  });

  it('names a missing file, a missing or invalid declaration, a declaration that contradicts the model, and a wrong input', async () => {
    await expect(OnnxFeatureNetwork.load(join(tmp, 'none.onnx'))).rejects.toThrow(/the ONNX feature network .*none\.onnx does not exist/);
    const bare = join(tmp, 'bare.onnx');
    cpSync(MODEL, bare);
    await expect(OnnxFeatureNetwork.load(bare)).rejects.toThrow(/has no declaration .*bare\.onnx\.json.*export_feature_networks\.py/);
    writeFileSync(`${bare}.json`, JSON.stringify({ name: 'x', layer: 'y', inputSize: [16] }));
    await expect(OnnxFeatureNetwork.load(bare)).rejects.toThrow(/the declaration .*bare\.onnx\.json is invalid: inputSize/);

    const wrong = join(tmp, 'wrong.onnx');
    cpSync(MODEL, wrong);
    writeFileSync(`${wrong}.json`, JSON.stringify({ name: 'x', layer: 'y', inputSize: [299, 299] }));
    await expect(OnnxFeatureNetwork.load(wrong)).rejects.toThrow(
      /wrong\.onnx\.json declares an input of 299×299 but the model takes \[n, 3, 16, 16\]/,
    );

    const strict = join(tmp, 'strict.onnx');
    cpSync(MODEL, strict);
    writeFileSync(`${strict}.json`, JSON.stringify({ name: 'x', layer: 'y', inputSize: [16, 16], resize: 'none' }));
    const net = await OnnxFeatureNetwork.load(strict);
    await expect(net.features(new Float32Array(12 * 12 * 3), 1, [12, 12, 3])).rejects.toThrow(
      /takes 16×16 images and its declaration says resize "none"; these are 12×12/,
    );
    await expect(net.features(new Float32Array(5), 1, [5])).rejects.toThrow(/takes images; these samples are vectors of 5 values/);

    const junk = join(tmp, 'junk.onnx');
    writeFileSync(junk, 'not a model');
    writeFileSync(`${junk}.json`, JSON.stringify({ name: 'x', layer: 'y', inputSize: [16, 16] }));
    await expect(OnnxFeatureNetwork.load(junk)).rejects.toThrow(/junk\.onnx is not an ONNX model onnxruntime can run/);
  });
});

describe('without onnxruntime-node', () => {
  it('onnx features give a named error', async () => {
    const { loadOnnxRuntime } = await import('../../main/metrics/onnx-network');
    expect(() => loadOnnxRuntime('onnxruntime-node-not-here')).toThrow(
      /^onnxruntime-node is not installed: .*npm install onnxruntime-node.*raw, reference and pca:K work without it/,
    );
  });
});
