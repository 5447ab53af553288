import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../backend/select-backend';
import { computeGenerationMetrics, prepareGenerationMetrics, type GenerationMetricsInput } from './generation-metrics';
import type { MetricsThreadData, MetricsThreadReply, MetricsThreadRequest } from './metrics-thread';
import type { MetricComputation } from '../contract/metric-selection';

/**
 * Worker entry of a run's metrics thread (main/metrics/metrics-thread.ts): the run's backend on one thread, the
 * reference side prepared for the first generation, then each generation's metrics in the order they come.
 */
const data = workerData as MetricsThreadData;
const { compute, ...rest } = data.input;
const runInput: Omit<GenerationMetricsInput, 'generated' | 'seed' | 'model'> = {
  ...rest,
  ...(compute ? { compute: new Set<MetricComputation>(compute) } : {}),
};

const ready = (async () => {
  // the run's own backend, on one thread (the run's thread trains on the cores); `js` runs start one only if a
  // classifier needs it, as in the run's thread
  if (data.backend !== 'js') await initBackend(data.backend as 'wasm' | 'cpu', { wasmThreads: 1 });
  // the reference side while the first generation trains; a failure here is the first measure's own to report
  await prepareGenerationMetrics({ ...runInput, seed: data.firstSeed }).catch(() => undefined);
})().then(
  () => null,
  (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
);

let turn: Promise<unknown> = Promise.resolve();
parentPort?.on('message', (m: MetricsThreadRequest) => {
  if (m.type !== 'measure') return;
  turn = turn.then(async () => {
    let reply: MetricsThreadReply;
    try {
      const failed = await ready;
      if (failed) throw failed;
      reply = {
        type: 'measured',
        id: m.id,
        metrics: await computeGenerationMetrics({
          ...runInput,
          generated: m.generated,
          seed: m.seed,
          ...(m.generatedFeatures ? { generatedFeatures: m.generatedFeatures } : {}),
        }),
      };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      reply = { type: 'failed', id: m.id, name: err.name, message: err.message };
    }
    parentPort?.postMessage(reply);
  });
});
