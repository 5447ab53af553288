import { declareSplit, positive } from '../split-kind';

/** Quantity skew: the islands' sizes drawn from a Dirichlet(β), the samples uniformly at random. */
export const quantitySplitKind = declareSplit({
  name: 'quantity',
  label: 'Quantity skew (β)',
  detail: 'island sizes from a Dirichlet(β) draw, samples uniformly at random',
  needsLabels: false,
  fields: {
    beta: { symbol: 'BETA', label: 'Concentration β', hint: 'small β: very unequal island sizes', initial: 0.5, check: positive },
  },
});
