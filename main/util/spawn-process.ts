import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Start a child process on an engine module, with an IPC channel to it. From TypeScript sources the child first
 * registers tsx's loader (ts-process-bootstrap.mjs); inside a bundle (the Electron main process) the module is built
 * beside the bundle as `<basename>.js` (see electron.vite.config.ts), and fork runs it with Electron as Node.
 */
export function spawnProcess(file: URL, args: string[] = [], options: ForkOptions = {}): ChildProcess {
  if (file.pathname.endsWith('.ts') && !existsSync(fileURLToPath(file))) {
    const built = new URL(`./${basename(file.pathname, '.ts')}.js`, import.meta.url);
    if (existsSync(fileURLToPath(built))) file = built;
  }
  if (file.pathname.endsWith('.ts')) {
    const bootstrap = fileURLToPath(new URL('./ts-process-bootstrap.mjs', import.meta.url));
    return fork(bootstrap, args, { ...options, env: { ...(options.env ?? process.env), COLLAPSE_LAB_PROCESS_ENTRY: file.href } });
  }
  return fork(fileURLToPath(file), args, options);
}
