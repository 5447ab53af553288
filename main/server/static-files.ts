import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { contentTypeOf, parseFileUrlPath, resolveWorkspaceFile, WorkspaceFileError } from '../index';

const RENDERER_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

function typeOf(file: string): string {
  return RENDERER_TYPES[path.extname(file).toLowerCase()] ?? contentTypeOf(file);
}

/** Bytes read ahead per file response: with the server's connection cap, the bound on the file door's memory. */
export const FILE_CHUNK_BYTES = 64 * 1024;

/**
 * Send a file found under `root` by a URL path tail (percent-encoded, "/"-separated), through the one containment
 * check (main/runs/workspace-file.ts). Answers 400/403/404 itself on a refused or missing path. The file is streamed
 * in {@link FILE_CHUNK_BYTES} chunks, each read only when the client has taken the one before (never the whole file
 * in memory), and a single byte range (`Range: bytes=a-b`, `a-`, `-n`) is answered 206 (416 when outside the file).
 */
export async function sendContainedFile(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  tail: string,
  cache: 'no-store' | 'immutable' | 'no-cache',
): Promise<void> {
  let file: string;
  try {
    file = await resolveWorkspaceFile(root, parseFileUrlPath(tail));
  } catch (e) {
    if (e instanceof WorkspaceFileError) return sendText(res, e.status, e.message);
    throw e;
  }
  const handle = await fs.promises.open(file, 'r');
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (e) {
    await handle.close();
    throw e;
  }
  const range = byteRange(req.headers.range, size);
  res.setHeader('Content-Type', typeOf(file));
  res.setHeader('Cache-Control', cache === 'immutable' ? 'public, max-age=31536000, immutable' : cache);
  res.setHeader('Accept-Ranges', 'bytes');
  if (range === 'unsatisfiable') {
    await handle.close();
    res.setHeader('Content-Range', `bytes */${size}`);
    return sendText(res, 416, `range not satisfiable: the file holds ${size} bytes`);
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  res.statusCode = range ? 206 : 200;
  if (range) res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  res.setHeader('Content-Length', Math.max(0, end - start + 1));
  if (req.method === 'HEAD' || size === 0) {
    await handle.close();
    res.end();
    return;
  }
  const stream = handle.createReadStream({ start, end, highWaterMark: FILE_CHUNK_BYTES, autoClose: true });
  try {
    await pipeline(stream, res);
  } catch {
    // the client went away (or the file vanished mid-way): the stream and the file are closed by the pipeline
    res.destroy();
  }
}

/**
 * The one byte range of a Range header against a file of `size` bytes: null to send the whole file (no header, or
 * one this server does not serve: several ranges, another unit), or 'unsatisfiable'.
 */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return null;
  }
  if (!Number.isSafeInteger(start) || start >= size) return 'unsatisfiable';
  return { start, end };
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(text + '\n');
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}
