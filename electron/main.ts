import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, session, shell } from 'electron';
import { LabApi } from '../main/api/lab-api';
import { backendName } from '../main/contract/api';
import { defaultWorkspace, setProcessLauncher } from '../main/index';
import { launchUtilityProcess } from './engine-processes';
import { registerIpc } from './ipc';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, isAppUrl, registerProtocols, registerSchemesAsPrivileged } from './protocols';

/**
 * The desktop shell, kept thin: a window on the renderer (served by the app:// protocol), locked down (context
 * isolation, sandbox, no Node in the page, a strict CSP, no navigation, no new windows, no permissions), the IPC door
 * onto the same LabApi as the server, and the lab-file:// protocol for run images.
 */
const here = path.dirname(fileURLToPath(import.meta.url)); // out/main
const rendererDir = path.join(here, '../renderer');
const preload = path.join(here, '../preload/index.cjs');

registerSchemesAsPrivileged();
app.enableSandbox();
// a study's runs start as utility processes: the packaged app's RunAsNode fuse is off, so fork cannot start them
setProcessLauncher(launchUtilityProcess);

let api: LabApi | null = null;

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'Collapse Lab',
    show: false,
    backgroundColor: '#15171c',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // the renderer routes with the URL hash (in-page), so no real navigation is ever needed
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

app.whenReady().then(() => {
  const backend = backendName.safeParse(process.env.COLLAPSE_LAB_BACKEND ?? 'auto');
  api = new LabApi({
    workspace: defaultWorkspace(),
    backend: backend.success ? backend.data : 'auto',
    openPath: async (dir) => {
      const error = await shell.openPath(dir);
      return error ? { opened: false, reason: error } : { opened: true };
    },
  });
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  registerProtocols(rendererDir, api.workspace);
  registerIpc(api, isAppUrl);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let closing = false;
app.on('will-quit', (e) => {
  if (!api || closing) return;
  // cancel active runs and let their workers write their state before the process ends
  e.preventDefault();
  closing = true;
  void api.close().finally(() => app.quit());
});
