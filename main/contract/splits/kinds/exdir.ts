import { declareSplit, positive } from '../split-kind';

/** ExDir: each island holds C classes, each class shared among its owners by a Dirichlet(α) draw. */
export const exdirSplitKind = declareSplit({
  name: 'exdir',
  label: 'ExDir (C classes per island, α)',
  detail: 'each island draws C distinct classes, each class divided among its owners by a Dirichlet(α) draw',
  needsLabels: true,
  fields: {
    classesPerIsland: {
      symbol: 'C',
      label: 'Classes per island (C)',
      initial: 1,
      check: (v) => (Number.isInteger(v) && v >= 1 ? undefined : 'must be an integer >= 1'),
    },
    alpha: { symbol: 'ALPHA', label: 'Concentration α', hint: 'small α: each island holds few classes', initial: 0.1, check: positive },
  },
});
