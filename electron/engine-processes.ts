import { EventEmitter } from 'node:events';
import { utilityProcess } from 'electron';
import type { EngineProcess } from '../main/index';

/** The part of Electron's UtilityProcess that the adapter uses. */
interface UtilityChild {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
}

/**
 * Engine processes of the desktop app (a study's runs, one process each) as Electron utility processes: a packaged
 * app has the RunAsNode fuse off, so child_process.fork (the Electron binary run as Node) cannot start them. The
 * adapter gives the engine the ChildProcess surface it uses (spawn-process.ts EngineProcess); the child talks through
 * process.parentPort (run-process.ts).
 */
export class UtilityEngineProcess extends EventEmitter implements EngineProcess {
  private alive = true;

  constructor(private readonly child: UtilityChild) {
    super();
    child.on('message', (m) => this.emit('message', m));
    child.on('exit', (code) => {
      this.alive = false;
      this.emit('exit', code, null);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get connected(): boolean {
    return this.alive;
  }

  send(message: unknown, callback?: (error: Error | null) => void): boolean {
    if (!this.alive) {
      callback?.(new Error('the engine process has exited'));
      return false;
    }
    this.child.postMessage(message);
    callback?.(null);
    return true;
  }

  kill(): boolean {
    return this.child.kill();
  }
}

export function launchUtilityProcess(file: string, args: string[]): EngineProcess {
  return new UtilityEngineProcess(utilityProcess.fork(file, args, { stdio: 'inherit', serviceName: 'Collapse Lab engine' }));
}
