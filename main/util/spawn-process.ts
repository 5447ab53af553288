import { fork, type ForkOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the engine uses of a child process, with an IPC channel: Node's ChildProcess has it, and so has the Electron
 * door's adapter over utilityProcess (electron/engine-processes.ts).
 */
export interface EngineProcess {
  readonly pid?: number;
  readonly connected?: boolean;
  send(message: unknown, callback?: (error: Error | null) => void): boolean;
  kill(signal?: NodeJS.Signals): boolean;
  // a message is whatever the child posts
  on(event: 'message', listener: (message: any) => void): this; // eslint-disable-line
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}

/** Starts a built engine module as a child process (args as its argv tail). */
export type ProcessLauncher = (file: string, args: string[]) => EngineProcess;

let launcher: ProcessLauncher | null = null;

/**
 * The Electron door starts engine processes through utilityProcess: a packaged app has the RunAsNode fuse off, so
 * fork (which runs the Electron binary as Node) cannot start one there. Node doors keep fork.
 */
export function setProcessLauncher(l: ProcessLauncher | null): void {
  launcher = l;
}

/**
 * Start a child process on an engine module, with an IPC channel to it. From TypeScript sources the child first
 * registers tsx's loader (ts-process-bootstrap.mjs); inside a bundle (the Electron main process) the module is built
 * beside the bundle as `<basename>.js` (see electron.vite.config.ts), and fork runs it with Electron as Node.
 */
export function spawnProcess(file: URL, args: string[] = [], options: ForkOptions = {}): EngineProcess {
  if (file.pathname.endsWith('.ts') && !existsSync(fileURLToPath(file))) {
    const built = new URL(`./${basename(file.pathname, '.ts')}.js`, import.meta.url);
    if (existsSync(fileURLToPath(built))) file = built;
  }
  if (launcher && file.pathname.endsWith('.js')) return launcher(fileURLToPath(file), args);
  if (file.pathname.endsWith('.ts')) {
    const bootstrap = fileURLToPath(new URL('./ts-process-bootstrap.mjs', import.meta.url));
    return fork(bootstrap, args, { ...options, env: { ...(options.env ?? process.env), COLLAPSE_LAB_PROCESS_ENTRY: file.href } });
  }
  return fork(fileURLToPath(file), args, options);
}
