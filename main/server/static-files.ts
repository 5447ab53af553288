import fs from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
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

/**
 * Send a file found under `root` by a URL path tail (percent-encoded, "/"-separated), through the one containment
 * check (main/runs/workspace-file.ts). Answers 400/403/404 itself on a refused or missing path.
 */
export async function sendContainedFile(
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
  const body = await fs.promises.readFile(file);
  res.statusCode = 200;
  res.setHeader('Content-Type', typeOf(file));
  res.setHeader('Content-Length', body.length);
  res.setHeader('Cache-Control', cache === 'immutable' ? 'public, max-age=31536000, immutable' : cache);
  res.end(body);
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
