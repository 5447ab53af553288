import { ConfigError, type DatasetConfig, type ExperimentConfig } from '../contract/config';
import { readHardwareAdapter, recordHardwareAdapter } from '../backend/machine-speed';
import { adapterLabel, nodeGpuInstalled } from '../backend/run-adapter';
import { checkGpuBuffers } from '../contract/gpu-memory';
import type { GpuAdapter } from '../contract/run-record';
import { planSampleMemory, type MemoryPart } from '../contract/run-plan';
import type { DatasetFacts } from '../data/dataset-kind-entry';
import { datasetEntryFor } from '../data/dataset-registry';
import { modelIsPlainJs, modelMemory } from '../contract/models/catalog';
import { schemeEntry } from '../contract/selection/catalog';
import { splitIslands } from '../islands/split-islands';
import { formatBytes, memoryLimitBytes, memoryLimitSource } from '../util/memory-limit';
import { spawnWorker } from '../util/spawn-worker';
import { InputError } from '../util/errors';
import { onnxModelPath } from '../contract/feature-space-spec';
import { checkOnnxNetworkFiles } from '../metrics/onnx-network';

/**
 * What can be checked of a run before its folder is made. `checkRunInputs` is quick (headers only, on the caller's
 * thread): every file of the dataset is a regular file with a sound header, `loop.keep` exceeds the metrics' k, and
 * the run's memory, estimated from its config, fits the memory limit. `preflightRun` (preflight-worker.ts, in a worker
 * thread) loads and validates the whole dataset and splits the islands, as the run will.
 */

export type { DatasetFacts } from '../data/dataset-kind-entry';

/**
 * Check the dataset's files (kind, header, size against shape) and return its size as the run will hold it, from the
 * config and the files' headers (the kind's registry entry); null where unknown. Throws naming the file or field.
 */
export function datasetFacts(cfg: DatasetConfig): DatasetFacts | null {
  return datasetEntryFor(cfg).facts(cfg);
}

export type { MemoryPart } from '../contract/run-plan';

/** Largest typed array this engine can allocate (V8's limit on 64-bit: 2³² elements). */
export const MAX_ARRAY_VALUES = 2 ** 32;

/**
 * The memory a run holds at its peak, from its config and its dataset's size: the samples of the run plan (the
 * dataset, the N candidates, every generation's kept samples, the largest training set its paradigm builds:
 * main/contract/run-plan.ts), the model where its entry knows its size (the Gaussian's d × d covariance), and a
 * generated toy's own parameters.
 */
export function estimateRunMemory(config: ExperimentConfig, facts: DatasetFacts): MemoryPart[] {
  const parts = planSampleMemory(config.loop, facts);
  const model = modelMemory(config.model, { dim: facts.dim });
  if (model) parts.push({ ...model, field: 'dataset.dim' });
  if (facts.generator) parts.push({ ...facts.generator, field: 'dataset.dim' });
  return parts;
}

/**
 * Refuse a config whose estimated memory exceeds the limit (or holds an array beyond the engine's largest), naming
 * the field that drives the largest part.
 */
export function checkRunMemory(config: ExperimentConfig, facts: DatasetFacts, source = 'config', limit = memoryLimitBytes()): void {
  const parts = estimateRunMemory(config, facts);
  const issues: { path: string; message: string }[] = [];
  for (const p of parts) {
    if (p.values > MAX_ARRAY_VALUES) {
      issues.push({
        path: p.field,
        message: `${p.what}: ${p.values.toExponential(2)} values in one array, more than the ${MAX_ARRAY_VALUES} an array can hold`,
      });
    }
  }
  const total = parts.reduce((s, p) => s + p.bytes, 0);
  if (issues.length === 0 && total > limit) {
    const largest = parts.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    issues.push({
      path: largest.field,
      message:
        `this run needs about ${formatBytes(total)} of memory, more than the ${formatBytes(limit)} available (${memoryLimitSource()}); ` +
        `the largest part: ${largest.what}, ${formatBytes(largest.bytes)}`,
    });
  }
  if (issues.length > 0) throw new ConfigError(source, issues);
}

/**
 * The quick checks before a run's folder is made (headers only; a few small reads on the caller's thread). Throws a
 * ConfigError naming the field, or an Error naming the file.
 */
export function checkRunInputs(config: ExperimentConfig, source = 'config'): void {
  if (config.loop.keep <= config.metrics.k) {
    throw new ConfigError(source, [
      {
        path: 'loop.keep',
        message: `the k-NN metrics need more than metrics.k = ${config.metrics.k} kept samples per generation, got ${config.loop.keep}`,
      },
    ]);
  }
  // an ONNX feature network: its file, declaration and onnxruntime, before any training
  for (const [field, spec] of [
    ['metrics.features', config.metrics.features],
    ['selection.features', config.selection.features],
  ] as const) {
    const onnx = spec === undefined ? undefined : onnxModelPath(spec);
    if (onnx === undefined) continue;
    try {
      checkOnnxNetworkFiles(onnx);
    } catch (e) {
      throw new ConfigError(source, [{ path: field, message: (e as Error).message }]);
    }
  }
  let facts: DatasetFacts | null;
  try {
    facts = datasetFacts(config.dataset);
  } catch (e) {
    // the files the config names cannot be used (missing, truncated, of another format): the request's input, not ours
    throw e instanceof ConfigError ? e : new InputError((e as Error).message, { cause: e });
  }
  if (facts) checkRunMemory(config, facts, source);
}

/**
 * A study cell's model against the buffer limits of the GPU adapter its runs would use (main/contract/gpu-memory.ts),
 * from the sample shape known before loading: a packaged dataset's, the images' of the files' headers, or the
 * vectors'. A gzipped IDX file's shape is known only once inflated: such a cell is checked by its runs' backend.
 */
export function checkRunGpuMemory(config: ExperimentConfig, adapter: GpuAdapter, source: string): void {
  if (modelIsPlainJs(config.model.kind)) return;
  const entry = datasetEntryFor(config.dataset);
  let shape: readonly number[] | undefined = entry.officialSplit?.shape;
  if (!shape) {
    const facts = datasetFacts(config.dataset);
    if (!facts) return;
    const images = entry.samplesAreImages(config.dataset as unknown as Record<string, unknown>);
    shape = facts.imageShape ?? (images ? undefined : [facts.dim]);
  }
  if (shape) checkGpuBuffers(config.model, shape, adapter, adapterLabel(adapter), source);
}

/**
 * The full check before a run's folder is made, in a worker thread (never on the caller's event loop): the dataset
 * loaded and validated, the islands split, the test split large enough for the k-NN metrics, and on `backend`
 * webgpu (or `auto` where it would pick webgpu) the model's largest tensor within the adapter's buffer limits
 * (main/contract/gpu-memory.ts). Rejects with the problem; `signal` or the time-out (default 10 minutes) abandon it,
 * terminating the worker. With `workspace`, what a probe of the adapters found is kept for the host
 * (main/backend/run-adapter.ts), and a known answer spares loading Dawn.
 */
export function preflightRun(
  config: ExperimentConfig,
  opts: { signal?: AbortSignal; timeoutMs?: number; backend?: string; workspace?: string } = {},
): Promise<void> {
  if (opts.signal?.aborted) return Promise.reject(new Error('the run was cancelled before it started'));
  const ds = config.dataset;
  // on webgpu, a TensorFlow.js model's tensors are checked against the adapter's buffer limits in the worker; under
  // auto too, unless this host is known to have no hardware adapter (or auto would try CUDA first)
  const known = opts.backend === 'auto' && opts.workspace ? readHardwareAdapter(opts.workspace) : undefined;
  const gpuCheck =
    !modelIsPlainJs(config.model.kind) && (opts.backend === 'webgpu' || (opts.backend === 'auto' && known !== null && !nodeGpuInstalled()));
  if (!gpuCheck && ds.kind === 'gaussian' && !ds.cov && (!ds.truth || ds.truth === 'generating') && !usesGivenTarget(config)) {
    // generated from the config alone, unlabelled, identity covariance: what the worker would check is known without
    // drawing a sample (drawing a large toy twice would double its start); a given covariance, a declared truth other
    // than the generating distribution and a given verifier target are checked in the worker
    try {
      const mean = ds.mean;
      if (mean && mean.length !== ds.dim) {
        throw new ConfigError('config', [{ path: 'dataset.mean', message: `has ${mean.length} entries but dataset.dim is ${ds.dim}` }]);
      }
      const bad = mean?.findIndex((v) => !Number.isFinite(v)) ?? -1;
      if (bad >= 0) throw new ConfigError('config', [{ path: `dataset.mean.${bad}`, message: 'is not a finite number' }]);
      const testRows = Math.min(ds.testSize, config.metrics.maxSamples);
      if (testRows <= config.metrics.k) {
        throw new ConfigError('config', [
          {
            path: 'dataset.testSize',
            message: `the k-NN metrics need more than metrics.k = ${config.metrics.k} test samples, got ${ds.testSize}`,
          },
        ]);
      }
      splitIslands({ n: ds.trainSize }, 0, config.islands.count, config.islands.split, config.seed);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }
  const worker = spawnWorker(new URL('./preflight-worker.ts', import.meta.url), {
    workerData: { config, backend: gpuCheck ? opts.backend : undefined, known },
    resourceLimits: { maxOldGenerationSizeMb: 4096 },
  });
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const end = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    const timeoutMs = opts.timeoutMs ?? 600_000;
    const timer = setTimeout(
      () => end(new Error(`checking the run's dataset took longer than ${Math.round(timeoutMs / 1000)} s`)),
      timeoutMs,
    );
    const onAbort = () => end(new Error('the run was cancelled before it started'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on(
      'message',
      (m: { ok?: boolean; error?: string; issues?: { path: string; message: string }[]; probed?: GpuAdapter | null }) => {
        // kept for the host once the run is accepted (a refused run leaves its workspace as it found it)
        if (m.probed !== undefined && opts.workspace && m.error === undefined) recordHardwareAdapter(opts.workspace, m.probed);
        end(m.error === undefined ? undefined : m.issues?.length ? new ConfigError('config', m.issues) : new InputError(m.error));
      },
    );
    worker.on('error', (e) => end(new Error(`checking the run's dataset failed: ${e.message}`)));
    worker.on('exit', (code) => end(new Error(`checking the run's dataset stopped (exit code ${code})`)));
  });
}

/** The run's verifier aims at a given mean and covariance (checked against the selection features in the worker). */
function usesGivenTarget(config: ExperimentConfig): boolean {
  return config.selection.target?.kind === 'given' && schemeEntry(config.selection.scheme).usesTarget;
}
