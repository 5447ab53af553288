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
