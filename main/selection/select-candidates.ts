import type { DatasetConfig, ExperimentConfig } from '../contract/config';
import type { FeatureSpaceSpec } from '../contract/feature-space-spec';
import { takeRows, type Samples, type SampleShape } from '../data/samples';
import type { IslandChannel } from '../islands/island-channel';
import { startIslands } from '../islands/start-islands';
import { selectionFeatures, type SelectionView } from './feature-space';
import { getScheme } from './registry';
import { classCovarianceGap, selectFromClassPools } from './class-pools';
import type { SelectionScheme } from './scheme';
import { schemeEntry, schemeUsesFeatures } from '../contract/selection/catalog';
import { verifierTarget } from './verifier-target';

/**
 * One selection of a run, the same for the generation loop and `collapse-lab select`: the candidates in the run's
 * selection feature space (selection.features, else the dataset's default), then the scheme's choice of `keep` of
 * them through the islands' channels, timed, with the bytes each island sent.
 *
 * A selector lives for one run: its feature space (pca:K's pooled axes, the reference classifier) and its scheme's
 * per-run state (Scheme II's cached barycenter) are made once and reused by every generation's selection.
 */
export interface CandidateSelectorOptions {
  /** The run's selection block: scheme, reference, verifier, features and params (validated by the config). */
  selection: ExperimentConfig['selection'];
  /** Each island's channel: the selector's only way to the real data. */
  islands: IslandChannel[];
  /** The dataset's name, whose shipped reference classifier gives the `reference` features. */
  datasetName: string;
  /** The samples' shape (an ONNX feature network takes images); vectors when absent. */
  shape?: SampleShape;
  /** The feature space when selection.features is absent (the dataset's default, see defaultFeatureSpec). */
  defaultFeatures: FeatureSpaceSpec;
  /** The run's seed: what a scheme computes once per run derives from it. */
  runSeed: number;
  /**
   * The run's dataset config, whose declared truth (Gaussian toys) gives a shifted-real verifier target its real
   * moments; without it the target pools the islands' moments (main/selection/verifier-target.ts).
   */
  dataset?: DatasetConfig;
}

export interface SelectionRequest {
  /** n: how many of the candidates to keep. */
  keep: number;
  /** This selection's seed (a run derives one per generation). */
  seed: number;
  /**
   * Each candidate's class when the candidates are class-conditional pools (a per-class model's, config
   * model.perClass): each class then keeps its share from its own pool (main/selection/class-pools.ts).
   */
  classes?: Int32Array;
  signal?: AbortSignal;
}

export interface CandidateSelection {
  /** Indices into the candidates, `keep` of them, distinct. */
  selected: Int32Array;
  /** The feature space the scheme saw, then the scheme's own diagnostics. */
  diagnostics: { features: string } & Record<string, number | number[] | string>;
  /** Wall seconds of the selection, the candidates' features included. */
  seconds: number;
  /** Bytes each island sent for this selection. */
  islandBytesSent: number[];
  /**
   * With class-conditional pools: the selected rows' covariance gap to their class's real rows, averaged over the
   * classes (main/selection/class-pools.ts classCovarianceGap; measured after the selection's seconds and bytes).
   */
  classCovarianceGap?: number;
  /**
   * The kept rows in the selection's feature space when it is a reference classifier's (features, predicted labels,
   * the weights' sha256), from the selection's own pass: the generation's metrics read them instead of running the
   * classifier on the kept rows again (a row's outputs do not depend on the rows beside it in a batch).
   */
  keptFeatures?: KeptFeatures;
}

/** Kept rows through a reference classifier: see CandidateSelection.keptFeatures. */
export interface KeptFeatures {
  x: Float32Array;
  n: number;
  dim: number;
  labels: Int32Array;
  weightsSha256: string;
}

export interface CandidateSelector {
  /** The feature space of the run's selections, as the run records it. */
  readonly features: string;
  select(candidates: Samples, request: SelectionRequest): Promise<CandidateSelection>;
}

export function candidateSelector(opts: CandidateSelectorOptions): CandidateSelector {
  const { selection, islands } = opts;
  const spec = selection.features ?? opts.defaultFeatures;
  const featureContext = { scheme: selection.scheme, datasetName: opts.datasetName, shape: opts.shape };
  const features = selectionFeatures(spec, islands, featureContext);
  // the per-class covariance gap's space: the scheme's own, or made for it when the scheme ignores features
  const measured = schemeUsesFeatures(selection.scheme) ? null : selectionFeatures(spec, islands, { ...featureContext, measuring: true });
  const scheme = getScheme(selection.scheme);
  const target = verifierTarget(selection.target, opts.dataset, opts.runSeed);
  // class-conditional pools (candidates with classes): a scheme instance per class
  const classSchemes = new Map<number, SelectionScheme>();
  return {
    features: spec,
    async select(candidates, request) {
      if (!Number.isInteger(request.keep) || request.keep < 1 || request.keep > candidates.n) {
        throw new RangeError(`keep ${request.keep}: must be an integer between 1 and the ${candidates.n} candidates`);
      }
      for (const c of islands) c.resetCounters();
      const t0 = performance.now();
      const view = await features.view(candidates);
      const common = {
        ...view,
        reference: selection.reference,
        verifier: selection.verifier,
        params: selection.params,
        target,
        signal: request.signal,
      };
      const classes = request.classes;
      // asked at every selection, so that each generation's bytes are the same in a resumed run
      const islandClassCounts = classes
        ? await Promise.all(islands.map(async (c) => (await c.request({ type: 'describe' })).classCounts))
        : [];
      const result = classes
        ? await selectFromClassPools({
            view: common,
            classes,
            keep: request.keep,
            islands,
            islandClassCounts,
            schemeFor: (c) => classSchemes.get(c) ?? classSchemes.set(c, getScheme(selection.scheme)).get(c)!,
            usesReference: schemeEntry(selection.scheme).usesReference,
            seed: request.seed,
            runSeed: opts.runSeed,
          })
        : await scheme.select({ ...common, keep: request.keep, islands, seed: request.seed, runSeed: opts.runSeed });
      const seconds = (performance.now() - t0) / 1000;
      const islandBytesSent = islands.map((c) => c.bytesSent);
      // the kept rows' features: the selection's, or (a scheme that ignores features, class pools) of the kept rows alone
      const sel = result.selected;
      const kept: SelectionView | null = !measured
        ? !classes && !view.classifier
          ? null
          : {
              ...view,
              candidates: takeRows(view.candidates, sel),
              ...(view.classifier
                ? { classifier: { ...view.classifier, labels: Int32Array.from(sel, (i) => view.classifier!.labels[i]) } }
                : {}),
            }
        : classes
          ? await measured.view(takeRows(candidates, sel))
          : null;
      const gap =
        classes && kept
          ? await classCovarianceGap({
              kept: kept.candidates,
              classes: Array.from(sel, (i) => classes[i]),
              features: kept.features,
              islands,
              islandClassCounts,
            })
          : null;
      return {
        selected: sel,
        diagnostics: { features: spec, ...result.diagnostics },
        seconds,
        islandBytesSent,
        ...(gap !== null ? { classCovarianceGap: gap } : {}),
        ...(kept?.classifier
          ? { keptFeatures: { x: kept.candidates.x, n: kept.candidates.n, dim: kept.candidates.dim, ...kept.classifier } }
          : {}),
      };
    },
  };
}

/** One selection outside a run (`collapse-lab select`): a selector made for it alone. */
export function selectCandidates(candidates: Samples, opts: CandidateSelectorOptions & SelectionRequest): Promise<CandidateSelection> {
  return candidateSelector(opts).select(candidates, opts);
}

/**
 * One selection with islands given as data (`collapse-lab select`): each island is started as an agent exactly as in
 * a run (in worker threads, or on this thread), the selection sees only their channels, and they stop afterwards.
 */
export async function selectCandidatesOnIslands(
  candidates: Samples,
  islandData: Samples[],
  opts: Omit<CandidateSelectorOptions, 'islands'> & SelectionRequest & { mode: 'in-process' | 'workers' },
): Promise<CandidateSelection> {
  const fleet = startIslands(islandData, 0, { mode: opts.mode });
  try {
    return await selectCandidates(candidates, { ...opts, islands: fleet.channels });
  } finally {
    await fleet.close();
  }
}
