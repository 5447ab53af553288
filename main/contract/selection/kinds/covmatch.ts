import { z } from 'zod';
import { declareScheme, momentScoringSeconds } from '../scheme-kind';

export const covmatchSchemeKind = declareScheme({
  name: 'covmatch',
  label: 'Covariance matching',
  description:
    'In a PCA subspace of the reference, greedily adds the candidate that brings the kept covariance closest to the ' +
    "reference's (Frobenius norm), starting from the candidate nearest the reference mean.",
  usesReference: true,
  usesFeatures: true,
  usesTarget: false,
  decides: true,
  privacy: "The reference islands' means and covariances (in the feature space) leave them.",
  params: z
    .object({
      components: z.number().int().min(1).max(4096).default(32),
    })
    .strict(),
  // N·p per kept sample in the p-dimensional PCA subspace, plus projecting the candidates
  seconds: (p, w) => (w.candidates * Math.min(p.components, w.featureDim) * w.keep) / 3e8 + momentScoringSeconds(w),
});
