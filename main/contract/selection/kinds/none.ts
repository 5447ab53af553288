import { z } from 'zod';
import { declareScheme, noSeconds } from '../scheme-kind';

export const noneSchemeKind = declareScheme({
  name: 'none',
  label: 'None (keep the first n candidates)',
  description: 'No filter: the first n of the N candidates are kept, which is the same as generating n.',
  usesReference: false,
  usesFeatures: false,
  usesTarget: false,
  decides: false,
  privacy: 'No island is asked anything.',
  params: z.object({}).strict(),
  seconds: noSeconds,
});
