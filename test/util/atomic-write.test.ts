import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from '../../main/util/atomic-write';

const tmp = mkdtempSync(join(tmpdir(), 'atomic-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes strings and bytes, replaces an existing file, leaves no temporary file', async () => {
    const path = join(tmp, 'a.json');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, '{"x":1}');
    expect(readFileSync(path, 'utf8')).toBe('{"x":1}');
    await writeFileAtomic(path, Uint8Array.from([1, 2, 3]));
    expect(Array.from(readFileSync(path))).toEqual([1, 2, 3]);
    writeFileAtomicSync(path, Buffer.from('sync'));
    expect(readFileSync(path, 'utf8')).toBe('sync');
    expect(readdirSync(tmp)).toEqual(['a.json']);
  });

  it('fails with the target path when the folder does not exist, and cleans up', async () => {
    const path = join(tmp, 'missing-folder', 'b.bin');
    const gone = `cannot write ${path}: ${join(tmp, 'missing-folder')} no longer exists (deleted?)`;
    await expect(writeFileAtomic(path, 'x')).rejects.toThrow(gone);
    expect(() => writeFileAtomicSync(path, 'x')).toThrow(gone);
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the old content when the write cannot complete', async () => {
    const path = join(tmp, 'dir-target');
    // renaming a file over a non-empty folder fails: the folder must survive untouched
    rmSync(path, { recursive: true, force: true });
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'keep');
    await expect(writeFileAtomic(path, 'new')).rejects.toThrow(`cannot write ${path}`);
    expect(readFileSync(join(path, 'inside'), 'utf8')).toBe('keep');
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
