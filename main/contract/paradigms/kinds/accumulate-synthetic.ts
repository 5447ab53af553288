import { declareParadigm } from '../paradigm-kind';

/** Every kept synthetic sample so far, no real data (the accumulate of paper 000's code). */
export const accumulateSyntheticParadigm = declareParadigm({
  name: 'accumulate-synthetic',
  label: 'Accumulate (synthetic only)',
  detail: 'every kept sample so far, no real data after generation 0',
  fields: {},
  readsHistory: true,
  usesTrainSize: false,
  usesSyntheticPerReal: false,
  plan: (_v, at) => ({ size: at.generation * at.keep, real: 0, synthetic: at.generation * at.keep }),
  memory: (last) => ({
    what: `the training set (every kept sample, no real data: ${last.size} samples)`,
    field: 'loop.paradigm',
    rows: last.size,
  }),
});
