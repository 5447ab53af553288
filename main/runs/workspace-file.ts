import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The one path-containment check of every door that serves run files (the server's /files/…, Electron's lab-file://):
 * a request names a run and a path inside it, and gets a file only if that file really lies inside the workspace.
 */
export class WorkspaceFileError extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message);
    this.name = 'WorkspaceFileError';
  }
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Check the segments of a relative path (already split on "/" and percent-decoded) without touching the disk:
 * only names of letters, digits, ".", "_" and "-" that do not start with "." (so no "..", no hidden files), no empty
 * segment, no backslash, colon or NUL (no Windows drive or separator tricks). Returns the segments or throws 400.
 */
export function checkRelativeSegments(segments: string[]): string[] {
  if (segments.length === 0) throw new WorkspaceFileError(400, 'empty file path');
  if (segments.length > 16) throw new WorkspaceFileError(400, 'file path too deep');
  for (const s of segments) {
    if (!SEGMENT.test(s) || s.length > 200) {
      throw new WorkspaceFileError(400, `refused path segment ${JSON.stringify(s)}`);
    }
  }
  return segments;
}

/**
 * Split a URL path tail ("runId/gen-000/samples.png", percent-encoded) into checked segments. Percent-decoding
 * happens once, per segment, after the split, so an encoded "/" (%2F) or "\" cannot smuggle a separator in, and an
 * encoded ".." is refused like a plain one.
 */
export function parseFileUrlPath(tail: string): string[] {
  const raw = tail.split('/');
  const segments = raw.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new WorkspaceFileError(400, `malformed percent-encoding in ${JSON.stringify(s)}`);
    }
  });
  return checkRelativeSegments(segments);
}

/**
 * Resolve checked segments (run id first) to a regular file inside `workspace`, following symlinks and refusing any
 * whose real location escapes the workspace's real location. Throws WorkspaceFileError 403 on an escape, 404 when
 * there is no such file.
 */
export async function resolveWorkspaceFile(workspace: string, segments: string[]): Promise<string> {
  checkRelativeSegments(segments);
  let root: string;
  try {
    root = await fs.realpath(path.resolve(workspace));
  } catch {
    throw new WorkspaceFileError(404, 'the workspace does not exist');
  }
  const candidate = path.resolve(root, ...segments);
  if (!isInside(root, candidate)) throw new WorkspaceFileError(403, 'path escapes the workspace');
  let real: string;
  try {
    real = await fs.realpath(candidate);
  } catch {
    throw new WorkspaceFileError(404, `no file ${segments.join('/')}`);
  }
  if (!isInside(root, real)) throw new WorkspaceFileError(403, 'path escapes the workspace through a link');
  const st = await fs.stat(real);
  if (!st.isFile()) throw new WorkspaceFileError(404, `${segments.join('/')} is not a file`);
  return real;
}

/** True when `child` is strictly inside `root` (both absolute and normalised). */
export function isInside(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel !== '' && rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel);
}

/** Content types of the files a run folder holds. */
export function contentTypeOf(file: string): string {
  switch (path.extname(file).toLowerCase()) {
    case '.png':
      return 'image/png';
    case '.json':
      return 'application/json; charset=utf-8';
    case '.jsonl':
      return 'application/x-ndjson; charset=utf-8';
    case '.txt':
    case '.log':
      return 'text/plain; charset=utf-8';
    default:
      return 'application/octet-stream';
  }
}
