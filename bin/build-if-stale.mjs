// Build what a door needs when it is missing or older than its sources: the renderer alone for the server door
// (vite, no Electron needed), or the whole desktop app (electron-vite: main + run worker, preload, renderer).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = /\.(ts|mts|vue|css|html|svg|json|mjs)$/;

function newest(entries) {
  let t = 0;
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p)) if (name !== 'node_modules' && !name.startsWith('.')) visit(path.join(p, name));
    } else if (SOURCE.test(p)) {
      t = Math.max(t, st.mtimeMs);
    }
  };
  for (const e of entries) visit(path.join(root, e));
  return t;
}

function mtime(rel) {
  try {
    return fs.statSync(path.join(root, rel)).mtimeMs;
  } catch {
    return 0;
  }
}

// what the renderer bundle is made of: its own sources and the contract it imports (config, catalogs, splits)
const rendererSources = ['renderer', 'main/contract', 'main/models/catalog.ts', 'main/selection/catalog.ts', 'package-lock.json'];
const appSources = ['renderer', 'electron', 'main', 'electron.vite.config.ts', 'package-lock.json'];

export function rendererStale() {
  const built = mtime('out/renderer/index.html');
  return built === 0 || built < newest(rendererSources);
}

export function appStale() {
  const built = Math.min(mtime('out/main/index.js'), mtime('out/preload/index.cjs'), mtime('out/renderer/index.html'));
  return built === 0 || built < newest(appSources);
}

function run(args, log) {
  log(`building: node ${args.map((a) => path.relative(root, a) || a).join(' ')}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`build failed (exit ${r.status}):\n${(r.stdout ?? '').slice(-3000)}\n${(r.stderr ?? '').slice(-3000)}`);
  }
}

/**
 * One build at a time: two test files (the end-to-end tests run in parallel workers) may both find the build stale;
 * the second waits for the first and then finds it fresh, instead of emptying out/renderer under the first one's page.
 */
function withBuildLock(fn) {
  fs.mkdirSync(path.join(root, 'out'), { recursive: true });
  const lock = path.join(root, 'out', '.build-lock');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      try {
        // the lock of a build that died long ago is taken over
        if (Date.now() - fs.statSync(lock).mtimeMs > 10 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        // removed meanwhile: try again
      }
      Atomics.wait(pause, 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Build the renderer into out/renderer when stale (the server door serves it). Returns true when it built. */
export function ensureRendererBuilt(log = (m) => process.stderr.write(m + '\n')) {
  return withBuildLock(() => {
    if (!rendererStale()) return false;
    run(
      [
        path.join(root, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        path.join(root, 'renderer/vite.config.ts'),
        '--logLevel',
        'warn',
      ],
      log,
    );
    return true;
  });
}

/** Build the whole desktop app into out/ when stale. Returns true when it built. */
export function ensureAppBuilt(log = (m) => process.stderr.write(m + '\n')) {
  return withBuildLock(() => {
    if (!appStale()) return false;
    run([path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'warn'], log);
    return true;
  });
}

// `node bin/build-if-stale.mjs [renderer|app]`
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const what = process.argv[2] ?? 'renderer';
  const built = what === 'app' ? ensureAppBuilt() : ensureRendererBuilt();
  process.stderr.write(built ? `${what} built\n` : `${what} is up to date\n`);
}
