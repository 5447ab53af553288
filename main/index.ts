/**
 * Collapse Lab's engine as a library: the small typed API that the doors (CLI, local server, Electron IPC) and
 * scripts use. Everything else under main/ is an implementation detail of these.
 */
export { experimentConfig, validateConfig, ConfigError, type ExperimentConfig, type ExperimentConfigInput } from './contract/config';
export type { RunEvent, RunState, ProgressEvent } from './contract/events';
export { parseSplit, type SplitSpec } from './contract/split-spec';
export { parseParadigm, type Paradigm } from './contract/paradigm';
export { presets, findPreset, type Preset } from './presets';
export { loadDataset, describeDataset, listBuiltinDatasets } from './data/load-dataset';
export type { Dataset, Samples, SampleShape } from './data/samples';
export { splitIslands, type IslandSplit } from './islands/split-islands';
export { previewSplit, type SplitPreview } from './islands/preview-split';
export { RunManager, type RunSummary, type RunDetail, type BackendRequest } from './runs/run-manager';
export { RunFolder, type RunStatus } from './runs/run-folder';
export { defaultWorkspace } from './runs/workspace';
export { runExperiment } from './loop/run-experiment';
export type { GenerativeModel } from './models/generative-model';
export type { SelectionScheme } from './selection/scheme';
