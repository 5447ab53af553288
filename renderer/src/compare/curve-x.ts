import type { StudyCellAggregate } from '../../../main/contract/study-aggregate';

/**
 * What a curve's x axis counts: the generation, the wall time (cumulative seconds of the generations), or the
 * cumulative synthetic samples (the candidates drawn from the models so far). One choice for every curve of a view.
 */
export const curveXs = ['generation', 'wallTime', 'syntheticSamples'] as const;
export type CurveX = (typeof curveXs)[number];

export const curveXLabels: Record<CurveX, string> = {
  generation: 'generation',
  wallTime: 'wall time (s)',
  syntheticSamples: 'synthetic samples drawn (cumulative)',
};

/** The metric a cumulative x axis sums, generation by generation. */
const summed: Record<Exclude<CurveX, 'generation'>, string> = { wallTime: 'seconds', syntheticSamples: 'candidates' };

/**
 * x of each generation from one run's lines (generation order): the generation itself, or the running sum of the
 * summed metric up to and including that generation; null from the first line that lacks it.
 */
export function xOfLines(lines: { generation: number; [k: string]: unknown }[], x: CurveX): Map<number, number | null> {
  const out = new Map<number, number | null>();
  let sum: number | null = 0;
  for (const l of [...lines].sort((a, b) => a.generation - b.generation)) {
    if (x === 'generation') {
      out.set(l.generation, l.generation);
      continue;
    }
    const v = l[summed[x]];
    sum = sum !== null && typeof v === 'number' && Number.isFinite(v) ? sum + v : null;
    out.set(l.generation, sum);
  }
  return out;
}

/**
 * x of each generation of a cell, from its aggregate: the sum of the cell's mean per generation (the mean of the
 * runs' cumulative sums, when every run has every generation), so the curves come from the aggregate alone.
 */
export function xOfCell(cell: StudyCellAggregate, x: CurveX): Map<number, number | null> {
  return xOfLines(
    cell.generations.map((g) => ({
      generation: g.generation,
      ...(x === 'generation' ? {} : { [summed[x]]: g.metrics[summed[x]]?.mean }),
    })),
    x,
  );
}
