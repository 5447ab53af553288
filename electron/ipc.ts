import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { LabApi } from '../main/api/lab-api';
import { ipcChannels } from '../main/contract/api-operations';

/**
 * The Electron door: one IPC handler for every operation. Each message's sender must be the main frame of a page of
 * the app's own origin; its payload is validated with the contract inside LabApi.call, which runs the same handlers
 * as the server. Run events go to the app's windows.
 */
export function registerIpc(api: LabApi, isTrustedUrl: (url: string) => boolean): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    return !!frame && frame === event.sender.mainFrame && isTrustedUrl(frame.url);
  };
  ipcMain.handle(ipcChannels.call, async (event, op: unknown, payload: unknown) => {
    if (!trusted(event)) {
      return { ok: false, error: { code: 'failed', message: 'forbidden: IPC from an untrusted frame' } };
    }
    return api.call(op, payload);
  });
  const off = api.onEvent((e) => {
    for (const w of BrowserWindow.getAllWindows()) {
      if (!w.isDestroyed() && isTrustedUrl(w.webContents.getURL())) w.webContents.send(ipcChannels.event, e);
    }
  });
  return () => {
    off();
    ipcMain.removeHandler(ipcChannels.call);
  };
}
