import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LabApi } from '../../main/api/lab-api';
import { SERVER_LIMITS, startServer, type LabServer } from '../../main/server/server';

/**
 * Issue 14, item 10: an over-size body gets a 413 (not a reset connection); idle and slow connections are closed after
 * a short header time-out; concurrent connections are capped, and the server answers again once they are gone.
 */

let dir: string;
let api: LabApi;
let server: LabServer;
const MAX_CONNECTIONS = 6;

interface Reply {
  status: number;
  body: string;
}

/** POST a body of `size` bytes to the API (with Content-Length, or chunked), and resolve with the answer. */
function post(size: number, chunked: boolean): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/api/presets.list',
        headers: {
          'Content-Type': 'application/json',
          'X-Lab-Token': server.token,
          ...(chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(size) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    const piece = Buffer.alloc(256 * 1024, 0x20);
    let left = size;
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, piece.length);
        left -= n;
        if (!req.write(piece.subarray(0, n))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

function get(p: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: server.port, path: p, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      })
      .on('error', reject);
  });
}

/** Open a raw connection, optionally write something, and resolve with how long the server took to close it. */
function closedAfter(write: string | null, timeoutMs: number): Promise<number | 'still open'> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const s = net.connect(server.port, '127.0.0.1', () => {
      if (write !== null) s.write(write);
    });
    const timer = setTimeout(() => {
      s.destroy();
      resolve('still open');
    }, timeoutMs);
    s.on('error', () => undefined);
    s.resume(); // read what comes (a 408), so that the end of the connection is seen
    s.on('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - t0);
    });
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-limits-'));
  api = new LabApi({ workspace: path.join(dir, 'workspace'), openPath: async () => ({ opened: false, reason: 'test' }) });
  server = await startServer({ api, rendererDir: dir, headersTimeoutMs: 400, maxConnections: MAX_CONNECTIONS });
});

afterAll(async () => {
  await server?.close();
  await api?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('server limits', () => {
  it('defaults: a short header time-out and a connection cap', () => {
    expect(SERVER_LIMITS.headersTimeoutMs).toBeLessThanOrEqual(15_000);
    expect(SERVER_LIMITS.requestTimeoutMs).toBeLessThanOrEqual(60_000);
    expect(SERVER_LIMITS.maxConnections).toBeGreaterThanOrEqual(16);
    expect(SERVER_LIMITS.maxConnections).toBeLessThanOrEqual(256);
  });

  it('an over-size body is answered 413 with a message, with Content-Length or chunked, and the server goes on', async () => {
    for (const chunked of [false, true]) {
      for (const size of [SERVER_LIMITS.maxBodyBytes + 1, 3 * SERVER_LIMITS.maxBodyBytes]) {
        const r = await post(size, chunked);
        expect(r.status, `${size} bytes, chunked ${chunked}`).toBe(413);
        expect(r.body).toMatch(/larger than/);
      }
    }
    const ok = await post(2, false).catch((e) => e);
    expect(ok.status).toBe(400); // two spaces: not JSON, but read and answered
  });

  it('closes a connection that sends nothing, or its headers too slowly', async () => {
    const idle = await closedAfter(null, 5_000);
    expect(idle).not.toBe('still open');
    const slow = await closedAfter(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Slow: `, 5_000);
    expect(slow).not.toBe('still open');
    expect((await get('/')).status).toBe(401);
  });

  it('a request line or headers too large get a 431, malformed requests a 400, with a line naming the problem', async () => {
    const long = await get('/files/' + 'a'.repeat(100_000));
    expect(long.status).toBe(431);
    expect(long.body).toMatch(/too large/);
    const raw = (bytes: string) =>
      new Promise<string>((resolve) => {
        const s = net.connect(server.port, '127.0.0.1', () => s.end(bytes));
        let got = '';
        s.on('data', (d) => (got += d));
        s.on('error', () => undefined);
        s.on('close', () => resolve(got));
      });
    expect(await raw('GARBAGE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 .*malformed request/s);
    expect(await raw(`POST / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Length: abc\r\n\r\n`)).toMatch(
      /^HTTP\/1\.1 400 .*Content-Length/s,
    );
    expect((await get('/')).status).toBe(401);
  });

  it('keeps an open event stream beyond the header time-out', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events`, ['lab', `lab-token.${server.token}`]);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    await new Promise((r) => setTimeout(r, 1_200));
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });

  it('caps concurrent connections, and answers again once they close', async () => {
    const held: net.Socket[] = [];
    try {
      for (let i = 0; i < MAX_CONNECTIONS; i++) {
        const s = net.connect(server.port, '127.0.0.1');
        s.on('error', () => undefined);
        await new Promise((r) => s.once('connect', r));
        s.write('GET / HTTP/1.1\r\n'); // a slow client: the headers never end
        held.push(s);
      }
      await new Promise((r) => setTimeout(r, 50));
      const over = await closedAfter(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`, 300);
      expect(over, 'a connection beyond the cap is closed at once').not.toBe('still open');
      expect(over as number).toBeLessThan(300);
    } finally {
      for (const s of held) s.destroy();
    }
    await new Promise((r) => setTimeout(r, 50));
    expect((await get('/')).status).toBe(401);
  });
});
