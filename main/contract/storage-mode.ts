import { z } from 'zod';

/**
 * What each generation of a run keeps on disk (config `storage`, or a study's `storage` for all its runs):
 * - `all`: every generation's folder (sample grid, rejected grid, kept samples, model checkpoint), as always;
 * - `every:K`: the generation folders of generations 0, K, 2K, … and the last;
 * - `metrics`: the metrics lines and the last generation's kept samples and grid only (no island pictures, no model).
 * Every mode writes every metrics line, and every mode resumes after a kill byte-identically: the files a resume needs
 * that the mode does not keep are rebuilt by replaying the generations in memory (main/loop/run-experiment.ts).
 */
export type StorageMode = { kind: 'all' } | { kind: 'every'; every: number } | { kind: 'metrics' };

export function parseStorageMode(text: string): StorageMode {
  const t = text.trim().toLowerCase();
  if (t === 'all' || t === 'metrics') return { kind: t };
  if (t.startsWith('every:')) {
    const raw = t.slice(6).trim();
    const k = Number(raw);
    if (raw === '' || !Number.isInteger(k) || k < 1 || k > 10_000) {
      throw new Error(`storage "${text}": K in every:K must be a whole number of generations from 1 to 10000`);
    }
    return { kind: 'every', every: k };
  }
  throw new Error(`storage "${text}": use all, every:K (e.g. every:10) or metrics`);
}

export const storageModeText = z.string().superRefine((v, ctx) => {
  try {
    parseStorageMode(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

/** Whether generation g of a run of `generations` keeps its folder under the mode (the last always does). */
export function keepsGeneration(mode: StorageMode, g: number, generations: number): boolean {
  if (g >= generations - 1) return true;
  if (mode.kind === 'all') return true;
  if (mode.kind === 'every') return g % mode.every === 0;
  return false;
}
