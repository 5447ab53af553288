import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/contract/config';
import { stageSecondsKeys } from '../../main/contract/run-record';
import { readNpy, writeNpySync } from '../../main/data/npy';
import { runExperiment } from '../../main/loop/run-experiment';
import { CancelledError } from '../../main/models/generative-model';
import { Rng } from '../../main/util/random';
import { queuedRunFolder } from './queued-run-folder';

/**
 * A class-conditional generator in the loop (config model.perClass): the candidates carry their class, each class
 * keeps its share from its own pool, the kept samples' classes are written beside them, and a killed run resumes
 * from them to the lines of an uninterrupted run.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-per-class-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// three classes in 2-D around (0, 0), (6, 0), (0, 6)
const rng = new Rng(4);
const n = 300;
const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
const x = Float32Array.from({ length: 2 * n }, (_, q) => rng.normal() + (labels[q >> 1] === (q % 2) + 1 ? 6 : 0));
writeNpySync(path.join(tmp, 'x.npy'), x, [n, 2]);
writeNpySync(path.join(tmp, 'y.npy'), labels, [n]);

const config = validateConfig({
  name: 'per-class',
  seed: 3,
  dataset: { kind: 'npy', path: path.join(tmp, 'x.npy'), labels: path.join(tmp, 'y.npy'), testFraction: 0.2 },
  islands: { count: 3, split: 'exdir:1,0.1' },
  model: { kind: 'gaussian', params: {}, perClass: true },
  loop: { generations: 4, paradigm: 'replace', keep: 30, ratio: 2 },
  selection: { scheme: 'covmatch', reference: 'per-island', features: 'raw', params: { components: 2 } },
  metrics: { downstream: false, maxSamples: 60, compute: ['meanDistance', 'modelVarianceTrace'] },
  gridSamples: 4,
  storage: 'all',
});

const science = (lines: Record<string, unknown>[]) =>
  lines.map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => ![...stageSecondsKeys, 'seconds'].includes(k))));

describe('a per-class model in the loop', () => {
  it('keeps each class’s share from its own pool, writes the kept classes, and resumes from them', async () => {
    const whole = queuedRunFolder(path.join(tmp, 'whole'), config);
    await runExperiment(whole);
    for (let g = 0; g < 4; g++) {
      const kept = readNpy(whole.file(`gen-00${g}`, 'kept.npy'));
      const classes = readNpy(whole.file(`gen-00${g}`, 'kept-labels.npy')).data as Int32Array;
      expect([0, 1, 2].map((c) => classes.filter((l) => l === c).length)).toEqual([10, 10, 10]);
      // every kept sample of class c lies near class c's centre: drawn from class c's model
      const k = kept.data as Float32Array;
      for (let i = 0; i < 30; i++) {
        const c = classes[i];
        expect(Math.hypot(k[2 * i] - (c === 1 ? 6 : 0), k[2 * i + 1] - (c === 2 ? 6 : 0))).toBeLessThan(5);
      }
    }
    expect(whole.readMetrics()[0].selection).toMatchObject({ classPools: 3, references: [1, 1, 1] });
    // the selection's per-class covariance gap, every generation (a resumed run records the same)
    for (const line of whole.readMetrics()) expect(line.classCovarianceGap).toBeGreaterThanOrEqual(0);

    const killed = queuedRunFolder(path.join(tmp, 'killed'), config);
    const controller = new AbortController();
    await expect(
      runExperiment(killed, { signal: controller.signal, onGeneration: (g) => g === 1 && controller.abort() }),
    ).rejects.toBeInstanceOf(CancelledError);
    await runExperiment(killed);
    expect(science(killed.readMetrics())).toEqual(science(whole.readMetrics()));
  }, 60_000);
});
