import type { ApiOperation, ApiRequest, ApiResponse, BackendName, RunSummaryDto } from '../contract/api';
import type { ProgressEvent } from '../contract/events';
import { isFinalRunState } from '../contract/run-record';
import { isActiveRunState } from '../contract/run-state';
import type { StudySummary } from '../contract/study';
import { experimentConfig, type ExperimentConfig } from '../contract/config';
import { fieldIssuesOf, inProductTerms } from '../contract/zod-messages';
import { machineRate, readMachineSpeed, recordDoctorSpeed } from '../backend/machine-speed';
import {
  defaultParallelism,
  listBuiltinDatasets,
  runDoctor,
  studyReport,
  type OpenResult,
  type RunManager,
  type RunSummary,
  type StudyManager,
} from '../index';
import { catalogInfo } from './catalog-info';
import { estimateDuration } from './estimate-duration';
import { rateBackend } from '../runs/needs-tensorflow';
import { runPresetInfos, studyEstimate, studyPresetInfos } from './preset-estimate';
import { PreviewCache } from './previews';
import type { PreviewWorkerClient } from './preview-worker-client';
import { listRunFiles } from './run-files';
import { studyPlanSummary } from './study-plan-summary';

/**
 * The one implementation of every API operation, on top of the engine. Requests arrive already validated by the
 * contract (LabApi.call); these functions trust their types and never validate again.
 */
export interface HandlerContext {
  manager: RunManager;
  studies: StudyManager;
  backend: BackendName;
  /** Open a folder in the desktop's file manager (Electron: shell.openPath; server: xdg-open and friends). */
  openPath: (dir: string) => Promise<OpenResult>;
  /** The last progress event of each run seen by this process. */
  progress: Map<string, ProgressEvent>;
  /** Computes the previews off the event loop. */
  previews: PreviewWorkerClient;
}

export type Handlers = { [Op in ApiOperation]: (req: ApiRequest<Op>) => Promise<ApiResponse<Op>> | ApiResponse<Op> };

export function createHandlers(ctx: HandlerContext): Handlers {
  const previews = new PreviewCache();
  const { manager, studies } = ctx;
  const limits = (req: { oversubscribe?: boolean; allowLarge?: boolean }) => ({
    oversubscribe: req.oversubscribe,
    allowLarge: req.allowLarge,
  });
  const queue = (req: { parallel?: number; queue?: string }) => ({
    ...(req.parallel !== undefined ? { parallel: req.parallel } : {}),
    ...(req.queue ? { queue: req.queue } : {}),
  });
  /** This machine's measured speed for a run of `config` on the door's backend (null: the catalog's rates). */
  const hereFor = (config: ExperimentConfig) => machineRate(readMachineSpeed(manager.workspace), rateBackend(ctx.backend, config), config);

  /** Each starting or running run's estimate, made once (its config does not change while it runs). */
  const estimates = new Map<string, number | null>();
  const estimateOf = (r: RunSummary, config?: ExperimentConfig): number | undefined => {
    if (r.state !== 'starting' && r.state !== 'running') {
      estimates.delete(r.id);
      return undefined;
    }
    if (!estimates.has(r.id)) {
      try {
        const c = config ?? manager.folder(r.id).readConfig();
        estimates.set(r.id, estimateDuration(c, hereFor(c)).seconds);
      } catch {
        // an unreadable config has no estimate: the ETA waits for the run's progress
        estimates.set(r.id, null);
      }
    }
    return estimates.get(r.id) ?? undefined;
  };

  /** Each live study's estimate (study plan's: its runs at the default parallelism, this machine's speed), made once. */
  const studyEstimates = new Map<string, number | null>();
  const withStudyEstimate = <S extends StudySummary>(s: S, spec?: unknown): S => {
    if (!isActiveRunState(s.state)) {
      studyEstimates.delete(s.id);
      return s;
    }
    if (!studyEstimates.has(s.id)) {
      try {
        const study = spec ?? studies.folder(s.id).readSpec();
        const speed = readMachineSpeed(manager.workspace);
        studyEstimates.set(s.id, studyEstimate(study, s.id, speed, ctx.backend, defaultParallelism()).seconds);
      } catch {
        // an unreadable spec has no estimate: the ETA waits for the study's progress
        studyEstimates.set(s.id, null);
      }
    }
    const estimatedSeconds = studyEstimates.get(s.id);
    return estimatedSeconds == null ? s : { ...s, estimatedSeconds };
  };

  const withLive = (r: RunSummary, config?: ExperimentConfig): RunSummaryDto => {
    const progress = ctx.progress.get(r.id);
    // a run whose final state is written is over, even while its worker thread is still winding down
    const active = manager.isActive(r.id) && !isFinalRunState(r.state);
    const estimatedSeconds = estimateOf(r, config);
    return { ...r, active, ...(progress ? { progress } : {}), ...(estimatedSeconds !== undefined ? { estimatedSeconds } : {}) };
  };

  return {
    // each with its time on this machine (its measured speed on the door's backend)
    'presets.list': () => ({ presets: runPresetInfos(manager.workspace, ctx.backend) }),

    'catalog.get': () => catalogInfo(manager.workspace, ctx.backend, listBuiltinDatasets()),

    'config.validate': (req) => {
      const r = experimentConfig.safeParse(req.config, inProductTerms);
      if (!r.success) {
        return { valid: false, issues: fieldIssuesOf(r.error) };
      }
      return { valid: true, config: r.data, estimate: estimateDuration(r.data, hereFor(r.data)) };
    },

    'dataset.preview': (req) => previews.get(req.dataset, ['dataset', req], () => ctx.previews.dataset(req)),

    'split.preview': (req) => previews.get(req.dataset, ['split', req], () => ctx.previews.split(req)),

    'runs.list': () => ({ workspace: manager.workspace, runs: manager.list().map((r) => withLive(r)) }),

    'runs.get': (req) => {
      const detail = manager.get(req.runId);
      return {
        ...withLive(detail, detail.config),
        dir: detail.dir,
        config: detail.config,
        // the engine read these by their schemas; parsed here into the contract's types
        environment: detail.environment,
        islands: detail.islands,
        metrics: detail.metrics,
        files: listRunFiles(manager.folder(req.runId), detail.metrics),
      };
    },

    // the whole preflight (dataset loaded and validated in a worker) before the run's folder exists
    'runs.start': async (req) => ({ runId: await manager.startChecked(req.config, req.backend ? { backend: req.backend } : {}) }),

    'runs.cancel': (req) => {
      manager.cancel(req.runId);
      return {};
    },

    'runs.resume': (req) => {
      manager.resume(req.runId, req.backend ? { backend: req.backend } : {});
      return {};
    },

    'runs.delete': (req) => {
      manager.delete(req.runId);
      ctx.progress.delete(req.runId);
      return {};
    },

    'runs.openFolder': async (req) => {
      const dir = manager.folder(req.runId).dir;
      const r = await ctx.openPath(dir);
      return { path: dir, opened: r.opened, ...(r.reason ? { reason: r.reason } : {}) };
    },

    // plain data: each preset's verdict function stays in the engine (it cannot cross the IPC boundary)
    'studies.presets': () => ({ presets: studyPresetInfos(manager.workspace, ctx.backend) }),

    'studies.plan': (req) => {
      // the contract's answer, without what the CLI prints besides
      const {
        storage: _storage,
        pending: _pending,
        ...summary
      } = studyPlanSummary(studies, req.study, {
        limits: { allowLarge: req.allowLarge },
        ...(req.parallel !== undefined ? { parallel: req.parallel } : {}),
        backend: ctx.backend,
      });
      return summary;
    },

    // in a worker thread of its own: it activates every backend and times each
    'compute.doctor': async (req) => {
      const report = await runDoctor(req);
      // the estimates use this machine's measured speed from now on
      recordDoctorSpeed(manager.workspace, report);
      return report;
    },

    'studies.list': () => ({ workspace: studies.workspace, studies: studies.list().map((s) => withStudyEstimate(s)) }),

    'studies.get': (req) => {
      const status = studies.status(req.studyId);
      return withStudyEstimate(status, status.spec);
    },

    'studies.start': async (req) => ({
      studyId: await studies.startChecked(req.study, {
        queue: queue(req),
        limits: limits(req),
        ...(req.preset ? { preset: req.preset } : {}),
      }),
    }),

    'studies.cancel': (req) => {
      studies.cancel(req.studyId);
      return {};
    },

    'studies.resume': async (req) => {
      await studies.resumeChecked(req.studyId, { queue: queue(req), limits: limits(req) });
      return {};
    },

    'studies.aggregate': (req) => ({ ...studies.aggregate(req.studyId) }),

    'studies.correlate': (req) => ({ correlations: studies.correlate(req.studyId, req.x, req.y, req.generation) }),

    'studies.runValues': (req) => studies.runValues(req.studyId, req.metrics, req.generation),

    'studies.table': (req) => ({
      text: studies.table(req.studyId, { metrics: req.metrics, generation: req.generation, format: req.format }),
    }),

    'studies.report': (req) => studyReport(studies, req.studyId),
  };
}
