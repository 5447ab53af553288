import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabApi } from '../../main/api/lab-api';
import { startServer, type LabServer } from '../../main/server/server';
import { byteRange, FILE_CHUNK_BYTES } from '../../main/server/static-files';

/**
 * Issue 26 case 11: the file door streams a run's files (three concurrent GETs of a 1 GiB file used to take the
 * server from 191 MB to 3.2 GB): memory per response is a chunk, not the file, and byte ranges are served.
 */
let dir: string;
let server: LabServer;
const BIG = 512 * 1024 * 1024;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-files-'));
  const run = path.join(dir, 'run-a');
  fs.mkdirSync(run);
  fs.writeFileSync(path.join(run, 'small.txt'), '0123456789');
  // a sparse file: 512 MiB long, no disk used
  const fd = fs.openSync(path.join(run, 'big.npy'), 'w');
  fs.ftruncateSync(fd, BIG);
  fs.closeSync(fd);
  server = await startServer({ port: 0, api: new LabApi({ workspace: dir }), rendererDir: dir });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function get(
  file: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: `/files/run-a/${file}`, method, headers: { 'X-Lab-Token': server.token, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('latin1')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the file door', () => {
  it('serves byte ranges: a-b, a-, -n; 416 outside the file; the whole file without a range', async () => {
    expect(await get('small.txt')).toMatchObject({ status: 200, body: '0123456789', headers: { 'accept-ranges': 'bytes' } });
    expect(await get('small.txt', { Range: 'bytes=2-4' })).toMatchObject({
      status: 206,
      body: '234',
      headers: { 'content-range': 'bytes 2-4/10' },
    });
    expect((await get('small.txt', { Range: 'bytes=7-' })).body).toBe('789');
    expect((await get('small.txt', { Range: 'bytes=-3' })).body).toBe('789');
    expect((await get('small.txt', { Range: 'bytes=5-100' })).body).toBe('56789');
    expect(await get('small.txt', { Range: 'bytes=10-' })).toMatchObject({ status: 416, headers: { 'content-range': 'bytes */10' } });
    expect(await get('small.txt', {}, 'HEAD')).toMatchObject({ status: 200, body: '', headers: { 'content-length': '10' } });
    expect(byteRange('bytes=0-1,4-5', 10)).toBeNull();
    expect(byteRange('items=0-1', 10)).toBeNull();
  });

  it('streams a large file to slow clients without holding it in memory', async () => {
    const before = process.memoryUsage().arrayBuffers;
    const sockets: http.ClientRequest[] = [];
    const firstBytes = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<number>((resolve, reject) => {
            const req = http.request(
              { host: '127.0.0.1', port: server.port, path: '/files/run-a/big.npy', headers: { 'X-Lab-Token': server.token } },
              (res) => {
                expect(res.headers['content-length']).toBe(String(BIG));
                res.once('data', (c: Buffer) => {
                  res.pause(); // a slow client: takes one chunk, then nothing
                  resolve(c.length);
                });
              },
            );
            req.on('error', reject);
            req.end();
            sockets.push(req);
          }),
      ),
    );
    expect(firstBytes.every((n) => n > 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    const grown = process.memoryUsage().arrayBuffers - before;
    for (const s of sockets) s.destroy();
    // three responses in flight, server and clients in this process: read-ahead and socket buffers (measured ~14 MB
    // here), never the 3 × 512 MiB that reading whole files took
    expect(grown).toBeLessThan(1024 * FILE_CHUNK_BYTES);
  });
});
