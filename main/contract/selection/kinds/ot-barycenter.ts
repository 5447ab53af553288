import { z } from 'zod';
import { declareScheme } from '../scheme-kind';
import { otIslandsParam, otPairSeconds, otSettingsParams } from './ot-settings';

export const otBarycenterSchemeKind = declareScheme({
  name: 'ot-barycenter',
  label: 'Scheme II: OT gradient against a Wasserstein barycenter',
  description:
    'The server broadcasts a support ξ; each island returns (1−t)·ξ + t·T_k(ξ); the server averages; after R rounds ξ ' +
    'is a free-support barycenter of the islands (computed once per run). Candidates are scored against ξ by the ' +
    'calibrated OT gradient; the lowest are kept.',
  usesReference: false,
  usesFeatures: true,
  usesTarget: false,
  decides: true,
  privacy:
    'Each island returns its interpolation toward its data of the broadcast support (S points per round); the ' +
    'server can recover T_k(ξ) = (returned − (1−t)·ξ)/t, blurred averages of island samples, but never a raw row.',
  params: z
    .object({
      ...otSettingsParams,
      /** Barycenter support size S. */
      support: z.number().int().min(2).max(100_000).default(1000),
      rounds: z.number().int().min(1).max(1000).default(10),
      t: z.number().gt(0).max(1).default(0.5),
      /** Start from S draws of a Gaussian with the islands' pooled moments (resume-stable), or S candidates (the public code). */
      init: z.enum(['moments', 'candidates']).default('moments'),
      /** Prune to n in this many rounds, rescoring the survivors against ξ each round (1: score once, the public code). */
      pruneRounds: z.number().int().min(1).max(100).default(1),
      islands: otIslandsParam,
    })
    .strict(),
  // the candidates against the barycenter's support, scored and debiased
  seconds: (p, w) => p.support * w.candidates * otPairSeconds(w) * 2,
});
