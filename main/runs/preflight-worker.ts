import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError, type ExperimentConfig } from '../contract/config';
import { loadRunIslands } from '../islands/preview-split';

/**
 * Worker entry of a run's preflight (main/runs/preflight.ts): loads and validates the run's dataset and splits its
 * islands exactly as the run will, and checks that the test split is large enough for the k-NN metrics, so that a
 * bad dataset is refused before the run's folder exists. Off the caller's event loop, and terminated on cancel or
 * time-out. Posts { ok: true } or { error }, with the field issues of a ConfigError (e.g. a subset beyond the data).
 */
const { config } = workerData as { config: ExperimentConfig };

try {
  const { ds } = await loadRunIslands({ dataset: config.dataset, islands: config.islands, seed: config.seed });
  const k = config.metrics.k;
  const testRows = Math.min(ds.test.n, config.metrics.maxSamples);
  if (testRows <= k) {
    throw new Error(
      `the test split of ${ds.name} holds ${ds.test.n} samples, and the k-NN metrics need more than metrics.k = ${k}; ` +
        'use a larger dataset, a larger dataset.testFraction (or test files), or a smaller metrics.k',
    );
  }
  parentPort?.postMessage({ ok: true });
} catch (e) {
  parentPort?.postMessage({ error: (e as Error)?.message ?? String(e), ...(e instanceof ConfigError ? { issues: e.issues } : {}) });
}
