import { declareSplit, positive } from '../split-kind';

/** Label skew: each class's samples shared among the islands by a Dirichlet(α) draw. */
export const dirichletSplitKind = declareSplit({
  name: 'dirichlet',
  label: 'Dirichlet label skew (α)',
  detail: 'each class shared among the islands by a Dirichlet(α) draw',
  needsLabels: true,
  fields: {
    alpha: { symbol: 'ALPHA', label: 'Concentration α', hint: 'small α: each island holds few classes', initial: 0.5, check: positive },
  },
});
