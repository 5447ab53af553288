import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMnist } from '../../main/data/mnist';
import { takeRows } from '../../main/data/samples';
import { loadReferenceClassifier } from '../../main/metrics/reference-classifier';
import { trainReferenceClassifier } from '../../main/metrics/reference-training';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-ref-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const { train, test } = await loadMnist();

describe('trainReferenceClassifier', () => {
  const data = takeRows(
    train,
    Array.from({ length: 1500 }, (_, i) => i),
  );

  for (const arch of ['mlp', 'cnn'] as const) {
    it(`${arch}: learns, is stored, reloads, and predicts the same as during training`, async () => {
      const dir = path.join(tmp, arch);
      const res = await trainReferenceClassifier(data, [28, 28, 1], 10, { outDir: dir, arch, epochs: arch === 'cnn' ? 2 : 5, seed: 3 });
      expect(res.arch).toBe(arch);
      expect(res.heldOutSize).toBe(150);
      expect(res.heldOutAccuracy).toBeGreaterThan(0.75);
      const clf = await loadReferenceClassifier(dir);
      expect(clf.featureDim).toBe(128);
      expect(clf.testAccuracy).toBe(res.heldOutAccuracy);
      const sample = takeRows(
        test,
        Array.from({ length: 300 }, (_, i) => i),
      );
      const out = await clf.run(sample.x, sample.n);
      let correct = 0;
      for (let i = 0; i < sample.n; i++) if (out.labels[i] === sample.labels![i]) correct++;
      expect(correct / sample.n).toBeGreaterThan(0.7);
    });
  }

  it('refuses unlabelled data and a CNN on vectors', async () => {
    await expect(trainReferenceClassifier({ x: new Float32Array(20), n: 10, dim: 2 }, [2], 2, { outDir: tmp })).rejects.toThrow(/labelled/);
    await expect(
      trainReferenceClassifier({ x: new Float32Array(20), n: 10, dim: 2, labels: new Int32Array(10) }, [2], 2, {
        outDir: tmp,
        arch: 'cnn',
      }),
    ).rejects.toThrow(/at least 16×16/);
  });
});
