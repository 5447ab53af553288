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
  hostHeaderCount,
  originAllowed,
  parseCookies,
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
  /** Time a connection has to send its request headers (idle and slow connections are closed after it). */
  headersTimeoutMs?: number;
  /** Time a connection has to send a whole request, body included. */
  requestTimeoutMs?: number;
  /** Connections served at once; more are closed as they arrive. */
  maxConnections?: number;
}

/** The server's defaults against exhausted resources (issue 14, item 10). */
export const SERVER_LIMITS = {
  /** The largest API request body; a larger one is answered 413. */
  maxBodyBytes: 4 * 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  /** Idle keep-alive connections close after this. */
  keepAliveTimeoutMs: 5_000,
  /** A browser opens about six connections per host, plus the event stream; a few tabs fit well below this. */
  maxConnections: 64,
  /** After a 413, the rest of an over-size body is read and dropped up to this many bytes (so that the client sees
   * the answer instead of a reset connection); a longer one is cut. */
  maxDrainBytes: 64 * 1024 * 1024,
} as const;

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

const TOKEN_PROTOCOL = 'lab-token.';

export async function startServer(opts: ServerOptions = {}): Promise<LabServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? createToken();
  const ownsApi = !opts.api;
  const api = opts.api ?? new LabApi({ workspace: opts.workspace ?? process.cwd(), backend: opts.backend });
  const rendererDir = opts.rendererDir ?? defaultRendererDir();
  let port = opts.port ?? 0;

  const gate = (req: IncomingMessage): { status: 400 | 403; reason: string } | null => {
    if (hostHeaderCount(req.rawHeaders) !== 1) return { status: 400, reason: 'bad request: a request needs exactly one Host header' };
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
      const bad = tokenCheck(requestToken(req, url, { header: true }));
      if (bad) return sendJson(res, bad.status, { ok: false, error: { code: 'failed', message: bad.reason } });
      if (req.method !== 'POST') return sendText(res, 405, 'use POST for /api/<operation>');
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        return sendText(res, 415, 'the API takes application/json');
      }
      let payload: unknown;
      try {
        const body = await readBody(req, SERVER_LIMITS.maxBodyBytes);
        payload = body.length === 0 ? {} : JSON.parse(body);
      } catch (e) {
        if (e instanceof BodyTooLarge) {
          // answer, then close the connection once the client has sent (or we have dropped) the rest of its body
          res.setHeader('Connection', 'close');
          return sendJson(res, 413, { ok: false, error: { code: 'invalid-request', message: e.message } });
        }
        return sendJson(res, 400, { ok: false, error: { code: 'invalid-request', message: (e as Error).message } });
      }
      const envelope = await api.call(p.slice('/api/'.length), payload);
      return sendJson(res, statusOf(envelope), envelope);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');

    if (p.startsWith('/files/')) {
      const bad = tokenCheck(requestToken(req, url, { header: true, query: true }));
      if (bad) return sendText(res, bad.status, bad.reason);
      return sendContainedFile(req, res, api.workspace, p.slice('/files/'.length), 'no-store');
    }

    // the renderer. No cookie carries the token: cookies are not isolated by port, so a browser would send it to every
    // other server on this host (issue 14, item 4). The page takes the token from its URL (?token=…) and sends it in
    // the X-Lab-Token header (API), the WebSocket protocol list (events) and the query of run-file URLs. The bundle
    // itself (assets, favicon) is the public build output, served without a token; index.html asks for it, so that
    // opening the bare URL says what is missing.
    expireLegacyCookies(req, res);
    if (p === '/' || p === '/index.html') {
      const bad = tokenCheck(requestToken(req, url, { query: true }));
      if (bad) return sendText(res, bad.status, bad.reason);
      if (!fs.existsSync(`${rendererDir}/index.html`)) {
        return sendText(res, 503, `the renderer is not built (no ${rendererDir}/index.html): run \`npm run build\``);
      }
      return sendContainedFile(req, res, rendererDir, 'index.html', 'no-store');
    }
    return sendContainedFile(req, res, rendererDir, p.slice(1), p.startsWith('/assets/') ? 'immutable' : 'no-cache');
  };

  const server = http.createServer(
    {
      headersTimeout: opts.headersTimeoutMs ?? SERVER_LIMITS.headersTimeoutMs,
      requestTimeout: Math.max(opts.requestTimeoutMs ?? SERVER_LIMITS.requestTimeoutMs, (opts.headersTimeoutMs ?? 0) + 1),
      keepAliveTimeout: SERVER_LIMITS.keepAliveTimeoutMs,
      // how often the time-outs above are checked (Node's default, 30 s, would let a slow client stay 40 s)
      connectionsCheckingInterval: Math.min(
        1_000,
        Math.max(100, Math.floor((opts.headersTimeoutMs ?? SERVER_LIMITS.headersTimeoutMs) / 4)),
      ),
    },
    (req, res) => {
      handle(req, res).catch((e) => {
        if (!res.headersSent) sendText(res, 500, `internal error: ${(e as Error).message}`);
        else res.destroy();
      });
    },
  );
  // beyond the cap, Node closes a new connection as it arrives
  server.maxConnections = opts.maxConnections ?? SERVER_LIMITS.maxConnections;
  // a request the HTTP parser refuses (malformed, headers too large, too slow) is answered with its status and a line
  // naming the problem; the connection is closed gently, reading what the client still sends for a moment, since
  // closing a socket with unread data resets it and the client would see a reset instead of the answer
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, reason] = clientErrorStatus(err.code);
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n` +
        `Content-Length: ${Buffer.byteLength(reason) + 1}\r\n\r\n${reason}\n`,
    );
    socket.resume();
    setTimeout(() => socket.destroy(), 2_000).unref();
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

/** The status and message of a request that Node's HTTP parser refused, by its error code. */
function clientErrorStatus(code: string | undefined): [number, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'request headers too large'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'request not received in time'];
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return [400, 'malformed request: bad Content-Length'];
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CHUNK_SIZE':
      return [400, 'malformed request: bad chunked body'];
    default:
      return [400, 'malformed request'];
  }
}

/** Expire the token cookies that earlier versions set (`lab-token-PORT`), which the browser would keep sending. */
function expireLegacyCookies(req: IncomingMessage, res: ServerResponse): void {
  const stale = Object.keys(parseCookies(req.headers.cookie)).filter((name) => /^lab-token-\d+$/.test(name));
  if (stale.length > 0)
    res.setHeader(
      'Set-Cookie',
      stale.map((name) => `${name}=; Max-Age=0; HttpOnly; SameSite=Strict; Path=/`),
    );
}

function statusOf(envelope: ApiEnvelope): number {
  if (envelope.ok) return 200;
  switch (envelope.error.code) {
    case 'unknown-operation':
    case 'not-found':
      return 404;
    case 'invalid-request':
    case 'invalid-config':
      return 400;
    case 'invalid-input':
      return 422;
    default:
      return 500;
  }
}

class BodyTooLarge extends Error {}

/**
 * Read a request body of at most `max` bytes. A larger one rejects with BodyTooLarge at once, while the rest of the
 * body is still read and dropped (up to SERVER_LIMITS.maxDrainBytes, then the connection is cut): closing a socket
 * with unread data resets it, and the client would see a reset instead of the 413.
 */
function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    const tooLarge = () => new BodyTooLarge(`request body larger than ${max} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const refuse = () => {
      refused = true;
      chunks.length = 0;
      reject(tooLarge());
    };
    if (declared > max) refuse();
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (refused) {
        if (size > max + SERVER_LIMITS.maxDrainBytes) req.socket.destroy();
        return;
      }
      if (size > max) return refuse();
      chunks.push(c);
    });
    req.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (e) => {
      if (!refused) reject(e);
    });
  });
}
