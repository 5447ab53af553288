import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ensureRendererBuilt, root } from '../../bin/build-if-stale.mjs';
import { LabApi } from '../../main/api/lab-api';
import type { BackendName } from '../../main/contract/api';
import { startServer, type LabServer } from '../../main/server/server';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from './chromium';

/**
 * The end-to-end tests' one setup: the renderer built if stale, a LabApi over a temporary workspace behind the server
 * door (in this process, on a random port), and Debian's headless Chromium on it, whose console errors, CSP violations
 * (with where they came from) and page errors are collected as `problems`. Screenshots go to a temporary folder unless
 * COLLAPSE_LAB_SCREENSHOTS names one (`npm run screenshots` writes docs/screenshots/ for the README that way).
 */
export interface E2eApp {
  /** The test's temporary folder: the workspace, the browser profile, downloads. */
  tmp: string;
  workspace: string;
  api: LabApi;
  server: LabServer;
  context: BrowserContext;
  page: Page;
  /** What went wrong in the page so far (a test clears it as it likes). */
  problems: string[];
  /** A screenshot of the page as `name`.png, once ECharts has finished its frame. */
  shot(name: string): Promise<void>;
  /** An API operation's result; a refusal throws, naming the operation. */
  call<T>(op: string, req: unknown): Promise<T>;
  /** Close the browser, the server and the API; remove the temporary folder. */
  close(): Promise<void>;
}

export interface E2eAppOptions {
  /** The temporary folder's prefix, e.g. 'lab-e2e-compare-'. */
  name: string;
  /** Backend of the runs the app starts (default: the API's, auto). */
  backend?: BackendName;
  viewport: { width: number; height: number };
  acceptDownloads?: boolean;
  /** Count every response of status 400 or more as a problem. */
  failedResponses?: boolean;
  /** Fill the workspace before the API opens it. */
  prepare?: (workspace: string) => void;
}

/** expect.poll with room for a loaded 2-core machine (its default gives up after one second). */
export const poll = <T>(f: () => T | Promise<T>, o: { timeout?: number; interval?: number } = {}) =>
  expect.poll(f, { timeout: 60_000, interval: 200, ...o });

let shots: string | undefined;
function shotsFolder(): string {
  shots ??= process.env.COLLAPSE_LAB_SCREENSHOTS
    ? path.resolve(root, process.env.COLLAPSE_LAB_SCREENSHOTS)
    : fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-screenshots-'));
  fs.mkdirSync(shots, { recursive: true });
  return shots;
}

export async function openApp(opts: E2eAppOptions): Promise<E2eApp> {
  requireChromium();
  ensureRendererBuilt((m) => process.stderr.write(`e2e: ${m}\n`));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), opts.name));
  const workspace = path.join(tmp, 'workspace');
  opts.prepare?.(workspace);
  const api = new LabApi({
    workspace,
    ...(opts.backend ? { backend: opts.backend } : {}),
    openPath: async () => ({ opened: false, reason: 'e2e' }),
  });
  const server = await startServer({ api, port: 0 });
  const context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: opts.acceptDownloads ?? false,
    args: CHROMIUM_ARGS,
    viewport: opts.viewport,
    colorScheme: 'light',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  // every CSP violation, with where it came from (the console line alone does not say)
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(
        `CSP violation: ${e.violatedDirective} ${JSON.stringify(e.sample)} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
      ),
    ),
  );
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy|Refused to/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  if (opts.failedResponses) page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
  return {
    tmp,
    workspace,
    api,
    server,
    context,
    page,
    problems,
    async shot(name) {
      await page.waitForTimeout(200);
      await page.screenshot({ path: path.join(shotsFolder(), `${name}.png`) });
    },
    async call<T>(op: string, req: unknown): Promise<T> {
      const env = await api.call(op as never, req);
      if (!env.ok) throw new Error(`${op}: ${env.error.message}`);
      return env.result as T;
    },
    async close() {
      await context.close();
      await server.close();
      await api.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
