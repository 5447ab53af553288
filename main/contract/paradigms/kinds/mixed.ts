import { declareParadigm } from '../paradigm-kind';

/**
 * mixed:λ's parts: round(λ × trainSize) real rows (at most the real data), then the rest of trainSize from the previous
 * generation's kept samples, or with syntheticPerReal = s, round(s × the real rows) (mixed:1 with s: all the real data
 * plus s times as much synthetic, the mixed training of paper 004).
 */
export function mixedParts(
  realFraction: number,
  realN: number,
  trainSize: number,
  syntheticPerReal: number | undefined,
): { real: number; synthetic: number } {
  const real = Math.min(realN, Math.round(realFraction * trainSize));
  const synthetic = syntheticPerReal === undefined ? trainSize - real : Math.round(syntheticPerReal * real);
  return { real, synthetic };
}

/** A share λ of real data, the rest from the previous generation's kept samples. */
export const mixedParadigm = declareParadigm({
  name: 'mixed',
  label: 'Mixed',
  detail: 'a fraction λ of real data, the rest from the previous generation',
  fields: {
    realFraction: {
      symbol: 'LAMBDA',
      label: 'Real fraction λ',
      hint: 'share of real samples in each training set, 0–1',
      initial: 0.5,
      check: (v) => (v < 0 || v > 1 ? 'must be in [0, 1]' : undefined),
    },
  },
  readsHistory: false,
  usesTrainSize: true,
  usesSyntheticPerReal: true,
  plan: (v, at) => {
    const { real, synthetic } = mixedParts(v.realFraction, at.realN, at.trainSize, at.syntheticPerReal);
    return { size: real + synthetic, real, synthetic };
  },
  memory: (last, loop) =>
    loop.syntheticPerReal === undefined
      ? { what: `the training set (${last.size} samples)`, field: 'loop.trainSize', rows: last.size }
      : {
          what: `the training set (${last.real} real + ${last.synthetic} synthetic samples, loop.syntheticPerReal = ${loop.syntheticPerReal})`,
          field: 'loop.syntheticPerReal',
          rows: last.size,
        },
});
