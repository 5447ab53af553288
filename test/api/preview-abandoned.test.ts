import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PreviewWorkerClient } from '../../main/api/preview-worker-client';
import type { ApiRequest } from '../../main/contract/api';

/**
 * Issue 14, item 2: the reads a server request causes (dataset and split previews) run in the preview worker, never on
 * the server's event loop, and can be abandoned: a preview that does not answer in time, or is cancelled, terminates
 * its worker and fails; the next preview gets a fresh worker. A device or a named pipe given as a dataset is refused
 * at once.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-preview-'));
const clients: PreviewWorkerClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

const stuckWorker = new URL('./fixtures/stuck-preview-worker.ts', import.meta.url);
const stuck = { stuck: true } as unknown as ApiRequest<'dataset.preview'>;
const quick = {} as unknown as ApiRequest<'dataset.preview'>;

function client(opts: ConstructorParameters<typeof PreviewWorkerClient>[0] = {}): PreviewWorkerClient {
  const c = new PreviewWorkerClient(opts);
  clients.push(c);
  return c;
}

describe('previews can be abandoned', () => {
  it('a preview that never answers is abandoned on time-out; the event loop stays free and the next preview works', async () => {
    const c = client({ timeoutMs: 1500, workerUrl: stuckWorker });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 50);
    const t0 = Date.now();
    await expect(c.dataset(stuck)).rejects.toThrow(/abandoned/);
    clearInterval(ticker);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(ticks).toBeGreaterThan(10); // this thread kept running while the worker was stuck
    await expect(c.dataset(quick, { timeoutMs: 60_000 })).resolves.toBe('ok');
  });

  it('a cancelled preview terminates its worker at once', async () => {
    const c = client({ timeoutMs: 60_000, workerUrl: stuckWorker });
    const abort = new AbortController();
    const p = c.dataset(stuck, { signal: abort.signal });
    setTimeout(() => abort.abort(), 300);
    const t0 = Date.now();
    await expect(p).rejects.toThrow(/cancelled/);
    expect(Date.now() - t0).toBeLessThan(5000);
    await expect(c.dataset(quick)).resolves.toBe('ok');
  });

  it('the real preview worker refuses /dev/zero and a named pipe at once, and keeps serving', async () => {
    const c = client({ timeoutMs: 60_000 });
    const request = (p: string) =>
      ({ dataset: { kind: 'npy', path: p, testFraction: 0.1 }, seed: 0, samples: 4 }) as ApiRequest<'dataset.preview'>;
    if (fs.existsSync('/dev/zero')) await expect(c.dataset(request('/dev/zero'))).rejects.toThrow(/character device/);
    const pipe = path.join(tmp, 'pipe.npy');
    if (process.platform !== 'win32' && spawnSync('mkfifo', [pipe]).status === 0) {
      await expect(c.dataset(request(pipe))).rejects.toThrow(/named pipe/);
    }
    const ok = await c.dataset({
      dataset: { kind: 'gaussian', dim: 2, trainSize: 50, testSize: 20 },
      seed: 0,
      samples: 4,
    } as ApiRequest<'dataset.preview'>);
    expect(ok.summary.trainSize).toBe(50);
  });
});
