import { declareParadigm } from '../paradigm-kind';

/** The real data plus every kept sample so far. */
export const accumulateParadigm = declareParadigm({
  name: 'accumulate',
  label: 'Accumulate',
  detail: 'real data plus every kept sample so far',
  fields: {},
  readsHistory: true,
  usesTrainSize: false,
  usesSyntheticPerReal: false,
  plan: (_v, at) => ({ size: at.realN + at.generation * at.keep, real: at.realN, synthetic: at.generation * at.keep }),
  memory: (last) => ({
    what: `the training set (real and every kept sample: ${last.size} samples)`,
    field: 'loop.paradigm',
    rows: last.size,
  }),
});
