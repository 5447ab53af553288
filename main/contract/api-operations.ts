/**
 * The names of the API's operations, free of any import so that the Electron preload (a tiny sandboxed bundle) can
 * expose one function per operation. The schemas of each are in ./api.ts, which checks that this list matches them.
 */
export const apiOperations = [
  'presets.list',
  'catalog.get',
  'config.validate',
  'dataset.preview',
  'split.preview',
  'runs.list',
  'runs.get',
  'runs.start',
  'runs.cancel',
  'runs.resume',
  'runs.delete',
  'runs.openFolder',
  'studies.presets',
  'studies.plan',
  'studies.list',
  'studies.get',
  'studies.start',
  'studies.cancel',
  'studies.resume',
  'studies.aggregate',
  'studies.table',
  'studies.runValues',
  'studies.correlate',
  'studies.report',
  'compute.doctor',
] as const;

export type ApiOperation = (typeof apiOperations)[number];

export function isApiOperation(op: unknown): op is ApiOperation {
  return typeof op === 'string' && (apiOperations as readonly string[]).includes(op);
}

/** The IPC channels of the Electron door (used by electron/preload.ts and electron/ipc.ts). */
export const ipcChannels = { call: 'lab:call', event: 'lab:event' } as const;
