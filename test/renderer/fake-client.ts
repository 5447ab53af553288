import type { ApiOperation, ApiRequestInput, ApiResponse, CatalogInfo, RunEvent } from '../../main/contract/api';
import { ApiCallError, type LabClient } from '../../renderer/src/api/client';
import { findPreset, presets } from '../../main/presets';
import { catalogInfo } from '../../main/api/catalog-info';

/** A scripted LabClient for the renderer's tests: answers from `handlers`, records every call, emits events. */
export interface FakeClient extends LabClient {
  calls: { op: string; request: unknown }[];
  handlers: Partial<{ [Op in ApiOperation]: (req: ApiRequestInput<Op>) => ApiResponse<Op> | Promise<ApiResponse<Op>> }>;
  emit(e: RunEvent): void;
}

export function catalogFixture(): CatalogInfo {
  return catalogInfo('/tmp/ws', 'auto', [
    { kind: 'mnist', label: 'MNIST', available: true },
    { kind: 'fashion-mnist', label: 'Fashion-MNIST', available: false, reason: 'not installed' },
    { kind: 'gaussian', label: 'Gaussian', available: true },
  ]);
}

export function fakeClient(handlers: FakeClient['handlers'] = {}): FakeClient {
  const listeners = new Set<(e: RunEvent) => void>();
  const client: FakeClient = {
    door: 'server',
    calls: [],
    handlers: {
      'presets.list': () => ({ presets: presets.map((p) => ({ ...p })) }),
      'catalog.get': () => catalogFixture(),
      'runs.list': () => ({ workspace: '/tmp/ws', runs: [] }),
      // the engine's previews (the wizard checks a config with them before launch): a tiny valid answer
      'dataset.preview': () => ({
        summary: { name: 'fake', shape: [2], trainSize: 100, testSize: 10, numClasses: 2, classNames: null, classCounts: null },
        picture: { png: '', kind: 'scatter', count: 0 },
      }),
      'split.preview': () => ({ dataset: 'fake', numClasses: 2, classNames: null, trainSize: 100, testSize: 10, islands: [] }),
      ...handlers,
    },
    async call(op, request) {
      client.calls.push({ op, request: JSON.parse(JSON.stringify(request ?? {})) });
      const h = client.handlers[op] as ((r: unknown) => unknown) | undefined;
      if (!h) throw new ApiCallError(op, { code: 'failed', message: `no fake handler for ${op}` });
      return (await h(request)) as never;
    },
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    fileUrl: (runId, path) => `/files/${runId}/${path}`,
    connected: () => true,
    emit(e) {
      for (const l of listeners) l(e);
    },
  };
  return client;
}

export const smokeConfig = () => JSON.parse(JSON.stringify(findPreset('smoke').config));

/** Let pending promises (and Vue's scheduler) run. */
export const flush = () => new Promise((r) => setTimeout(r, 0));
