import { declareParadigm } from '../paradigm-kind';

/** Each generation trains on the previous generation's kept samples only. */
export const replaceParadigm = declareParadigm({
  name: 'replace',
  label: 'Replace',
  detail: 'each generation trains only on the previous one’s kept samples',
  fields: {},
  readsHistory: false,
  usesTrainSize: false,
  usesSyntheticPerReal: false,
  plan: (_v, at) => ({ size: at.keep, real: 0, synthetic: at.keep }),
});
