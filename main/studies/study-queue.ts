import type { ExperimentConfig } from '../contract/config';
import type { RunEvent } from '../contract/events';
import type { BackendRequest } from '../runs/run-manager';
import type { RunStatus } from '../runs/run-folder';

/**
 * The one queue interface of studies, with two engines: embedded (embedded-queue.ts: a child process per run on this
 * machine, nothing to install) and BullMQ over Redis (redis-queue.ts: workers on any machine that reaches the Redis
 * server and the shared workspace). The coordinator (study-runner.ts) prepares each job's run folder, hands the jobs
 * to an engine, and learns of their progress and end through the hooks.
 */
export interface StudyJob {
  studyId: string;
  /** The run's key (the hash of its resolved config): a job is never queued twice under one key. */
  key: string;
  /** The run folder's name in the workspace; the folder exists (with config.json) before the job is queued. */
  runId: string;
  /** The run's resolved config: a remote worker creates the run folder from it when it does not see one yet. */
  config: ExperimentConfig;
  /** Generations the run must reach (more than its folder has: the run is extended). */
  generations: number;
}

export interface QueueHooks {
  /** A run's progress, status and generation events, as RunManager emits them. */
  onEvent(job: StudyJob, event: RunEvent): void;
  /** A job's end: the run's final status (completed, failed, cancelled, or interrupted after every retry). */
  onSettled(job: StudyJob, status: RunStatus): void;
  /** Aborted: stop every job of the study (cancelled runs keep what they finished). */
  signal: AbortSignal;
}

export interface StudyQueueEngine {
  /** `embedded`, or the Redis URL of the distributed engine: recorded in the study's index. */
  readonly name: string;
  /** Run the jobs to their ends, at most the engine's parallelism at once; resolves when every job has settled. */
  run(jobs: StudyJob[], workspace: string, hooks: QueueHooks): Promise<void>;
  /** Release connections and processes. */
  close(): Promise<void>;
}

export interface EngineOptions {
  backend: BackendRequest;
}
