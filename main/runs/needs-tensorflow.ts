import type { BackendRequest } from '../contract/backend-request';
import type { ExperimentConfig } from '../contract/config';
import { modelIsPlainJs } from '../contract/models/catalog';
import { builtinReferenceDir } from '../metrics/reference-dir';

/**
 * Whether a run needs a TensorFlow.js backend: its model uses one, or its data have a reference classifier (features
 * and class metrics); a plain-JavaScript model on vector data does not, and (unless a backend was asked for by name)
 * skips the backend's start and runs as backend `js`.
 */
export function needsTensorflow(config: ExperimentConfig): boolean {
  return !modelIsPlainJs(config.model.kind) || builtinReferenceDir(config.dataset.kind) !== undefined;
}

/** The backend a run of `config` asking for `request` runs on as far as its measured speed goes: `js` where it needs none. */
export function rateBackend(request: BackendRequest, config: ExperimentConfig): string {
  return request === 'auto' && !needsTensorflow(config) ? 'js' : request;
}
