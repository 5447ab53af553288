import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RunSummaryDto } from '../../../main/contract/api';
import type { ApiEvent } from '../../../main/contract/api';
import type { ProgressEvent } from '../../../main/contract/events';
import { isActiveRunState, isFinalRunState } from '../../../main/contract/run-state';
import { useClient } from '../api/client';
import { formatDuration } from './config-draft';

/**
 * A run still training, here or in another process of the workspace (the engine reports a run whose owner died as
 * interrupted): its progress is live and it can be cancelled.
 */
export function isLive(state: string): boolean {
  return isActiveRunState(state);
}

/**
 * Seconds to the end of a live run and what they come from: `measured` (the engine's rate over finished generations,
 * or this page's over the progress it saw), or `estimate` (the engine's estimate of the run from this machine's
 * measured speed, scaled to what is left) while too little progress is measured.
 */
export interface RunEta {
  seconds: number;
  basis: 'measured' | 'estimate';
}

/** An ETA as shown, saying what it comes from: `3 min (measured)`, `≈ 3 min from estimate`. */
export function etaText(eta: RunEta): string {
  return eta.basis === 'estimate' ? `≈ ${formatDuration(eta.seconds)} from estimate` : `${formatDuration(eta.seconds)} (measured)`;
}

/** Progress this page must see before its own measured rate replaces the estimate: seconds and run fraction. */
export const MEASURED_ETA_AFTER = { seconds: 10, fraction: 0.01 } as const;

/**
 * The runs of the workspace, kept live by the event stream: state changes, per-run progress (generation, epoch,
 * loss, ETA) and completed generations. Actions: cancel, resume, delete, open the folder.
 */
export const useRunsStore = defineStore('runs', () => {
  const client = useClient();
  const runs = ref<RunSummaryDto[]>([]);
  const workspace = ref('');
  const loading = ref(false);
  const error = ref('');
  const progress = ref<Record<string, ProgressEvent>>({});
  /** A message per run after an action (e.g. the folder path when no file manager could open). */
  const notice = ref<Record<string, string>>({});
  /** Per run, the first progress seen by this page since the run (re)started: time and fraction, for an ETA. */
  const progressStart = new Map<string, { t: number; fraction: number }>();
  let unsubscribe: (() => void) | null = null;
  const generationListeners = new Set<(runId: string, generation: number) => void>();
  const stateListeners = new Set<(runId: string) => void>();
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;

  const byId = computed(() => new Map(runs.value.map((r) => [r.id, r])));

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      const r = await client.call('runs.list', {});
      workspace.value = r.workspace;
      runs.value = r.runs.map((run) => (isFinalRunState(run.state) ? { ...run, active: false } : run));
      for (const run of r.runs) if (run.progress && !progress.value[run.id]) progress.value[run.id] = run.progress;
      error.value = '';
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      loading.value = false;
    }
  }

  /** Coalesce the refreshes that bursts of events ask for. */
  function refreshSoon(): void {
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      void refresh();
    }, 150);
  }

  function handleEvent(e: ApiEvent): void {
    if (e.type === 'study') return; // a study's own progress; its runs' events come as any run's
    const run = byId.value.get(e.runId);
    switch (e.type) {
      case 'progress': {
        const start = progressStart.get(e.runId);
        if (!start || e.fraction < start.fraction) progressStart.set(e.runId, { t: Date.now(), fraction: e.fraction });
        progress.value[e.runId] = e;
        if (!run) refreshSoon();
        break;
      }
      case 'status':
        if (run) {
          run.state = e.state;
          if (e.backend) run.backend = e.backend;
          if (e.error) run.error = e.error;
          // `active` (trained by this door's process) comes from the list; an event can only end it
          if (isFinalRunState(e.state)) run.active = false;
        }
        refreshSoon();
        for (const l of stateListeners) l(e.runId);
        break;
      case 'generation':
        if (run) run.lastGeneration = Math.max(run.lastGeneration, e.generation);
        for (const l of generationListeners) l(e.runId, e.generation);
        break;
      case 'log':
        break;
    }
  }

  function subscribe(): void {
    if (!unsubscribe) unsubscribe = client.onEvent(handleEvent);
  }

  function unsubscribeAll(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  function onGeneration(l: (runId: string, generation: number) => void): () => void {
    generationListeners.add(l);
    return () => generationListeners.delete(l);
  }

  function onStateChange(l: (runId: string) => void): () => void {
    stateListeners.add(l);
    return () => stateListeners.delete(l);
  }

  async function act(runId: string, what: () => Promise<unknown>): Promise<boolean> {
    try {
      await what();
      delete notice.value[runId];
      return true;
    } catch (e) {
      notice.value[runId] = (e as Error).message;
      return false;
    } finally {
      await refresh();
    }
  }

  /**
   * The ETA of a live run (RunEta): the engine's, measured over its finished generations; or else (during generation
   * 0, after a resume) one measured from the progress seen since, the time per fraction done over what is left, once
   * MEASURED_ETA_AFTER is seen; until then the run's estimate (`estimatedSeconds`) for the fraction left.
   */
  function etaOf(runId: string, now = Date.now()): RunEta | undefined {
    const p = progress.value[runId];
    if (!p) return undefined;
    if (p.etaSeconds !== undefined) return { seconds: p.etaSeconds, basis: 'measured' };
    const start = progressStart.get(runId);
    if (start) {
      const done = p.fraction - start.fraction;
      const elapsed = (now - start.t) / 1000;
      if (done >= MEASURED_ETA_AFTER.fraction && elapsed >= MEASURED_ETA_AFTER.seconds) {
        return { seconds: (elapsed * (1 - p.fraction)) / done, basis: 'measured' };
      }
    }
    const estimate = byId.value.get(runId)?.estimatedSeconds;
    if (estimate === undefined) return undefined;
    return { seconds: estimate * Math.max(0, 1 - p.fraction), basis: 'estimate' };
  }

  const cancel = (runId: string) => act(runId, () => client.call('runs.cancel', { runId }));
  const resume = (runId: string) =>
    act(runId, async () => {
      delete progress.value[runId];
      progressStart.delete(runId);
      await client.call('runs.resume', { runId });
    });
  const remove = (runId: string) =>
    act(runId, async () => {
      await client.call('runs.delete', { runId });
      delete progress.value[runId];
    });

  async function openFolder(runId: string): Promise<void> {
    try {
      const r = await client.call('runs.openFolder', { runId });
      if (r.opened) delete notice.value[runId];
      else notice.value[runId] = `Folder: ${r.path}${r.reason ? ` (not opened: ${r.reason})` : ''}`;
    } catch (e) {
      notice.value[runId] = (e as Error).message;
    }
  }

  return {
    runs,
    workspace,
    loading,
    error,
    progress,
    notice,
    byId,
    etaOf,
    refresh,
    handleEvent,
    subscribe,
    unsubscribeAll,
    onGeneration,
    onStateChange,
    cancel,
    resume,
    remove,
    openFolder,
  };
});
