import path from 'node:path';
import type { z } from 'zod';
import { api, isApiOperation, type ApiEnvelope, type ApiError, type BackendName } from '../contract/api';
import { ConfigError } from '../contract/config';
import { fieldIssuesOf, inProductTerms } from '../contract/zod-messages';
import type { ApiEvent } from '../contract/api';
import type { ProgressEvent } from '../contract/events';
import {
  ExternalRunWatcher,
  ExternalStudyWatcher,
  InputError,
  NotFoundError,
  openExternal,
  RunManager,
  StudyManager,
  type OpenResult,
} from '../index';
import { createHandlers, type Handlers } from './handlers';
import { PreviewWorkerClient } from './preview-worker-client';

export interface LabApiOptions {
  /** Folder of the run folders. */
  workspace: string;
  /** Backend of runs whose start request names none. */
  backend?: BackendName;
  /** How this door opens a folder for the user (default: xdg-open / open / explorer). */
  openPath?: (dir: string) => Promise<OpenResult>;
}

/**
 * The API behind every door: `call(op, payload)` validates the payload with the contract (once, here), runs the one
 * handler, and answers an envelope, never a throw; `onEvent` relays the engine's RunEvents. The server and the
 * Electron IPC are thin adapters over one LabApi; neither holds logic the other lacks.
 */
export class LabApi {
  readonly manager: RunManager;
  readonly studies: StudyManager;
  private readonly handlers: Handlers;
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  private readonly progress = new Map<string, ProgressEvent>();
  private readonly previews = new PreviewWorkerClient();
  /** Events of the runs other processes train in this workspace, watched while anyone listens. */
  private readonly external: ExternalRunWatcher;
  private readonly externalStudies: ExternalStudyWatcher;

  constructor(opts: LabApiOptions) {
    const backend = opts.backend ?? 'auto';
    this.manager = new RunManager(path.resolve(opts.workspace), backend);
    this.studies = new StudyManager(this.manager.workspace, backend, this.manager);
    this.handlers = createHandlers({
      manager: this.manager,
      studies: this.studies,
      backend,
      openPath: opts.openPath ?? openExternal,
      progress: this.progress,
      previews: this.previews,
    });
    this.manager.on('event', (e) => this.dispatch(e));
    // a study's runs train in processes of their own: their progress reaches the app as any other process's runs
    // do (the external-run watcher), and the study's own progress comes from its coordinator here
    this.studies.on('study', (e) => this.dispatch(e));
    this.external = new ExternalRunWatcher(this.manager, (e) => this.dispatch(e));
    // and the studies another process coordinates (a terminal's `study run`): their runs' states and their own
    // twice a second: a study costs three stats a look, and a cancel must show within 2 s
    this.externalStudies = new ExternalStudyWatcher(this.studies, (e) => this.dispatch(e), 500);
  }

  private dispatch(e: ApiEvent): void {
    if (e.type === 'progress') this.progress.set(e.runId, e);
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // one failing listener (a closed socket) must not stop the others
      }
    }
  }

  get workspace(): string {
    return this.manager.workspace;
  }

  async call(op: unknown, payload: unknown): Promise<ApiEnvelope> {
    if (!isApiOperation(op)) {
      return fail({ code: 'unknown-operation', message: `unknown operation ${JSON.stringify(op)}` });
    }
    const parsed = (api[op].request as z.ZodType).safeParse(payload ?? {}, inProductTerms);
    if (!parsed.success) {
      const issues = fieldIssuesOf(parsed.error);
      return fail({
        code: 'invalid-request',
        message: `invalid ${op} request: ` + issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; '),
        issues,
      });
    }
    try {
      const handler = this.handlers[op] as (req: unknown) => unknown;
      return { ok: true, result: await handler(parsed.data) };
    } catch (e) {
      if (e instanceof ConfigError) return fail({ code: 'invalid-config', message: e.message, issues: e.issues });
      if (e instanceof InputError) return fail({ code: 'invalid-input', message: e.message });
      if (e instanceof NotFoundError) return fail({ code: 'not-found', message: e.message });
      return fail({ code: 'failed', message: (e as Error)?.message ?? String(e) });
    }
  }

  /** Subscribe to every run's events; returns the unsubscribe function. */
  onEvent(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    this.external.start();
    this.externalStudies.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.external.stop();
        this.externalStudies.stop();
      }
    };
  }

  /** Cancel this process's runs and wait for their workers; stop the preview worker. */
  async close(): Promise<void> {
    this.listeners.clear();
    this.external.stop();
    this.externalStudies.stop();
    await Promise.all([this.studies.close(), this.previews.close()]);
  }
}

function fail(error: ApiError): ApiEnvelope {
  return { ok: false, error };
}
