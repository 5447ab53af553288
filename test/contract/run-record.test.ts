import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig, type ExperimentConfigInput } from '../../main/contract/config';
import { metricCatalog } from '../../main/contract/metric-catalog';
import { islandsRecord, metricsLine, runStatus } from '../../main/contract/run-record';
import { initBackend } from '../../main/backend/select-backend';
import { runExperiment } from '../../main/loop/run-experiment';
import { classStats } from '../../main/metrics/histograms';
import { NearestCentroid } from '../../main/metrics/nearest-centroid';
import { RunFolder } from '../../main/runs/run-folder';

/** What a run writes, typed once (main/contract/run-record.ts): the engine writes through the schemas, readers parse. */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-run-record-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let count = 0;
function newFolder(): RunFolder {
  const folder = new RunFolder(path.join(tmp, `run-${count++}`));
  fs.mkdirSync(folder.dir);
  return folder;
}

async function tinyRun(input: ExperimentConfigInput): Promise<RunFolder> {
  await initBackend('cpu');
  const config = validateConfig(input);
  const folder = newFolder();
  folder.writeQueued(config);
  await runExperiment(folder);
  return folder;
}

const mixture = { weights: [0.5, 0.5], means: [[-2], [2]], covs: [0.25, 0.25] };

describe('the run record', () => {
  it('a real run’s metrics lines parse, every numeric field is a catalog metric, and the records parse', async () => {
    // a labelled toy without a reference classifier (nearest-centroid class histogram) and a model with diagnostics
    const folder = await tinyRun({
      name: 'record',
      seed: 3,
      dataset: { kind: 'gaussian-mixture', dim: 1, ...mixture, trainSize: 300, testSize: 300 },
      islands: { count: 2, split: 'iid' },
      model: { kind: 'diffusion-exact', params: { components: 2, steps: 20, truth: mixture, hermiteModes: 4 } },
      loop: { generations: 3, paradigm: 'mixed:0.2', keep: 100, ratio: 2 },
      selection: { scheme: 'random' },
      gridSamples: 16,
    });
    const text = fs.readFileSync(folder.file('metrics.jsonl'), 'utf8').trim().split('\n');
    expect(text).toHaveLength(3);
    const catalogKeys = new Set<string>(metricCatalog.map((m) => m.key));
    const declared = new Set(Object.keys(metricsLine.shape));
    for (const raw of text) {
      const json = JSON.parse(raw) as Record<string, unknown>;
      const parsed = metricsLine.safeParse(json);
      expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true);
      // nothing the loop writes falls to the open-ended extras: every field is declared by the schema
      expect(Object.keys(json).filter((k) => !declared.has(k))).toEqual([]);
      // a metric is named once: every numeric field but the generation index is in the catalog
      const numeric = Object.keys(json).filter((k) => typeof json[k] === 'number' && k !== 'generation');
      expect(numeric.filter((k) => !catalogKeys.has(k))).toEqual([]);
    }
    const lines = folder.readMetrics();
    expect(lines.map((l) => l.generation)).toEqual([0, 1, 2]);
    for (const l of lines) {
      expect(l.islandBytesSentTotal).toBe(l.islandBytesSent!.reduce((a, b) => a + b, 0));
      expect(l.selection?.features).toBe('raw');
      expect(typeof l.w2).toBe('number');
      expect(typeof l.truncationDelta).toBe('number');
      expect(l.hermiteEnergy).toHaveLength(5);
      // the nearest-centroid path: counts, and classes covered by the one rule (≥ a tenth of the uniform share)
      expect(l.classifier).toBe('nearest-centroid');
      const counts = l.classHistogram!;
      const total = counts.reduce((a, b) => a + b, 0);
      expect(total).toBe(l.kept);
      expect(l.classesCovered).toBe(counts.filter((c) => c / total >= 0.1 / counts.length).length);
    }
    expect(folder.lastCompletedGeneration()).toBe(2);
    expect(islandsRecord.parse(folder.readIslands())).toMatchObject({
      split: 'iid',
      numClasses: 2,
      classNames: ['component 0', 'component 1'],
    });
    expect(folder.readIslands()!.islands.map((i) => i.size)).toEqual([150, 150]);
    expect(runStatus.parse(folder.readStatus()).lastGeneration).toBe(2);
  });

  it('a corrupt metrics line is an error naming the file and the line', () => {
    const folder = newFolder();
    folder.appendMetrics({ generation: 0, fid: 1 });
    const file = folder.file('metrics.jsonl');
    fs.appendFileSync(file, '{"generation": 1, "fid": 2\n');
    expect(() => folder.readMetrics()).toThrow(`${file} line 2: not JSON`);
    fs.writeFileSync(file, '{"generation":0,"fid":1}\n\n{"generation":1,"fid":"x"}\n');
    expect(() => folder.readMetrics()).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line 3: fid: .*expected number`));
    fs.writeFileSync(file, '{"fid":1}\n');
    expect(() => folder.readMetrics()).toThrow(/line 1: generation: /);
  });

  it('refuses to write a line with a field of the wrong type, naming the field, and writes nothing', () => {
    const folder = newFolder();
    expect(() => folder.appendMetrics({ generation: 0, fid: 'x' as unknown as number })).toThrow(
      /metrics line of generation 0: fid: .*expected number/,
    );
    expect(() => folder.appendMetrics({ generation: 0, myDiagnostic: 'text' })).toThrow(/myDiagnostic: an extra \(model-specific\) metric/);
    expect(() => folder.appendMetrics({ generation: 0, selection: { features: 'raw', note: { a: 1 } as never } })).toThrow(
      /selection\.note: /,
    );
    expect(() => folder.appendMetrics({ generation: 0, classifier: 'knn' as never })).toThrow(/classifier: /);
    expect(fs.existsSync(folder.file('metrics.jsonl'))).toBe(false);
    // a model's own extras (a number or numbers) are kept; NaN and ±∞ are written as JSON writes them, null
    folder.appendMetrics({ generation: 0, trainLoss: NaN, fid: Infinity, myDiagnostic: 2, myModes: [1, 2] });
    expect(fs.readFileSync(folder.file('metrics.jsonl'), 'utf8')).toBe(
      '{"generation":0,"trainLoss":null,"fid":null,"myDiagnostic":2,"myModes":[1,2]}\n',
    );
    expect(folder.readMetrics()).toEqual([{ generation: 0, trainLoss: null, fid: null, myDiagnostic: 2, myModes: [1, 2] }]);
  });

  it('status, environment and islands are read and written through their schemas, with the file and field named', () => {
    const folder = newFolder();
    const now = new Date().toISOString();
    expect(() =>
      folder.writeJson('status.json', { state: 'bogus', lastGeneration: -1, generations: 1, startedAt: now, updatedAt: now }),
    ).toThrow(/status\.json: state: /);
    folder.writeJson('status.json', { state: 'queued', lastGeneration: -1, generations: 1, startedAt: now, updatedAt: now });
    expect(folder.updateStatus({ state: 'running', pid: 1 })).toMatchObject({ state: 'running', pid: 1 });
    fs.writeFileSync(
      folder.file('status.json'),
      JSON.stringify({ state: 'running', lastGeneration: 'x', generations: 1, startedAt: now, updatedAt: now }),
    );
    expect(() => folder.readStatus()).toThrow(/status\.json: lastGeneration: /);
    fs.writeFileSync(folder.file('status.json'), '{');
    expect(() => folder.readStatus()).toThrow(/cannot read status\.json/);
    expect(folder.readEnvironment()).toBeNull();
    expect(() =>
      folder.writeJson('islands.json', { split: 'iid', numClasses: 2, classNames: null, islands: [{ size: -1, classCounts: [] }] }),
    ).toThrow(/islands\.json: islands\.0\.size: /);
  });
});

describe('classesCovered: one definition on both class-histogram paths', () => {
  it('the nearest-centroid path counts a class only with at least a tenth of its uniform share', () => {
    // four classes at distinct centres on the line
    const centres = [0, 10, 20, 30];
    const train = { x: Float32Array.from(centres), n: 4, dim: 1, labels: Int32Array.from([0, 1, 2, 3]) };
    const nc = NearestCentroid.fit(train, 4);
    // 200 samples of class 0, 100 of class 1, 1 of class 2 (1/301 < 0.1/4), none of class 3
    const values = [...Array(200).fill(0.5), ...Array(100).fill(10.5), 20.5];
    const m = nc.classMetrics(Float32Array.from(values), values.length);
    expect(m.classHistogram).toEqual([200, 100, 1, 0]);
    expect(m.classesCovered).toBe(2); // not 3: a single stray sample does not cover its class
    // the same rule (and the same entropy) as the reference classifier's metrics from the same predictions
    const labels = nc.predict(Float32Array.from(values), values.length);
    const reference = classStats(labels, 4);
    expect(m.classesCovered).toBe(reference.classesCovered);
    expect(m.classEntropy).toBe(reference.classEntropy);
    // at the threshold exactly: 1 of 40 samples is a tenth of the uniform share of 4 classes
    const edge = [...Array(39).fill(0.5), 10.5];
    expect(nc.classMetrics(Float32Array.from(edge), 40).classesCovered).toBe(2);
  });
});
