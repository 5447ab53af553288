import { z } from 'zod';
import { declareScheme, noSeconds } from '../scheme-kind';

export const randomSchemeKind = declareScheme({
  name: 'random',
  label: 'Random',
  description: 'A uniformly random subset of n of the N candidates.',
  usesReference: false,
  usesFeatures: false,
  usesTarget: false,
  decides: true,
  privacy: 'No island is asked anything.',
  params: z.object({}).strict(),
  seconds: noSeconds,
});
