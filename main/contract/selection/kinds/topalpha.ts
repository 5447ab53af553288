import { z } from 'zod';
import { declareScheme, momentScoringSeconds } from '../scheme-kind';

export const topalphaSchemeKind = declareScheme({
  name: 'topalpha',
  label: 'Top-α local verifier',
  description:
    'Scores candidates by the negative Mahalanobis distance to the reference (mean and covariance) and keeps the top ' +
    'ones: the biased selection of the theory. With alpha, the verifier accepts the top ⌈α·N⌉ and n are drawn from them.',
  usesReference: true,
  usesFeatures: true,
  usesTarget: true,
  decides: true,
  privacy: "The reference islands' means and covariances (in the feature space) leave them.",
  params: z
    .object({
      /** Fraction of the N candidates the verifier accepts (≥ n/N); exactly the top n when absent. */
      alpha: z.number().gt(0).max(1).optional(),
      /** Added to the covariance diagonal, relative to its mean diagonal entry. */
      ridge: z.number().min(0).max(1).default(1e-6),
    })
    .strict(),
  seconds: (_p, w) => momentScoringSeconds(w),
});
