import { z } from 'zod';
import { declareScheme } from '../scheme-kind';
import { otIslandsParam, otPairSeconds, otSettingsParams } from './ot-settings';

/** ot-proxy's geodesic proxy solves an N × N problem on each island: at most this many candidates (2 GiB of float64 costs). */
export const GEODESIC_MAX_CANDIDATES = 16_384;

export const otProxySchemeKind = declareScheme({
  name: 'ot-proxy',
  label: 'Scheme I: OT gradient with geodesic proxies',
  description:
    'Each island scores the candidates by the calibrated OT gradient against its data (or its Wasserstein geodesic ' +
    'proxy (1−t)·X + t·T(X)); the selector combines the min-max-normalised utilities greedily, maximising ' +
    'Σ_k log(1 + Σ_kept u_ik), so that every island is covered. Low scores are kept.',
  usesReference: false,
  usesFeatures: true,
  usesTarget: false,
  decides: true,
  privacy: 'Each island returns one score per candidate (N numbers); its data and its proxy stay on the island.',
  params: z
    .object({
      ...otSettingsParams,
      /** 'data' (the public code): against the island's data; 'geodesic': against η = (1−t)·X + t·T(X), which in
       *  theory ranks the same (its potential is t·f) and costs one more N × N solve per island. */
      proxy: z.enum(['data', 'geodesic']).default('data'),
      /** Position along the geodesic from the candidates (0) to the island's data (1). */
      t: z.number().gt(0).max(1).default(0.5),
      /** 'verifier': only the verifier island scores (the biased, single-island variant). */
      islands: otIslandsParam,
    })
    .strict(),
  // one entropic problem of the N candidates against each scoring island's data
  seconds: (p, w) => (p.islands === 'verifier' ? w.realSize / Math.max(1, w.islands) : w.realSize) * w.candidates * otPairSeconds(w),
  checks: (p, config) =>
    p.proxy === 'geodesic' && config.candidates > GEODESIC_MAX_CANDIDATES
      ? [
          {
            path: ['selection', 'params', 'proxy'],
            message:
              `the geodesic proxy solves an N × N problem on every island: N = ${config.candidates} candidates is over ` +
              `${GEODESIC_MAX_CANDIDATES}; use proxy "data" (the same ranking in theory) or fewer candidates`,
          },
        ]
      : [],
});
