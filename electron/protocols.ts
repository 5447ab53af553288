import fs from 'node:fs/promises';
import { protocol } from 'electron';
import { contentTypeOf, parseFileUrlPath, resolveWorkspaceFile, WorkspaceFileError } from '../main/index';

/**
 * Two custom protocols, so the renderer never touches file:// (which would open every file on disk to it):
 *   app://renderer/<path>          the built renderer (out/renderer)
 *   lab-file://run/<runId>/<path>  run files, only from inside the workspace (main/runs/workspace-file.ts)
 */
export const APP_ORIGIN = 'app://renderer';
export const FILE_BASE = 'lab-file://run/';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: lab-file:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Must run before the app is ready. */
export function registerSchemesAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: 'lab-file', privileges: { standard: true, secure: true } },
  ]);
}

export function isAppUrl(url: string): boolean {
  return url === APP_ORIGIN || url.startsWith(APP_ORIGIN + '/');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

async function serveContained(root: string, tail: string, csp: boolean): Promise<Response> {
  try {
    const file = await resolveWorkspaceFile(root, parseFileUrlPath(tail));
    const ext = file.slice(file.lastIndexOf('.')).toLowerCase();
    const headers: Record<string, string> = {
      'Content-Type': TYPES[ext] ?? contentTypeOf(file),
      'X-Content-Type-Options': 'nosniff',
    };
    if (csp) headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
    return new Response(await fs.readFile(file), { status: 200, headers });
  } catch (e) {
    const status = e instanceof WorkspaceFileError ? e.status : 500;
    return new Response((e as Error).message, { status, headers: { 'Content-Type': 'text/plain' } });
  }
}

/** Must run after the app is ready. */
export function registerProtocols(rendererDir: string, workspace: string): void {
  protocol.handle('app', (req) => {
    const url = new URL(req.url);
    if (url.host !== 'renderer') return new Response('not found', { status: 404 });
    const tail = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    return serveContained(rendererDir, tail, true);
  });
  protocol.handle('lab-file', (req) => {
    const url = new URL(req.url);
    if (url.host !== 'run') return new Response('not found', { status: 404 });
    return serveContained(workspace, url.pathname.slice(1), false);
  });
}
