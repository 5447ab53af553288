import { declareSplit } from '../split-kind';

/** A random permutation cut into near-equal parts. */
export const iidSplitKind = declareSplit({
  name: 'iid',
  label: 'IID (uniform at random)',
  detail: 'a random permutation cut into near-equal parts',
  needsLabels: false,
  fields: {},
});
