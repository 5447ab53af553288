import { z } from 'zod';

/** Which data each generation after the first trains on. */
export type Paradigm =
  | { kind: 'replace' }
  | { kind: 'accumulate' }
  /** Every kept synthetic sample so far, no real data (the accumulate of paper 000's code). */
  | { kind: 'accumulate-synthetic' }
  | { kind: 'accumulate-subsample' }
  | { kind: 'mixed'; realFraction: number };

export function parseParadigm(text: string): Paradigm {
  const t = text.trim().toLowerCase();
  if (t === 'replace' || t === 'accumulate' || t === 'accumulate-synthetic' || t === 'accumulate-subsample') return { kind: t };
  if (t.startsWith('mixed:')) {
    const v = Number(t.slice(6));
    if (t.slice(6).trim() === '' || !Number.isFinite(v) || v < 0 || v > 1) {
      throw new Error(`paradigm "${text}": LAMBDA in mixed:LAMBDA must be a number in [0, 1]`);
    }
    return { kind: 'mixed', realFraction: v };
  }
  throw new Error(`paradigm "${text}": use replace, accumulate, accumulate-synthetic, accumulate-subsample or mixed:LAMBDA`);
}

export const paradigmText = z.string().superRefine((v, ctx) => {
  try {
    parseParadigm(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});
