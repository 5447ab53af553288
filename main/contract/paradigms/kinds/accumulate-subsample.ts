import { declareParadigm } from '../paradigm-kind';

/** A training set of trainSize drawn without replacement from the real data and every kept sample so far. */
export const accumulateSubsampleParadigm = declareParadigm({
  name: 'accumulate-subsample',
  label: 'Accumulate-subsample',
  detail: 'a fixed-size draw from real + all kept',
  fields: {},
  readsHistory: true,
  usesTrainSize: true,
  usesSyntheticPerReal: false,
  plan: (_v, at) => {
    const pool = at.realN + at.generation * at.keep;
    return { size: Math.min(at.trainSize, pool), real: null, synthetic: null, pool };
  },
  memory: (last, loop) => ({
    what: `the training pool and set (${last.pool} + ${last.size} samples)`,
    field: loop.trainSize ? 'loop.trainSize' : 'loop.paradigm',
    rows: last.pool! + last.size,
  }),
});
