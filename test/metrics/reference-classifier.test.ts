import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fashionMnistAvailable, loadFashionMnist } from '../../main/data/fashion-mnist';
import { loadMnist, type ImageSplit } from '../../main/data/mnist';
import { builtinReferenceDir, loadReferenceClassifier } from '../../main/metrics/reference-classifier';

interface Check {
  labels: number[];
  images: number[][];
  logits: number[][];
  features: number[][];
}

const datasets: { name: string; minAccuracy: number; load: () => Promise<ImageSplit>; available: boolean }[] = [
  { name: 'mnist', minAccuracy: 0.99, load: loadMnist, available: true },
  { name: 'fashion-mnist', minAccuracy: 0.9, load: loadFashionMnist, available: fashionMnistAvailable() },
];

describe('shipped reference classifiers (TensorFlow.js inference)', () => {
  for (const ds of datasets) {
    it(`${ds.name}: logits and features match PyTorch on the check images`, async () => {
      const dir = builtinReferenceDir(ds.name);
      expect(dir, `resources/reference/${ds.name} is missing: run npm run train:reference`).toBeDefined();
      const clf = await loadReferenceClassifier(dir!);
      const check = JSON.parse(readFileSync(join(dir!, 'check.json'), 'utf8')) as Check;
      const n = check.images.length;
      const x = Float32Array.from(check.images.flat(), (v) => v / 255);
      const out = await clf.run(x, n);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < clf.numClasses; c++) {
          expect(Math.abs(out.logits[i * clf.numClasses + c] - check.logits[i][c])).toBeLessThan(2e-4 * (1 + Math.abs(check.logits[i][c])));
        }
        for (let f = 0; f < clf.featureDim; f++) {
          expect(Math.abs(out.features[i * clf.featureDim + f] - check.features[i][f])).toBeLessThan(
            2e-4 * (1 + Math.abs(check.features[i][f])),
          );
        }
      }
    });

    it.skipIf(!ds.available)(`${ds.name}: test accuracy ≥ ${ds.minAccuracy}`, async () => {
      const clf = await loadReferenceClassifier(builtinReferenceDir(ds.name)!);
      const { test } = await ds.load();
      const out = await clf.run(test.x, test.n);
      let correct = 0;
      for (let i = 0; i < test.n; i++) if (out.labels[i] === test.labels[i]) correct++;
      const acc = correct / test.n;
      expect(acc).toBeGreaterThanOrEqual(ds.minAccuracy);
      // and it is the accuracy recorded beside the weights (same network, float32 arithmetic)
      expect(Math.abs(acc - (clf.testAccuracy ?? 0))).toBeLessThan(0.002);
    });
  }
});
