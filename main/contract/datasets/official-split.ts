import { z } from 'zod';
import type { OfficialSplit } from './dataset-kind';

/**
 * The config of a packaged dataset with an official train/test split (MNIST, Fashion-MNIST): seeded subsets of each
 * split, at most the images it has, refused at the field in the user's terms ("70,000 is more than the 60,000 training
 * images of mnist"), so the wizard says so before a run launches.
 */
export function officialSplitSchema<K extends string>(kind: K, split: OfficialSplit) {
  return z
    .object({
      kind: z.literal(kind),
      /** Number of training samples to use (seeded random subset); the whole training split when absent. */
      subset: officialSubset(kind, split.train, 'train'),
      /** Number of test samples kept for evaluation; the whole test split when absent. */
      testSubset: officialSubset(kind, split.test, 'test'),
    })
    .strict();
}

function officialSubset(kind: string, size: number, which: 'train' | 'test') {
  return z
    .number()
    .int()
    .min(1)
    .max(size, { error: (iss) => officialSubsetMessage(Number(iss.input), size, which, kind) })
    .optional();
}

/** "70,000 is more than the 60,000 training images of mnist". */
export function officialSubsetMessage(n: number, size: number, which: 'train' | 'test', kind: string): string {
  const words = which === 'train' ? 'training' : 'test';
  return `${n.toLocaleString('en-US')} is more than the ${size.toLocaleString('en-US')} ${words} images of ${kind}`;
}

/** The same check for a config that skipped the schema: one issue per subset beyond its split. */
export function officialSubsetIssues(
  cfg: { kind: string; subset?: number; testSubset?: number },
  split: OfficialSplit,
): { path: string; message: string }[] {
  const over = (field: string, n: number | undefined, size: number, which: 'train' | 'test') =>
    n !== undefined && n > size ? [{ path: field, message: officialSubsetMessage(n, size, which, cfg.kind) }] : [];
  return [...over('dataset.subset', cfg.subset, split.train, 'train'), ...over('dataset.testSubset', cfg.testSubset, split.test, 'test')];
}
