import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEnvelope, BackendName } from '../contract/api';
import { LabApi } from '../api/lab-api';
import {
  createToken,
  hostAllowed,
  originAllowed,
  requestToken,
  setSecurityHeaders,
  tokensEqual,
} from './security';
import { sendContainedFile, sendJson, sendText } from './static-files';

/**
 * The local server door: the renderer as static files, the API as JSON POSTs (/api/<operation>), run files
 * (/files/<runId>/<path>) and the event stream (a WebSocket at /events). Every request passes the Host, Origin and
 * token checks; nothing long runs here (runs train in RunManager's worker threads).
 */
export interface ServerOptions {
  /** Port to listen on; 0 picks a free one. */
  port?: number;
  /** Address to bind; 127.0.0.1 by default. */
  host?: string;
  /** The API to serve; made from `workspace` and `backend` when absent. */
  api?: LabApi;
  workspace?: string;
  backend?: BackendName;
  /** Folder of the built renderer (electron-vite's out/renderer). */
  rendererDir?: string;
  /** The access token; a fresh random one by default. */
  token?: string;
}

export interface LabServer {
  url: string;
  /** The URL with the token, which the user opens. */
  openUrl: string;
  host: string;
  port: number;
  token: string;
  api: LabApi;
  close(): Promise<void>;
}

export const defaultRendererDir = (): string => fileURLToPath(new URL('../../out/renderer', import.meta.url));

const MAX_BODY = 4 * 1024 * 1024;
const TOKEN_PROTOCOL = 'lab-token.';

export async function startServer(opts: ServerOptions = {}): Promise<LabServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? createToken();
  const ownsApi = !opts.api;
  const api = opts.api ?? new LabApi({ workspace: opts.workspace ?? process.cwd(), backend: opts.backend });
  const rendererDir = opts.rendererDir ?? defaultRendererDir();
  let port = opts.port ?? 0;
  const cookieName = () => `lab-token-${port}`;

  const gate = (req: IncomingMessage): { status: 403; reason: string } | null => {
    if (!hostAllowed(req.headers.host, host, port)) return { status: 403, reason: 'forbidden: unexpected Host header' };
    if (!originAllowed(req.headers.origin as string | undefined, req.headers.host)) {
      return { status: 403, reason: 'forbidden: cross-origin request' };
    }
    return null;
  };
  const tokenCheck = (given: string | undefined): { status: 401 | 403; reason: string } | null => {
    if (!given) return { status: 401, reason: 'unauthorized: this server needs the token printed at its start (?token=…)' };
    if (!tokensEqual(token, given)) return { status: 403, reason: 'forbidden: wrong token' };
    return null;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const hostHeader = req.headers.host ?? `${host}:${port}`;
    setSecurityHeaders(res, hostHeader);
    const denied = gate(req);
    if (denied) return sendText(res, denied.status, denied.reason);
    const url = new URL(req.url ?? '/', `http://${hostHeader}`);
    const p = url.pathname;

    if (p.startsWith('/api/')) {
      const bad = tokenCheck(requestToken(req, url, cookieName(), { header: true }));
      if (bad) return sendJson(res, bad.status, { ok: false, error: { code: 'failed', message: bad.reason } });
      if (req.method !== 'POST') return sendText(res, 405, 'use POST for /api/<operation>');
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        return sendText(res, 415, 'the API takes application/json');
      }
      let payload: unknown;
      try {
        const body = await readBody(req);
        payload = body.length === 0 ? {} : JSON.parse(body);
      } catch (e) {
        return sendJson(res, 400, { ok: false, error: { code: 'invalid-request', message: (e as Error).message } });
      }
      const envelope = await api.call(p.slice('/api/'.length), payload);
      return sendJson(res, statusOf(envelope), envelope);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');

    if (p.startsWith('/files/')) {
      const bad = tokenCheck(requestToken(req, url, cookieName(), { header: true, query: true, cookie: true }));
      if (bad) return sendText(res, bad.status, bad.reason);
      return sendContainedFile(res, api.workspace, p.slice('/files/'.length), 'no-store');
    }

    // the renderer: index.html for "/" (where the token arrives in the query and is kept as a cookie), assets after
    const bad = tokenCheck(requestToken(req, url, cookieName(), { query: true, cookie: true }));
    if (bad) return sendText(res, bad.status, bad.reason);
    if (p === '/' || p === '/index.html') {
      res.setHeader('Set-Cookie', `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      if (!fs.existsSync(`${rendererDir}/index.html`)) {
        return sendText(res, 503, `the renderer is not built (no ${rendererDir}/index.html): run \`npm run build\``);
      }
      return sendContainedFile(res, rendererDir, 'index.html', 'no-cache');
    }
    return sendContainedFile(res, rendererDir, p.slice(1), p.startsWith('/assets/') ? 'immutable' : 'no-cache');
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) sendText(res, 500, `internal error: ${(e as Error).message}`);
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    handleProtocols: (protocols) => (protocols.has('lab') ? 'lab' : false),
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const reject = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`);
    };
    const denied = gate(req);
    if (denied) return reject(denied.status, denied.reason);
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname !== '/events') return reject(404, 'no such endpoint');
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((s) => s.trim());
    const fromProtocol = offered.find((s) => s.startsWith(TOKEN_PROTOCOL))?.slice(TOKEN_PROTOCOL.length);
    const bad = tokenCheck(fromProtocol ?? url.searchParams.get('token') ?? undefined);
    if (bad) return reject(bad.status, bad.reason);
    wss.handleUpgrade(req, socket, head, (ws) => attachEvents(ws));
  });

  const attachEvents = (ws: WebSocket) => {
    const off = api.onEvent((e) => {
      // a slow client skips progress events rather than buffering without bound; other events always go out
      if (e.type === 'progress' && ws.bufferedAmount > 1024 * 1024) return;
      ws.send(JSON.stringify(e));
    });
    ws.on('close', off);
    ws.on('error', off);
    ws.on('message', () => {
      // the stream is one-way; messages from the client are ignored
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  if (addr && typeof addr === 'object') port = addr.port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const base = `http://${shownHost}:${port}`;

  return {
    url: base + '/',
    openUrl: `${base}/?token=${encodeURIComponent(token)}`,
    host,
    port,
    token,
    api,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownsApi) await api.close();
    },
  };
}

function statusOf(envelope: ApiEnvelope): number {
  if (envelope.ok) return 200;
  switch (envelope.error.code) {
    case 'unknown-operation':
      return 404;
    case 'invalid-request':
    case 'invalid-config':
      return 400;
    default:
      return 500;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error(`request body larger than ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
