import fs from 'node:fs';

/**
 * What a small file's version is, for pollers that skip unchanged files: inode, mtime and size ('' when absent). The
 * mtime alone is not enough: it moves in clock ticks of a few ms, so two writes in one tick share it; an atomic write
 * renames a new file (a new inode) into place.
 */
export function fileVersion(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.ino}:${st.mtimeMs}:${st.size}`;
  } catch {
    return '';
  }
}
