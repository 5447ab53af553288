import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig, type ExperimentConfigInput } from '../../main/contract/config';
import { loadDataset } from '../../main/data/load-dataset';
import { readNpyAsFloat32 } from '../../main/data/npy';
import { takeRows } from '../../main/data/samples';
import { moments } from '../../main/islands/island-agent';
import { datasetSeed } from '../../main/islands/preview-split';
import { splitIslands } from '../../main/islands/split-islands';
import { genName, runExperiment } from '../../main/loop/run-experiment';
import { fitPowerLaw } from '../../main/shared/power-law';
import { gaussianIslandsSelection } from '../../main/presets/gaussian-islands-selection';
import { RunFolder } from '../../main/runs/run-folder';

/**
 * The paper's diagnosis on its Gaussian toy, through the real loop (islands in worker threads, the gaussian MLE model,
 * accumulate): d = 10, 1,000 generated and 100 kept per generation, two islands holding site-shifted copies of the
 * truth N(0, I) (the preset gaussian-islands-selection, 20 generations here).
 * - topalpha against the verifier island: Tr(Σ_t) of the kept samples falls like a power law (log-log linear, ψ > 0)
 *   and their mean is pulled to the verifier island's own mean;
 * - ot-barycenter: Tr(Σ_t) does not decay and stays of the truth's order, and the mean stays at the global centre.
 */
const GENERATIONS = 20;
const TRUTH_TRACE = 10; // Tr(I₁₀)
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-toy-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function runToy(scheme: string, params: Record<string, unknown>) {
  const input: ExperimentConfigInput = {
    ...gaussianIslandsSelection.config,
    name: `toy-${scheme}`,
    loop: { ...gaussianIslandsSelection.config.loop, generations: GENERATIONS },
    selection: { scheme: scheme as 'topalpha', reference: 'local', verifier: 0, features: 'raw', params },
    gridSamples: 16,
  };
  const config = validateConfig(input);
  const folder = new RunFolder(path.join(tmp, scheme));
  fs.mkdirSync(folder.dir);
  folder.writeJson('config.json', config);
  const now = new Date().toISOString();
  folder.writeJson('status.json', { state: 'queued', lastGeneration: -1, generations: GENERATIONS, startedAt: now, updatedAt: now });
  await runExperiment(folder);
  const lines = folder.readMetrics();
  const trace = lines.map((l) => l.varianceTrace as number);
  const means = lines.map((_, g) => {
    const { shape, data } = readNpyAsFloat32(folder.file(genName(g), 'kept.npy'));
    return moments(data, shape[0], shape[1], false).mean;
  });
  // the islands' own means, split exactly as the loop splits them
  const dataset = await loadDataset(config.dataset, datasetSeed(config.seed));
  const split = splitIslands(dataset.train, dataset.numClasses, config.islands.count, config.islands.split, config.seed);
  const islandMeans = split.indices.map((idx) => {
    const s = takeRows(dataset.train, idx);
    return moments(s.x, s.n, s.dim, false).mean;
  });
  return { trace, means, islandMeans, lines };
}

const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v, j) => s + (v - b[j]) ** 2, 0));

function logLogFit(trace: number[], from: number) {
  const t = trace.map((_, g) => g + 1).slice(from);
  const y = trace.slice(from);
  const fit = fitPowerLaw(t, y);
  // R² of log y on log t
  const ly = y.map(Math.log);
  const mean = ly.reduce((a, b) => a + b, 0) / ly.length;
  let ssTot = 0;
  let ssRes = 0;
  t.forEach((tt, i) => {
    ssTot += (ly[i] - mean) ** 2;
    ssRes += (ly[i] - (fit.intercept - fit.psi * Math.log(tt))) ** 2;
  });
  return { ...fit, r2: 1 - ssRes / ssTot };
}

describe('Gaussian toy: biased selection collapses, the barycenter reference does not', () => {
  it('topalpha against the verifier island: power-law collapse of Tr(Σ_t), mean pulled to the island', async () => {
    const r = await runToy('topalpha', {});
    const fit = logLogFit(r.trace, 1);
    console.log(
      `topalpha: Tr ${r.trace.map((v) => v.toFixed(2)).join(' ')}; ψ = ${fit.psi.toFixed(3)} ± ${fit.stderr.toFixed(3)}, R² = ${fit.r2.toFixed(3)}`,
    );
    expect(fit.psi).toBeGreaterThan(0.25);
    expect(fit.psi - 3 * fit.stderr).toBeGreaterThan(0);
    expect(fit.r2).toBeGreaterThan(0.9);
    expect(r.trace[GENERATIONS - 1]).toBeLessThan(0.35 * r.trace[0]);
    const [own, other] = r.islandMeans;
    const gap = dist(own, other);
    const last = r.means[GENERATIONS - 1];
    console.log(
      `topalpha: |mean − verifier island mean| = ${dist(last, own).toFixed(3)}, |mean − centre| = ${dist(last, new Array(10).fill(0)).toFixed(3)}, islands ${gap.toFixed(2)} apart`,
    );
    expect(dist(last, own)).toBeLessThan(0.1 * gap);
    // the selection asked only the verifier island
    for (const l of r.lines) expect(l.islandBytesSent![1]).toBe(0);
  });

  it('ot-barycenter: Tr(Σ_t) does not decay and stays of the truth’s order; the mean stays central', async () => {
    const r = await runToy('ot-barycenter', { support: 300 });
    const fit = logLogFit(r.trace, 1);
    const late = r.trace.slice(-5).reduce((a, b) => a + b, 0) / 5;
    const early = r.trace.slice(1, 6).reduce((a, b) => a + b, 0) / 5;
    const baryTrace = r.lines[0].selection?.barycenterVarianceTrace as number;
    console.log(
      `ot-barycenter: Tr ${r.trace.map((v) => v.toFixed(2)).join(' ')}; ψ = ${fit.psi.toFixed(3)} ± ${fit.stderr.toFixed(3)}; ` +
        `late/truth = ${(late / TRUTH_TRACE).toFixed(2)}; Tr(barycenter support) = ${baryTrace.toFixed(2)}`,
    );
    expect(Math.abs(fit.psi)).toBeLessThan(0.1);
    expect(late).toBeGreaterThan(0.8 * early);
    expect(late / TRUTH_TRACE).toBeGreaterThan(0.3);
    expect(late / TRUTH_TRACE).toBeLessThan(1.5);
    const [own, other] = r.islandMeans;
    const centre = own.map((v, j) => (v + other[j]) / 2);
    const last = r.means[GENERATIONS - 1];
    console.log(
      `ot-barycenter: |mean − centre| = ${dist(last, centre).toFixed(3)}, |mean − verifier island| = ${dist(last, own).toFixed(3)}`,
    );
    expect(dist(last, centre)).toBeLessThan(0.15 * dist(own, other));
    // both islands took part in the barycenter (generation 0), and it was reused afterwards
    expect(Math.min(...r.lines[0].islandBytesSent!)).toBeGreaterThan(0);
    for (const l of r.lines.slice(1)) expect(l.selection?.barycenterCached).toBe(1);
  });
});
