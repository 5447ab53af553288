/**
 * Collapse Lab's engine as the doors see it: everything the command line (main/cli), the local server (main/server),
 * the API layer (main/api) and the Electron main process (electron/) take from the engine comes through here. The
 * contract (main/contract: schemas, the API table, the lists named once) is the doors' shared language and is imported
 * from there directly, by the renderer too.
 *
 * What needs TensorFlow.js (the metrics, the reference classifier, island agents, training benchmarks) is exported as
 * functions that load their module on first call, so a door that never calls them (the server, the Electron main
 * process) never loads TensorFlow.js.
 */
import type { Samples } from './data/samples';
import type { SampleSetComparison, SampleSetComparisonInput } from './metrics/compare-sample-sets';
import type { TrainReferenceOptions, TrainReferenceResult } from './metrics/reference-training';
import type { CandidateSelection, CandidateSelectorOptions, SelectionRequest } from './selection/select-candidates';
import type { TrainThroughput, TrainThroughputOptions } from './bench/train-throughput';

// data: reading sample files (one reader, one set of rules and errors), built-in datasets, pictures
export { DataFileError, type DataFileProblem } from './data/data-file-error';
export { readSampleFile, type SampleFile, type SampleFileFormat, type SampleFileOptions } from './data/sample-file';
export { describeDataset, listBuiltinDatasets, loadDataset } from './data/load-dataset';
export { readNpy, writeNpy } from './data/npy';
export { encodeSampleGrid, encodeScatterPng, readPng } from './data/png';
export { readInputFile } from './data/read-input-file';
export { isImageShape, takeRows, type Dataset, type Samples, type SampleShape } from './data/samples';

// islands: the split and its previews
export { datasetSeed, describeSplit, islandPictureRows, loadRunIslands, previewSplit } from './islands/preview-split';

// metrics without TensorFlow.js
export { defaultFeatureSpec, builtinReferenceDir } from './metrics/reference-dir';

// catalogs of models and selection schemes, presets
export { modelCatalog } from './contract/models/catalog';
export { referenceKinds, schemeNames, selectionCatalog } from './contract/selection/catalog';
export { findPreset, presets } from './presets';
export { findStudyPreset, studyPresets } from './presets/studies';

// optimal transport
export { costMatrix, type GroundCost } from './ot/cost-matrix';
export { emd } from './ot/emd';
export { freeSupportBarycenter } from './ot/free-support-barycenter';
export { sinkhornLog } from './ot/sinkhorn-log';

// runs, studies, the workspace
export { ExternalRunWatcher } from './runs/external-run-watcher';
export { ExternalStudyWatcher } from './studies/external-study-watcher';
export { RunManager, type BackendRequest, type RunSummary } from './runs/run-manager';
export type { RunFolder } from './runs/run-folder';
export { defaultWorkspace, workspaceOption } from './runs/workspace';
export { contentTypeOf, parseFileUrlPath, resolveWorkspaceFile, WorkspaceFileError } from './runs/workspace-file';
export { defaultParallelism } from './studies/embedded-queue';
export type { QueueChoice } from './studies/create-queue-engine';
export { presetInfoOf, studyOfPreset } from './studies/preset-study';
export { StudyManager, type StudyStatus } from './studies/study-manager';
export { estimateRunFiles, type StudyLimitOverrides } from './studies/study-limits';
export { studyReport } from './studies/study-report';
export { StudyWorker, workerSettingsFromEnv, type WorkerJobLine } from './studies/study-worker';

// utilities the doors share with the engine
export { InputError, NotFoundError } from './util/errors';
export { describeJsonError } from './util/json-error';
export { openExternal, type OpenResult } from './util/open-external';
export { Rng } from './util/random';
export { setProcessLauncher, type EngineProcess } from './util/spawn-process';
export { spawnWorker } from './util/spawn-worker';

// compute: every backend, available or why not, timed (in a worker thread of its own)
export { runDoctor } from './backend/doctor-client';
export { readMachineSpeed, recordDoctorSpeed } from './backend/machine-speed';
export { presetEstimate, runPresetInfos, studyPresetInfos } from './api/preset-estimate';
export { studyPlanSummary } from './api/study-plan-summary';
export { presetEstimateText } from './shared/preset-estimate-text';

export type { SampleSetComparison, SampleSetComparisonInput, TrainReferenceOptions, TrainReferenceResult, CandidateSelection };

// the training benchmark: the models it times, and the timing (TensorFlow.js, loaded on first call)
export { benchModels } from './bench/bench-models';
export type { TrainThroughput, TrainThroughputOptions };

/** Times a model's training and sampling steps (main/bench/train-throughput.ts). */
export async function measureTrainThroughput(opts: TrainThroughputOptions): Promise<TrainThroughput> {
  return (await import('./bench/train-throughput')).measureTrainThroughput(opts);
}

/** Every metric between a real and a generated sample set (main/metrics/compare-sample-sets.ts). */
export async function compareSampleSets(input: SampleSetComparisonInput): Promise<SampleSetComparison> {
  return (await import('./metrics/compare-sample-sets')).compareSampleSets(input);
}

/** Trains a reference classifier on labelled data (main/metrics/reference-training.ts). */
export async function trainReferenceClassifier(
  ...args: Parameters<typeof import('./metrics/reference-training').trainReferenceClassifier>
): Promise<TrainReferenceResult> {
  return (await import('./metrics/reference-training')).trainReferenceClassifier(...args);
}

/** One selection with islands given as data, started as agents as in a run (main/selection/select-candidates.ts). */
export async function selectCandidatesOnIslands(
  candidates: Samples,
  islandData: Samples[],
  opts: Omit<CandidateSelectorOptions, 'islands'> & SelectionRequest & { mode: 'in-process' | 'workers' },
): Promise<CandidateSelection> {
  return (await import('./selection/select-candidates')).selectCandidatesOnIslands(candidates, islandData, opts);
}
