import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LabApi } from '../../main/api/lab-api';
import { startServer, type LabServer } from '../../main/server/server';

/** The local server's gates: token, Host, Origin (HTTP and WebSocket), run-file containment, headers. */

let dir: string;
let workspace: string;
let renderer: string;
let server: LabServer;
let api: LabApi;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010800000000', 'hex');

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: { Host: `127.0.0.1:${server.port}`, ...opts.headers },
        setHost: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const apiCall = (op: string, body: unknown, headers: Record<string, string> = {}) =>
  request({
    method: 'POST',
    path: `/api/${op}`,
    headers: { 'Content-Type': 'application/json', 'X-Lab-Token': server.token, ...headers },
    body: JSON.stringify(body),
  });

/** Open a WebSocket and resolve with how it went: 'open' or the HTTP status of the refusal. */
function connect(opts: {
  query?: string;
  protocols?: string[];
  headers?: Record<string, string>;
}): Promise<{ result: 'open' | number; ws: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events${opts.query ?? ''}`, opts.protocols ?? [], {
      headers: opts.headers,
    });
    ws.on('open', () => resolve({ result: 'open', ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ result: res.statusCode ?? 0, ws }));
    ws.on('error', () => undefined);
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-server-'));
  workspace = path.join(dir, 'workspace');
  renderer = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(workspace, 'run-a', 'gen-000'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'run-a', 'gen-000', 'samples.png'), PNG);
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside the workspace');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(workspace, 'run-a', 'escape.png'));
  fs.symlinkSync(path.join(workspace, 'run-a', 'gen-000', 'samples.png'), path.join(workspace, 'run-a', 'inside.png'));
  fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>lab</title>');
  fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  api = new LabApi({ workspace, openPath: async () => ({ opened: false, reason: 'test' }) });
  server = await startServer({ api, rendererDir: renderer });
});

afterAll(async () => {
  await server?.close();
  await api?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('token', () => {
  it('is random, long, and printed in the URL', async () => {
    expect(server.token.length).toBeGreaterThanOrEqual(32);
    expect(server.openUrl).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    const other = await startServer({ api, rendererDir: renderer });
    try {
      expect(other.token).not.toBe(server.token);
    } finally {
      await other.close();
    }
  });

  it('API: missing → 401, wrong → 403, right → 200', async () => {
    const missing = await request({
      method: 'POST',
      path: '/api/presets.list',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(missing.status).toBe(401);
    const wrong = await apiCall('presets.list', {}, { 'X-Lab-Token': 'x' + server.token.slice(1) });
    expect(wrong.status).toBe(403);
    const right = await apiCall('presets.list', {});
    expect(right.status).toBe(200);
    expect(JSON.parse(right.body).result.presets.map((p: { name: string }) => p.name)).toContain('smoke');
  });

  it('API: a token in the query or a cookie is not enough (the header is required)', async () => {
    const q = await request({
      method: 'POST',
      path: `/api/presets.list?token=${server.token}`,
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(q.status).toBe(401);
    const c = await request({
      method: 'POST',
      path: '/api/presets.list',
      headers: { 'Content-Type': 'application/json', Cookie: `lab-token-${server.port}=${server.token}` },
      body: '{}',
    });
    expect(c.status).toBe(401);
  });

  it('page: missing → 401, wrong → 403, right → 200 without any cookie; the public bundle needs no token', async () => {
    expect((await request({ path: '/' })).status).toBe(401);
    expect((await request({ path: '/?token=nope' })).status).toBe(403);
    const ok = await request({ path: `/?token=${server.token}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>lab</title>');
    // cookies are not isolated by port: a token cookie would reach every other server on 127.0.0.1 (issue 14, item 4)
    expect(ok.headers['set-cookie']).toBeUndefined();
    const asset = await request({ path: '/assets/app.js' });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
  });

  it('page: a token cookie of an earlier version is expired, and grants nothing', async () => {
    const legacy = `lab-token-${server.port}=${server.token}`;
    const page = await request({ path: '/', headers: { Cookie: legacy } });
    expect(page.status).toBe(401);
    expect(String(page.headers['set-cookie'])).toContain(`lab-token-${server.port}=; Max-Age=0`);
    expect((await request({ path: '/files/run-a/gen-000/samples.png', headers: { Cookie: legacy } })).status).toBe(401);
  });

  it('run files: missing → 401, wrong → 403, right (query or header) → 200', async () => {
    expect((await request({ path: '/files/run-a/gen-000/samples.png' })).status).toBe(401);
    expect((await request({ path: '/files/run-a/gen-000/samples.png?token=bad' })).status).toBe(403);
    expect((await request({ path: `/files/run-a/gen-000/samples.png?token=${server.token}` })).status).toBe(200);
    expect((await request({ path: '/files/run-a/gen-000/samples.png', headers: { 'X-Lab-Token': server.token } })).status).toBe(200);
  });
});

describe('Host (DNS rebinding) and Origin', () => {
  it('refuses a foreign Host even with the token', async () => {
    for (const host of [
      `evil.example:${server.port}`,
      `127.0.0.1:${server.port + 1}`,
      '127.0.0.1',
      `127.0.0.1.evil.example:${server.port}`,
    ]) {
      const r = await apiCall('presets.list', {}, { Host: host });
      expect(r.status, host).toBe(403);
      expect((await request({ path: `/?token=${server.token}`, headers: { Host: host } })).status, host).toBe(403);
    }
  });

  it('answers 400 to a request with two Host headers (ours, then a foreign one) or none (issue 26 case 12)', async () => {
    const raw = (head: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(server.port, '127.0.0.1', () => socket.end(head));
        let answer = '';
        socket.on('data', (d) => (answer += d.toString()));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
      });
    const own = `Host: 127.0.0.1:${server.port}\r\n`;
    const api = `POST /api/presets.list HTTP/1.1\r\nX-Lab-Token: ${server.token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n`;
    expect(await raw(`${api}${own}Host: evil.example\r\n\r\n{}`)).toMatch(/^HTTP\/1\.1 400 [^]*exactly one Host header/);
    expect(await raw(`GET /?token=${server.token} HTTP/1.1\r\n${own}${own}Connection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw(`${api}${own}\r\n{}`)).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('accepts its own names', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`]) {
      expect((await apiCall('presets.list', {}, { Host: host })).status, host).toBe(200);
    }
  });

  it('refuses a foreign Origin, accepts its own or none', async () => {
    expect((await apiCall('presets.list', {}, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await apiCall('presets.list', {}, { Origin: `http://localhost:${server.port}` })).status).toBe(403);
    expect((await apiCall('presets.list', {}, { Origin: 'null' })).status).toBe(403);
    expect((await apiCall('presets.list', {}, { Origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
    expect((await apiCall('presets.list', {})).status).toBe(200);
  });

  it('API calls need JSON (no form posts) and POST', async () => {
    const form = await apiCall('presets.list', {}, { 'Content-Type': 'text/plain' });
    expect(form.status).toBe(415);
    const get = await request({ path: '/api/presets.list', headers: { 'X-Lab-Token': server.token } });
    expect(get.status).toBe(405);
  });
});

describe('WebSocket event stream', () => {
  it('refuses a missing token (401), a wrong one (403), a foreign Origin or Host (403)', async () => {
    expect((await connect({})).result).toBe(401);
    expect((await connect({ query: '?token=wrong' })).result).toBe(403);
    expect((await connect({ protocols: ['lab', 'lab-token.wrong'] })).result).toBe(403);
    expect((await connect({ query: `?token=${server.token}`, headers: { Origin: 'http://evil.example' } })).result).toBe(403);
    expect((await connect({ query: `?token=${server.token}`, headers: { Host: `evil.example:${server.port}` } })).result).toBe(403);
  });

  it('with the token (in the protocol list or the query) relays run events', async () => {
    const { result, ws } = await connect({ protocols: ['lab', `lab-token.${server.token}`] });
    expect(result).toBe('open');
    expect(ws.protocol).toBe('lab');
    const got = new Promise<unknown>((resolve) => ws.once('message', (m) => resolve(JSON.parse(String(m)))));
    api.manager.emit('event', { type: 'log', runId: 'run-a', message: 'hello' });
    expect(await got).toEqual({ type: 'log', runId: 'run-a', message: 'hello' });
    ws.close();
    const q = await connect({ query: `?token=${server.token}` });
    expect(q.result).toBe('open');
    q.ws.close();
  });
});

describe('run files stay inside the workspace', () => {
  // with the token, so a refusal is the path check's and not the token check's
  const get = (p: string) => request({ path: p, headers: { 'X-Lab-Token': server.token } });

  it('serves a run file with its type', async () => {
    const r = await get('/files/run-a/gen-000/samples.png');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/png');
    expect((await get('/files/run-a/inside.png')).status).toBe(200);
    expect((await get('/files/run-a/gen-000/nothing.png')).status).toBe(404);
  });

  it('refuses traversal in every spelling', async () => {
    const attempts = [
      '/files/../secret.txt',
      '/files/run-a/../../secret.txt',
      '/files/%2e%2e/secret.txt',
      '/files/run-a/%2e%2e/%2e%2e/secret.txt',
      '/files/run-a/..%2f..%2fsecret.txt',
      '/files/run-a/..%5c..%5csecret.txt',
      '/files//etc/passwd',
      '/files/%2fetc%2fpasswd',
      '/files/run-a/.%2e/.%2e/secret.txt',
      '/files/run-a/%00',
      '/files/run-a/%E0%A4%A',
      '/files/.hidden',
      '/files/C:%5cWindows',
    ];
    for (const p of attempts) {
      const r = await get(p);
      expect([400, 403, 404], p).toContain(r.status);
      expect(r.body, p).not.toContain('outside the workspace');
    }
  });

  it('refuses a double-encoded dot-dot without escaping (it names a file that does not exist)', async () => {
    const r = await get('/files/run-a/%252e%252e/%252e%252e/secret.txt');
    expect([400, 404]).toContain(r.status);
    expect(r.body).not.toContain('outside the workspace');
  });

  it('refuses a symlink that leads out of the workspace', async () => {
    const r = await get('/files/run-a/escape.png');
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('outside the workspace');
  });

  it('does not list folders', async () => {
    expect((await get('/files/run-a/gen-000')).status).toBe(404);
  });
});

describe('headers and errors', () => {
  it('every response carries a strict CSP and the other security headers', async () => {
    for (const r of [
      await apiCall('presets.list', {}),
      await request({ path: '/' }),
      await request({ path: '/', headers: { Host: 'evil.example' } }),
    ]) {
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('answers the contract envelope: unknown operation 404, invalid request 400 with issues', async () => {
    const unknown = await apiCall('runs.explode', {});
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('unknown-operation');
    const invalid = await apiCall('runs.get', { runId: '../etc' });
    expect(invalid.status).toBe(400);
    const body = JSON.parse(invalid.body);
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('invalid-request');
    expect(body.error.issues[0].path).toBe('runId');
    const notJson = await request({
      method: 'POST',
      path: '/api/presets.list',
      headers: { 'Content-Type': 'application/json', 'X-Lab-Token': server.token },
      body: '{',
    });
    expect(notJson.status).toBe(400);
  });

  it('binds to 127.0.0.1 by default', () => {
    expect(server.host).toBe('127.0.0.1');
  });
});
