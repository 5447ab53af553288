import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeIdx } from '../../main/data/idx';

/**
 * Reading an IDX file is streamed: its peak memory is the final float32 samples plus a bounded amount (the chunks in
 * flight and those the garbage collector has not taken yet), not the whole inflated file and its copies. Measured in a
 * child process (its own peak RSS, nothing else loaded) on a gzipped float64 [n, d] file of 64 MB inflated, whose
 * samples take 32 MB: the former reader (inflate whole, copy, convert) grew by more than 150 MB on it.
 */

const MB = 2 ** 20;
const MARGIN = 48 * MB;
const tmp = mkdtempSync(join(tmpdir(), 'idx-memory-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function peakGrowth(file: string, module: string): { growth: number; final: number } {
  const code = `
    const { readSampleFile } = await import(${JSON.stringify(module)});
    const before = process.resourceUsage().maxRSS * 1024;
    const { samples } = await readSampleFile(${JSON.stringify(file)});
    const growth = process.resourceUsage().maxRSS * 1024 - before;
    console.log(JSON.stringify({ growth, final: samples.x.byteLength }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as { growth: number; final: number };
}

describe('IDX reading is streamed within a stated memory bound', () => {
  it('a gzipped 64 MB IDX file peaks at its final samples plus at most 48 MB', () => {
    const n = 80_000;
    const d = 100;
    const x = new Float64Array(n * d);
    for (let i = 0; i < x.length; i++) x[i] = (i % 997) / 997;
    const file = join(tmp, 'vectors.idx2.gz');
    writeIdx(file, x, [n, d], { gzip: true });
    const module = fileURLToPath(new URL('../../main/data/sample-file.ts', import.meta.url));
    const { growth, final } = peakGrowth(file, module);
    expect(final).toBe(n * d * 4);
    expect(growth).toBeLessThan(final + MARGIN);
  });
});
