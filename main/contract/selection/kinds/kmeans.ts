import { z } from 'zod';
import { declareScheme } from '../scheme-kind';

export const kmeansSchemeKind = declareScheme({
  name: 'kmeans',
  label: 'k-means (k = n)',
  description: 'k-means on the candidates with k = n (k-means++ start, Lloyd iterations); keeps the candidate nearest each centroid.',
  usesReference: false,
  usesFeatures: true,
  usesTarget: false,
  decides: true,
  privacy: 'No island is asked anything.',
  params: z
    .object({
      iterations: z.number().int().min(0).max(1000).default(10),
    })
    .strict(),
  // N·n·d per Lloyd iteration (the seeding and the final assignment count as two more), about 1.5e9 per second
  seconds: (p, w) => (w.candidates * w.keep * w.featureDim * (p.iterations + 2)) / 1.5e9,
});
