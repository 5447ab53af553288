import { contextBridge, ipcRenderer } from 'electron';
import { apiOperations, ipcChannels } from '../main/contract/api-operations';

/**
 * The preload: exposes ONLY `window.lab`, one function per API operation plus an event subscription, over IPC. It
 * runs sandboxed with context isolation, so the page gets these functions and nothing of Node or Electron.
 */
const calls = Object.fromEntries(
  apiOperations.map((op) => [op, (payload?: unknown) => ipcRenderer.invoke(ipcChannels.call, op, payload ?? {})]),
);

contextBridge.exposeInMainWorld('lab', {
  ...calls,
  onEvent(listener: (event: unknown) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('lab.onEvent needs a function');
    const relay = (_e: Electron.IpcRendererEvent, event: unknown) => listener(event);
    ipcRenderer.on(ipcChannels.event, relay);
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, relay);
    };
  },
  fileUrlBase: 'lab-file://run/',
});
