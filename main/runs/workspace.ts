import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The default workspace: the user's data folder for the app (XDG on Linux, Application Support on macOS, %APPDATA%
 * on Windows), overridable with COLLAPSE_LAB_WORKSPACE or a door's --out option.
 */
export function defaultWorkspace(): string {
  if (process.env.COLLAPSE_LAB_WORKSPACE) return path.resolve(process.env.COLLAPSE_LAB_WORKSPACE);
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Collapse Lab', 'runs');
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Collapse Lab', 'runs');
    default:
      return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'collapse-lab', 'runs');
  }
}

/**
 * The folder a door's `--out` (or `flag`) option names, else the default workspace, resolved. An empty or blank value
 * is refused: `path.resolve('')` would silently be the current folder. With `create`, the folder is then checked and
 * made as {@link ensureWorkspace} does (commands that write into it check before any work).
 */
export function workspaceOption(value: string | undefined, opts: { flag?: string; create?: boolean } = {}): string {
  const flag = opts.flag ?? '--out';
  if (value !== undefined && value.trim() === '') throw new Error(`${flag} is empty: name a folder (or leave ${flag} out for the default)`);
  const dir = path.resolve(value ?? defaultWorkspace());
  if (opts.create) ensureWorkspace(dir);
  return dir;
}

/** File systems that hold no user files: a workspace there is refused (statfs magic numbers, Linux). */
const PSEUDO_FILE_SYSTEMS: Record<number, string> = {
  0x9fa0: 'proc',
  0x62656572: 'sysfs',
  0x64626720: 'debugfs',
  0x73636673: 'securityfs',
  0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2',
  0x1cd1: 'devpts',
  0x6e736673: 'nsfs',
  0xcafe4a11: 'bpf',
  0x74726163: 'tracefs',
};

/**
 * Make sure `dir` is a usable workspace folder, creating it (and missing parents) one level at a time. Refuses, with a
 * message naming the folder, a path under /proc or /sys (or another pseudo file system) or /dev (device nodes), a path
 * through a file or a device, and any folder that cannot be made or written. Node's recursive mkdir can loop forever on such paths (e.g. /proc/x), so
 * it is never used here.
 */
export function ensureWorkspace(dir: string): void {
  const target = path.resolve(dir);
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(existing);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        throw new Error(`cannot use workspace ${target}: ${existing}: ${code ?? (e as Error).message}`);
    }
    if (st) {
      if (!st.isDirectory()) {
        const what =
          st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isFIFO() ? 'a pipe' : st.isSocket() ? 'a socket' : 'a file';
        throw new Error(`cannot use workspace ${target}: ${existing} is ${what}, not a folder`);
      }
      break;
    }
    const parent = path.dirname(existing);
    if (parent === existing) throw new Error(`cannot use workspace ${target}: no part of the path exists`);
    missing.unshift(existing);
    existing = parent;
  }
  if (underDevices(existing))
    throw new Error(`cannot use workspace ${target}: ${existing} is in /dev, which holds device nodes, not files`);
  const pseudo = pseudoFileSystem(existing);
  if (pseudo) throw new Error(`cannot use workspace ${target}: ${existing} is on the ${pseudo} pseudo file system, which holds no files`);
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && fs.statSync(d).isDirectory()) continue;
      throw new Error(`cannot create workspace ${target}: mkdir ${d}: ${code ?? (e as Error).message}`);
    }
  }
  try {
    fs.accessSync(target, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    throw new Error(`cannot use workspace ${target}: it is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function pseudoFileSystem(dir: string): string | undefined {
  if (typeof fs.statfsSync !== 'function') return undefined;
  try {
    return PSEUDO_FILE_SYSTEMS[fs.statfsSync(dir).type];
  } catch {
    return undefined;
  }
}

/** Whether a folder is /dev or inside it (devtmpfs shares tmpfs's statfs type, so the path decides). */
function underDevices(dir: string): boolean {
  if (process.platform === 'win32') return false;
  let real = dir;
  try {
    real = fs.realpathSync(dir);
  } catch {
    // the folder as given
  }
  return real === '/dev' || real.startsWith('/dev/');
}
