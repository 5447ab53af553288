import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * The Electron door without the Electron binary (it cannot be downloaded here): `electron` is replaced by a stand-in
 * that records what the shell registers, and the registered handlers are driven directly. Covered: the IPC sender
 * check and payload validation, and the two custom protocols (renderer files, run files) with their containment.
 */

const registered = vi.hoisted(() => ({
  ipc: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  protocols: new Map<string, (req: Request) => Promise<Response> | Response>(),
  privileged: [] as unknown[],
  sent: [] as unknown[][],
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => registered.ipc.set(channel, fn),
    removeHandler: (channel: string) => registered.ipc.delete(channel),
  },
  BrowserWindow: {
    getAllWindows: () => [
      {
        isDestroyed: () => false,
        webContents: { getURL: () => 'app://renderer/index.html', send: (...a: unknown[]) => registered.sent.push(a) },
      },
      { isDestroyed: () => false, webContents: { getURL: () => 'https://evil.example/', send: () => registered.sent.push(['LEAK']) } },
    ],
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => registered.privileged.push(...schemes),
    handle: (scheme: string, fn: (req: Request) => Promise<Response> | Response) => registered.protocols.set(scheme, fn),
  },
}));

const { registerIpc } = await import('../../electron/ipc');
const { registerProtocols, registerSchemesAsPrivileged, isAppUrl, CONTENT_SECURITY_POLICY } = await import('../../electron/protocols');
const { LabApi } = await import('../../main/api/lab-api');
const { ipcChannels } = await import('../../main/contract/api-operations');

let dir: string;
let api: InstanceType<typeof LabApi>;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-electron-'));
  fs.mkdirSync(path.join(dir, 'ws', 'run-1', 'gen-000'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'ws', 'run-1', 'gen-000', 'samples.png'), 'png bytes');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOP-SECRET-CONTENT');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'ws', 'run-1', 'out.png'));
  fs.mkdirSync(path.join(dir, 'renderer', 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(dir, 'renderer', 'assets', 'a.js'), 'x');
  api = new LabApi({ workspace: path.join(dir, 'ws'), openPath: async () => ({ opened: true }) });
  registerIpc(api, isAppUrl);
  registerSchemesAsPrivileged();
  registerProtocols(path.join(dir, 'renderer'), path.join(dir, 'ws'));
});

afterAll(async () => {
  await api.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function event(url: string, main = true) {
  const mainFrame = { url };
  return { senderFrame: main ? mainFrame : { url }, sender: { mainFrame } };
}

describe('IPC door', () => {
  const call = (ev: unknown, op: unknown, payload: unknown) =>
    registered.ipc.get(ipcChannels.call)!(ev, op, payload) as Promise<{ ok: boolean; error?: { code: string; message: string } }>;

  it('answers the app’s own main frame through the one API', async () => {
    const r = await call(event('app://renderer/index.html#/runs'), 'presets.list', {});
    expect(r.ok).toBe(true);
  });

  it('refuses other senders: a foreign page, a sub-frame, a file:// page, no frame', async () => {
    for (const ev of [
      event('https://evil.example/'),
      event('app://renderer/index.html', false),
      event('file:///etc/passwd'),
      event('app://rendererx/'),
      { senderFrame: null, sender: { mainFrame: null } },
    ]) {
      const r = await call(ev, 'presets.list', {});
      expect(r.ok).toBe(false);
      expect(r.error?.message).toMatch(/forbidden/);
    }
  });

  it('validates the payload with the contract', async () => {
    const r = await call(event('app://renderer/index.html'), 'runs.get', { runId: '../../etc' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const u = await call(event('app://renderer/index.html'), 'fs.readFile', { path: '/etc/passwd' });
    expect(u).toMatchObject({ ok: false, error: { code: 'unknown-operation' } });
  });

  it('sends run events only to the app’s own windows', () => {
    api.manager.emit('event', { type: 'log', runId: 'run-1', message: 'hi' });
    expect(registered.sent).toEqual([[ipcChannels.event, { type: 'log', runId: 'run-1', message: 'hi' }]]);
  });
});

describe('custom protocols', () => {
  const app = (url: string) => registered.protocols.get('app')!(new Request(url));
  const file = (url: string) => registered.protocols.get('lab-file')!(new Request(url));

  it('are registered as standard and secure', () => {
    expect(registered.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
      { scheme: 'lab-file', privileges: { standard: true, secure: true } },
    ]);
  });

  it('app:// serves the renderer with the strict CSP', async () => {
    const r = await app('app://renderer/index.html');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    expect((await app('app://renderer/')).status).toBe(200);
    expect((await app('app://renderer/assets/a.js')).status).toBe(200);
    expect((await app('app://other/index.html')).status).toBe(404);
  });

  it('lab-file:// serves run files from inside the workspace only', async () => {
    const ok = await file('lab-file://run/run-1/gen-000/samples.png');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect(await ok.text()).toBe('png bytes');
    for (const url of [
      'lab-file://run/run-1/%2e%2e/%2e%2e/secret.txt',
      'lab-file://run/run-1/..%2f..%2fsecret.txt',
      'lab-file://run/%2fetc%2fpasswd',
      'lab-file://run/run-1/out.png',
      'lab-file://run/run-1/nothing.png',
      'lab-file://elsewhere/run-1/gen-000/samples.png',
    ]) {
      const r = await file(url);
      expect([400, 403, 404], url).toContain(r.status);
      expect(await r.text(), url).not.toContain('TOP-SECRET-CONTENT');
    }
    expect((await file('lab-file://run/run-1/out.png')).status).toBe(403);
  });

  it('isAppUrl is exact about the origin', () => {
    expect(isAppUrl('app://renderer/index.html')).toBe(true);
    expect(isAppUrl('app://renderer')).toBe(true);
    expect(isAppUrl('app://renderer.evil/index.html')).toBe(false);
    expect(isAppUrl('app://rendererx/')).toBe(false);
    expect(isAppUrl('http://app://renderer/')).toBe(false);
  });
});
