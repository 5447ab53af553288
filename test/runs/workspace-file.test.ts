import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkRelativeSegments,
  isInside,
  parseFileUrlPath,
  resolveWorkspaceFile,
  WorkspaceFileError,
} from '../../main/runs/workspace-file';

/** The one containment check shared by the server's /files and Electron's lab-file:// protocol. */

let dir: string;
let ws: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-wsfile-'));
  ws = path.join(dir, 'ws');
  fs.mkdirSync(path.join(ws, 'run-1', 'gen-000'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'run-1', 'gen-000', 'samples.png'), 'png');
  fs.writeFileSync(path.join(dir, 'secret'), 'secret');
  fs.mkdirSync(path.join(dir, 'ws-evil'));
  fs.writeFileSync(path.join(dir, 'ws-evil', 'x.png'), 'sibling');
  fs.symlinkSync(path.join(dir, 'secret'), path.join(ws, 'run-1', 'link-out.png'));
  fs.symlinkSync(path.join(dir, 'ws-evil'), path.join(ws, 'run-1', 'dir-out'));
  fs.symlinkSync(path.join(ws, 'run-1', 'gen-000'), path.join(ws, 'run-1', 'dir-in'));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function status(segments: string[]): Promise<number | string> {
  try {
    return await resolveWorkspaceFile(ws, segments);
  } catch (e) {
    if (e instanceof WorkspaceFileError) return e.status;
    throw e;
  }
}

describe('checkRelativeSegments', () => {
  it('accepts plain names', () => {
    expect(checkRelativeSegments(['run-1', 'gen-000', 'samples.png'])).toEqual(['run-1', 'gen-000', 'samples.png']);
  });

  it.each([
    [['..']],
    [['.']],
    [['run', '..', 'x']],
    [['']],
    [['a', '']],
    [['.hidden']],
    [['a\\..\\b']],
    [['C:']],
    [['a\u0000b']],
    [['/etc']],
    [[]],
  ])('refuses %j with 400', (segments) => {
    expect(() => checkRelativeSegments(segments)).toThrow(WorkspaceFileError);
    try {
      checkRelativeSegments(segments);
    } catch (e) {
      expect((e as WorkspaceFileError).status).toBe(400);
    }
  });
});

describe('parseFileUrlPath', () => {
  it('decodes each segment once, after splitting', () => {
    expect(parseFileUrlPath('run-1/gen-000/samples.png')).toEqual(['run-1', 'gen-000', 'samples.png']);
    // %2F inside a segment is not a separator: the decoded segment holds a "/" and is refused
    expect(() => parseFileUrlPath('run-1/..%2F..%2Fsecret')).toThrow(WorkspaceFileError);
    expect(() => parseFileUrlPath('%2e%2e/secret')).toThrow(WorkspaceFileError);
    expect(() => parseFileUrlPath('run-1/%E0%A4%A')).toThrow(/malformed/);
    // double encoding decodes once to a harmless literal name, which the segment rule refuses ("%")
    expect(() => parseFileUrlPath('%252e%252e/x')).toThrow(WorkspaceFileError);
  });
});

describe('resolveWorkspaceFile', () => {
  it('finds a file inside', async () => {
    expect(await status(['run-1', 'gen-000', 'samples.png'])).toBe(fs.realpathSync(path.join(ws, 'run-1', 'gen-000', 'samples.png')));
    expect(typeof (await status(['run-1', 'dir-in', 'samples.png']))).toBe('string');
  });

  it('404 for missing files and folders', async () => {
    expect(await status(['run-1', 'nothing.png'])).toBe(404);
    expect(await status(['run-1', 'gen-000'])).toBe(404);
  });

  it('403 for symlinks that lead out (file or folder), including to a sibling folder sharing the prefix', async () => {
    expect(await status(['run-1', 'link-out.png'])).toBe(403);
    expect(await status(['run-1', 'dir-out', 'x.png'])).toBe(403);
  });

  it('isInside is strict and prefix-safe', () => {
    expect(isInside('/a/ws', '/a/ws/x')).toBe(true);
    expect(isInside('/a/ws', '/a/ws')).toBe(false);
    expect(isInside('/a/ws', '/a/ws-evil/x')).toBe(false);
    expect(isInside('/a/ws', '/a/x')).toBe(false);
    expect(isInside('/a/ws', '/a/ws/..x')).toBe(true);
  });
});
