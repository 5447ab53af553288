import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Start a worker thread on an engine module. From TypeScript sources the worker needs tsx's loader (registered by a
 * bootstrap, below); a bundled build passes a .js file and gets none.
 */
export function spawnWorker(file: URL, options: WorkerOptions = {}): Worker {
  if (file.pathname.endsWith('.ts') && !existsSync(fileURLToPath(file))) {
    // inside a bundle (the Electron main process) the sources are gone: the worker entry is built beside the bundle
    const built = new URL(`./${basename(file.pathname, '.ts')}.js`, import.meta.url);
    if (existsSync(fileURLToPath(built))) file = built;
  }
  if (file.pathname.endsWith('.ts')) {
    // from sources: on Node 20 a tsx `--import` in the worker's execArgv does not reach the worker's own entry module
    // ("Unknown file extension .ts"), so a tiny bootstrap registers tsx's ESM loader inside the worker first
    const tsxApi = pathToFileURL(
      createRequire(import.meta.url)
        .resolve('tsx/esm/api')
        .replace(/index\.cjs$/, 'index.mjs'),
    ).href;
    const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(file.href)}); })`;
    return new Worker(bootstrap, { ...options, eval: true });
  }
  return new Worker(file, options);
}
