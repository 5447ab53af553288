import { z } from 'zod';
import { declareScheme, momentScoringSeconds } from '../scheme-kind';

export const centerSchemeKind = declareScheme({
  name: 'center',
  label: 'Center matching',
  description: 'Keeps the candidates nearest the reference mean.',
  usesReference: true,
  usesFeatures: true,
  usesTarget: false,
  decides: true,
  privacy: "The reference islands' means leave them.",
  params: z.object({}).strict(),
  seconds: (_p, w) => momentScoringSeconds(w),
});
