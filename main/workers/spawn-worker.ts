import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Start a worker thread on an engine module. From TypeScript sources (run with tsx) the worker needs tsx's loader;
 * a bundled build passes a .js file and gets none.
 */
export function spawnWorker(file: URL, options: WorkerOptions = {}): Worker {
  const execArgv = [...(options.execArgv ?? process.execArgv)];
  if (file.pathname.endsWith('.ts') && !execArgv.some((a) => a.includes('tsx'))) {
    const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    execArgv.push('--import', loader);
  }
  return new Worker(file, { ...options, execArgv });
}
