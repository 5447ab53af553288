import type { ApiOperation, ApiRequestInput, ApiResponse, CatalogInfo, RunEvent } from '../../main/contract/api';
import { ApiCallError, type LabClient } from '../../renderer/src/api/client';
import { findPreset, presets } from '../../main/presets';
import { z } from 'zod';
import { modelCatalog } from '../../main/models/catalog';
import { selectionCatalog } from '../../main/selection/catalog';
import { datasetConfig } from '../../main/contract/config';

/** A scripted LabClient for the renderer's tests: answers from `handlers`, records every call, emits events. */
export interface FakeClient extends LabClient {
  calls: { op: string; request: unknown }[];
  handlers: Partial<{ [Op in ApiOperation]: (req: ApiRequestInput<Op>) => ApiResponse<Op> | Promise<ApiResponse<Op>> }>;
  emit(e: RunEvent): void;
}

export function catalogFixture(): CatalogInfo {
  const info = (schema: z.ZodType) => ({
    paramsSchema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    defaults: schema.parse({}) as Record<string, unknown>,
  });
  return {
    workspace: '/tmp/ws',
    backend: 'auto',
    models: Object.entries(modelCatalog).map(([kind, m]) => ({ kind, label: m.label, description: m.description, imagesOnly: m.imagesOnly, ...info(m.params as z.ZodType) })),
    schemes: Object.entries(selectionCatalog).map(([name, s]) => ({ name, label: s.label, description: s.description, usesReference: s.usesReference, ...info(s.params as z.ZodType) })),
    datasets: [
      { kind: 'mnist', label: 'MNIST', available: true },
      { kind: 'fashion-mnist', label: 'Fashion-MNIST', available: false, reason: 'not installed' },
      { kind: 'gaussian', label: 'Gaussian', available: true },
    ],
    datasetForms: datasetConfig.options.map((o) => ({
      kind: String(o.shape.kind.value),
      schema: z.toJSONSchema(o as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    })),
  };
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
