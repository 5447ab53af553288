#!/usr/bin/env node
// `npm start`: the desktop app when Electron can start here; otherwise it says why and serves the same interface to
// a browser at a local URL (with its access token). Extra arguments go to `collapse-lab serve` (e.g. --port 8080).
// COLLAPSE_LAB_NO_ELECTRON=1 or --server skips Electron.
import { spawn, spawnSync } from 'node:child_process';
import { ensureAppBuilt, ensureRendererBuilt, root } from './build-if-stale.mjs';

const say = (m) => process.stderr.write(`collapse-lab: ${m}\n`);
const args = process.argv.slice(2);
const forceServer = args.includes('--server') || process.env.COLLAPSE_LAB_NO_ELECTRON === '1';
const serveArgs = args.filter((a) => a !== '--server');

/** The Electron binary's path, or why there is none. Asked in a child process: a first require may try a download. */
function electronBinary() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // a first require may print "Downloading Electron binary..." before the path
  const out = (r.stdout ?? '').trim().split('\n').filter(Boolean);
  if (r.status === 0 && out.length) return { path: out[out.length - 1] };
  const lines = (r.stderr || r.error?.message || '').trim().split('\n').filter(Boolean);
  const detail = lines.find((l) => /Error/.test(l))?.replace(/^\s*\w*Error:\s*/, '') ?? lines.slice(-1)[0] ?? 'unknown error';
  return { reason: `the Electron binary is not available (${detail})` };
}

async function serve(why) {
  if (why) say(`the desktop app cannot start: ${why}.`);
  say('serving the same interface to your browser instead.');
  ensureRendererBuilt((m) => say(m));
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../main/cli/index.ts');
  await main(['node', 'collapse-lab', 'serve', ...serveArgs]);
}

async function desktop(binary) {
  ensureAppBuilt((m) => say(m));
  const started = Date.now();
  const child = spawn(binary, [root], { stdio: ['inherit', 'inherit', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    process.stderr.write(d);
  });
  const code = await new Promise((resolve) => {
    child.on('error', (e) => {
      stderr += e.message;
      resolve(-1);
    });
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  // an Electron that dies at once (missing system libraries, no GPU/display access) is "cannot start", not a crash
  if (code !== 0 && Date.now() - started < 15_000) {
    const last = stderr.trim().split('\n').filter(Boolean).slice(-1)[0] ?? `exit code ${code}`;
    return serve(`Electron exited at start (${last})`);
  }
  process.exitCode = code;
}

if (forceServer) {
  await serve(null);
} else {
  const e = electronBinary();
  if (e.path) await desktop(e.path);
  else await serve(e.reason);
}
