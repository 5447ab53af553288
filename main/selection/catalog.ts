import { z } from 'zod';

/**
 * The catalog of selection schemes (names, labels, parameters), free of engine code so that the contract and the
 * renderer can validate a config. Implementations are registered by name in main/selection/registry.ts.
 *
 * `usesReference`: the scheme reads `selection.reference` (local | per-island | pooled). `privacy`: what leaves each
 * island, for the UI to show beside the scheme. The `pooled` reference is an oracle that breaks privacy
 * (see referenceKinds).
 */

/** The reference kinds of the reference-based baselines, with the note the UI shows for each. */
export const referenceKinds = {
  local: {
    label: 'Local (one verifier island)',
    description: "The verifier island's own data: the biased reference of the islands setting.",
    oracle: false,
    privacy: "Only the verifier island's summary statistics (mean, covariance in the feature space) leave it.",
  },
  'per-island': {
    label: 'Per island (each keeps n/K)',
    description: 'Each island selects n/K of the candidates against its own data, in turns.',
    oracle: false,
    privacy: "Each island's summary statistics leave it; no island sees another's.",
  },
  pooled: {
    label: 'Pooled (oracle: breaks privacy)',
    description: 'All real data as one reference: what a verifier would do if the islands pooled their raw data.',
    oracle: true,
    privacy:
      'Oracle that breaks privacy: it stands for one verifier holding every island\'s raw data (the engine pools only ' +
      'the islands\' moments, which gives the same reference for these baselines, but a real deployment would need the data).',
  },
} as const;

/** Entropic OT settings shared by the OT schemes (cost ½‖x−y‖², ε = blur² in units of the real data's RMS radius). */
const otSettings = {
  /** geomloss's blur, relative to the real data's RMS radius (features are scaled to unit RMS radius). */
  blur: z.number().positive().max(10).default(0.05),
  /** Subtract the candidates' self-transport potential (a Sinkhorn divergence's debiasing), as the public code. */
  debias: z.boolean().default(true),
  /** ε shrinks by this factor per annealing stage (geomloss's scaling²). */
  epsilonRatio: z.number().gt(0).lt(1).default(0.25),
  itersPerStage: z.number().int().min(1).max(1000).default(3),
  maxIter: z.number().int().min(1).max(100_000).default(500),
  /** ‖Pᵀ1 − b‖₁ at which Sinkhorn stops (the total mass is 1); ranking is stable well before tight tolerances. */
  tol: z.number().positive().max(1).default(1e-2),
  /** The candidates' self-transport (debiasing) uses at most this many anchor candidates (seeded), each candidate's
   *  own atom kept exactly (main/ot/anchored-self-potential.ts): cost N·anchors instead of N². */
  anchors: z.number().int().min(100).max(1_000_000).default(2000),
};

const islandsParam = z.enum(['all', 'verifier']).default('all');

/** ot-proxy's geodesic proxy solves an N × N problem on each island: at most this many candidates (2 GiB of float64 costs). */
export const GEODESIC_MAX_CANDIDATES = 16_384;

export const selectionCatalog = {
  none: {
    label: 'None (keep the first n candidates)',
    description: 'No filter: the first n of the N candidates are kept, which is the same as generating n.',
    usesReference: false,
    privacy: 'No island is asked anything.',
    params: z.object({}).strict(),
  },
  random: {
    label: 'Random',
    description: 'A uniformly random subset of n of the N candidates.',
    usesReference: false,
    privacy: 'No island is asked anything.',
    params: z.object({}).strict(),
  },
  kmeans: {
    label: 'k-means (k = n)',
    description: 'k-means on the candidates with k = n (k-means++ start, Lloyd iterations); keeps the candidate nearest each centroid.',
    usesReference: false,
    privacy: 'No island is asked anything.',
    params: z
      .object({
        iterations: z.number().int().min(0).max(1000).default(10),
      })
      .strict(),
  },
  center: {
    label: 'Center matching',
    description: 'Keeps the candidates nearest the reference mean.',
    usesReference: true,
    privacy: "The reference islands' means leave them.",
    params: z.object({}).strict(),
  },
  covmatch: {
    label: 'Covariance matching',
    description:
      'In a PCA subspace of the reference, greedily adds the candidate that brings the kept covariance closest to the ' +
      "reference's (Frobenius norm), starting from the candidate nearest the reference mean.",
    usesReference: true,
    privacy: "The reference islands' means and covariances (in the feature space) leave them.",
    params: z
      .object({
        components: z.number().int().min(1).max(4096).default(32),
      })
      .strict(),
  },
  topalpha: {
    label: 'Top-α local verifier',
    description:
      'Scores candidates by the negative Mahalanobis distance to the reference (mean and covariance) and keeps the top ' +
      'ones: the biased selection of the theory. With alpha, the verifier accepts the top ⌈α·N⌉ and n are drawn from them.',
    usesReference: true,
    privacy: "The reference islands' means and covariances (in the feature space) leave them.",
    params: z
      .object({
        /** Fraction of the N candidates the verifier accepts (≥ n/N); exactly the top n when absent. */
        alpha: z.number().gt(0).max(1).optional(),
        /** Added to the covariance diagonal, relative to its mean diagonal entry. */
        ridge: z.number().min(0).max(1).default(1e-6),
      })
      .strict(),
  },
  'ot-proxy': {
    label: 'Scheme I: OT gradient with geodesic proxies',
    description:
      'Each island scores the candidates by the calibrated OT gradient against its data (or its Wasserstein geodesic ' +
      'proxy (1−t)·X + t·T(X)); the selector combines the min-max-normalised utilities greedily, maximising ' +
      'Σ_k log(1 + Σ_kept u_ik), so that every island is covered. Low scores are kept.',
    usesReference: false,
    privacy: 'Each island returns one score per candidate (N numbers); its data and its proxy stay on the island.',
    params: z
      .object({
        ...otSettings,
        /** 'data' (the public code): against the island's data; 'geodesic': against η = (1−t)·X + t·T(X), which in
         *  theory ranks the same (its potential is t·f) and costs one more N × N solve per island. */
        proxy: z.enum(['data', 'geodesic']).default('data'),
        /** Position along the geodesic from the candidates (0) to the island's data (1). */
        t: z.number().gt(0).max(1).default(0.5),
        /** 'verifier': only the verifier island scores (the biased, single-island variant). */
        islands: islandsParam,
      })
      .strict(),
  },
  'ot-barycenter': {
    label: 'Scheme II: OT gradient against a Wasserstein barycenter',
    description:
      'The server broadcasts a support ξ; each island returns (1−t)·ξ + t·T_k(ξ); the server averages; after R rounds ξ ' +
      'is a free-support barycenter of the islands (computed once per run). Candidates are scored against ξ by the ' +
      'calibrated OT gradient; the lowest are kept.',
    usesReference: false,
    privacy:
      'Each island returns its interpolation toward its data of the broadcast support (S points per round); the ' +
      'server can recover T_k(ξ) = (returned − (1−t)·ξ)/t, blurred averages of island samples, but never a raw row.',
    params: z
      .object({
        ...otSettings,
        /** Barycenter support size S. */
        support: z.number().int().min(2).max(100_000).default(1000),
        rounds: z.number().int().min(1).max(1000).default(10),
        t: z.number().gt(0).max(1).default(0.5),
        /** Start from S draws of a Gaussian with the islands' pooled moments (resume-stable), or S candidates (the public code). */
        init: z.enum(['moments', 'candidates']).default('moments'),
        /** Prune to n in this many rounds, rescoring the survivors against ξ each round (1: score once, the public code). */
        pruneRounds: z.number().int().min(1).max(100).default(1),
        islands: islandsParam,
      })
      .strict(),
  },
} as const;

export type SchemeName = keyof typeof selectionCatalog;
export const schemeNames = Object.keys(selectionCatalog) as [SchemeName, ...SchemeName[]];

/** Whether a scheme looks at the candidates' features at all (none and random do not: no feature map is computed). */
export function schemeUsesFeatures(name: string): boolean {
  return name !== 'none' && name !== 'random';
}
