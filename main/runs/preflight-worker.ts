import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError, type ExperimentConfig } from '../contract/config';
import { pcaComponents } from '../contract/feature-space-spec';
import { checkNotConstant, dimOf, isImageShape, type Dataset } from '../data/samples';
import { loadRunIslands } from '../islands/preview-split';
import { builtinReferenceDir, defaultFeatureSpec } from '../metrics/reference-dir';
import { schemeEntry } from '../contract/selection/catalog';
import { givenMoments } from '../selection/verifier-target';
import { checkGpuBuffers } from '../contract/gpu-memory';
import { modelIsPlainJs } from '../contract/models/catalog';
import type { GpuAdapter } from '../contract/run-record';
import { adapterLabel, webgpuAdapterFor } from '../backend/run-adapter';

/**
 * Worker entry of a run's preflight (main/runs/preflight.ts): loads and validates the run's dataset and splits its
 * islands exactly as the run will (the readers refuse non-finite and huge values, naming the file and the element),
 * then checks what the run needs of it: neither split constant, a test split large enough for the k-NN metrics, a
 * given verifier target of the selection features' shape; so a bad run is refused before its folder exists. Off the
 * caller's event loop, and terminated on cancel or time-out. Posts { ok: true } or { error }, with the field issues
 * of a ConfigError (e.g. a subset beyond the data). For a run on the webgpu backend, the model's largest tensor is
 * checked against the adapter's buffer limits (main/contract/gpu-memory.ts), the adapter asked for once through
 * main/backend/webgpu.ts (no device is created).
 */
const { config, backend, known } = workerData as { config: ExperimentConfig; backend?: string; known?: GpuAdapter | null };
/** What a probe of the adapters found here, for the host's cache (main/backend/run-adapter.ts). */
let probed: GpuAdapter | null | undefined;

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
  // a constant split has a zero covariance: the model has nothing to learn and the metrics nothing to compare
  checkNotConstant(ds.train, `${ds.name}, training split`);
  checkNotConstant(ds.test, `${ds.name}, test split`);
  checkGivenTarget(config, ds);
  if (backend && !modelIsPlainJs(config.model.kind)) await checkWebgpuBuffers(config, ds.shape);
  parentPort?.postMessage({ ok: true, ...(probed !== undefined ? { probed } : {}) });
} catch (e) {
  parentPort?.postMessage({
    error: (e as Error)?.message ?? String(e),
    ...(e instanceof ConfigError ? { issues: e.issues } : {}),
    ...(probed !== undefined ? { probed } : {}),
  });
}

/** A given verifier target against the dimension of the selection features (raw, pca:K or the reference classifier's). */
function checkGivenTarget(cfg: ExperimentConfig, ds: Dataset): void {
  const target = cfg.selection.target;
  if (target?.kind !== 'given' || !schemeEntry(cfg.selection.scheme).usesTarget) return;
  const spec = cfg.selection.features ?? defaultFeatureSpec(cfg.dataset.kind, isImageShape(ds.shape));
  const k = pcaComponents(spec);
  let dim = k ?? dimOf(ds.shape);
  if (spec === 'reference') {
    const dir = builtinReferenceDir(cfg.dataset.kind);
    if (!dir) return; // the run refuses reference features without a classifier, naming selection.features
    dim = (JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { featureDim: number }).featureDim;
  }
  try {
    givenMoments(target, dim);
  } catch (e) {
    throw new ConfigError('config', [{ path: 'selection.target', message: (e as Error).message }]);
  }
}

/**
 * The model's largest tensor against the buffer limits of the adapter the run would use (`webgpu`: any; `auto`: the
 * hardware one, as the host's cache knows it or a probe finds). Where Dawn finds no adapter, the run's own backend
 * choice names why; nothing is refused here.
 */
async function checkWebgpuBuffers(cfg: ExperimentConfig, shape: readonly number[]): Promise<void> {
  const answer = await webgpuAdapterFor(backend!, known);
  probed = answer.probed;
  if (!answer.adapter) return;
  checkGpuBuffers(cfg.model, shape, answer.adapter, adapterLabel(answer.adapter));
}
