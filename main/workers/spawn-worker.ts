import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Start a worker thread on an engine module. From TypeScript sources (run with tsx) the worker needs tsx's loader;
 * a bundled build passes a .js file and gets none.
 */
export function spawnWorker(file: URL, options: WorkerOptions = {}): Worker {
  if (file.pathname.endsWith('.ts') && !existsSync(fileURLToPath(file))) {
    // inside a bundle (the Electron main process) the sources are gone: the worker entry is built beside the bundle
    const built = new URL(`./${basename(file.pathname, '.ts')}.js`, import.meta.url);
    if (existsSync(fileURLToPath(built))) file = built;
  }
  const execArgv = [...(options.execArgv ?? process.execArgv)];
  if (file.pathname.endsWith('.ts') && !execArgv.some((a) => a.includes('tsx'))) {
    const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    execArgv.push('--import', loader);
  }
  return new Worker(file, { ...options, execArgv });
}
