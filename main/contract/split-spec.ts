import { z } from 'zod';

/** How the real training data is divided into islands, parsed from `iid | dirichlet:A | exdir:C,A | quantity:B`. */
export type SplitSpec =
  | { kind: 'iid' }
  | { kind: 'dirichlet'; alpha: number }
  | { kind: 'exdir'; classesPerIsland: number; alpha: number }
  | { kind: 'quantity'; beta: number };

export function parseSplit(text: string): SplitSpec {
  const t = text.trim().toLowerCase();
  if (t === 'iid') return { kind: 'iid' };
  const [head, rest] = t.split(':', 2);
  const num = (s: string | undefined, what: string): number => {
    const v = Number(s);
    if (s === undefined || s.trim() === '' || !Number.isFinite(v)) {
      throw new Error(`split "${text}": ${what} must be a number`);
    }
    return v;
  };
  switch (head) {
    case 'dirichlet': {
      const alpha = num(rest, 'ALPHA in dirichlet:ALPHA');
      if (!(alpha > 0)) throw new Error(`split "${text}": ALPHA must be > 0`);
      return { kind: 'dirichlet', alpha };
    }
    case 'exdir': {
      const parts = (rest ?? '').split(',');
      if (parts.length !== 2) throw new Error(`split "${text}": expected exdir:C,ALPHA (e.g. exdir:1,0.1)`);
      const c = num(parts[0], 'C in exdir:C,ALPHA');
      const alpha = num(parts[1], 'ALPHA in exdir:C,ALPHA');
      if (!Number.isInteger(c) || c < 1) throw new Error(`split "${text}": C must be an integer >= 1`);
      if (!(alpha > 0)) throw new Error(`split "${text}": ALPHA must be > 0`);
      return { kind: 'exdir', classesPerIsland: c, alpha };
    }
    case 'quantity': {
      const beta = num(rest, 'BETA in quantity:BETA');
      if (!(beta > 0)) throw new Error(`split "${text}": BETA must be > 0`);
      return { kind: 'quantity', beta };
    }
    default:
      throw new Error(`split "${text}": unknown kind; use iid, dirichlet:ALPHA, exdir:C,ALPHA or quantity:BETA`);
  }
}

export function formatSplit(s: SplitSpec): string {
  switch (s.kind) {
    case 'iid':
      return 'iid';
    case 'dirichlet':
      return `dirichlet:${s.alpha}`;
    case 'exdir':
      return `exdir:${s.classesPerIsland},${s.alpha}`;
    case 'quantity':
      return `quantity:${s.beta}`;
  }
}

/** A zod string that must parse as a split. */
export const splitText = z.string().superRefine((v, ctx) => {
  try {
    parseSplit(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});
