import { spawn } from 'node:child_process';

export interface OpenResult {
  opened: boolean;
  /** Why it was not opened, when it was not. */
  reason?: string;
}

/**
 * Open a folder or URL with the desktop's default application (xdg-open, open, or explorer), without waiting for
 * that application. On a machine without a display it says so instead of trying.
 */
export function openExternal(target: string): Promise<OpenResult> {
  const platform = process.platform;
  if (platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return Promise.resolve({ opened: false, reason: 'no display (DISPLAY and WAYLAND_DISPLAY are unset)' });
  }
  const [cmd, args] =
    platform === 'darwin' ? ['open', [target]] : platform === 'win32' ? ['explorer.exe', [target]] : ['xdg-open', [target]];
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: OpenResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    try {
      const child = spawn(cmd, args as string[], { detached: true, stdio: 'ignore' });
      child.once('error', (e) => done({ opened: false, reason: `${cmd}: ${e.message}` }));
      child.once('spawn', () => {
        child.unref();
        done({ opened: true });
      });
    } catch (e) {
      done({ opened: false, reason: `${cmd}: ${(e as Error).message}` });
    }
  });
}
