import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ApiEvent, StudyPresetInfo, StudyStatusDto } from '../../../main/contract/api';
import type { StudySpecInput, StudySummary } from '../../../main/contract/study';
import type { StudyReport } from '../../../main/contract/study-report';
import { isActiveRunState } from '../../../main/contract/run-state';
import { useClient } from '../api/client';
import type { RunEta } from './runs';

export function isStudyLive(state: string): boolean {
  return isActiveRunState(state);
}

/**
 * The ETA of a live study, as a run's (RunEta): measured from its progress once its coordinator has one, until then
 * the engine's estimate of the study (`study plan`'s, from this machine's measured speed) scaled to what is left.
 */
export function studyEtaOf(s: Pick<StudySummary, 'state' | 'progress' | 'estimatedSeconds'>): RunEta | undefined {
  if (!isStudyLive(s.state)) return undefined;
  if (s.progress.etaSeconds !== undefined) return { seconds: s.progress.etaSeconds, basis: 'measured' };
  if (s.estimatedSeconds === undefined) return undefined;
  return { seconds: s.estimatedSeconds * Math.max(0, 1 - s.progress.fraction), basis: 'estimate' };
}

/**
 * The studies of the workspace (studies.list), kept live by the `study` events; the one open study's status with
 * its runs (studies.get) and its report (studies.report: the paper's claim, the verdict, figures), refreshed as its
 * runs move; the study presets; and the actions: start (a study or a preset), cancel, resume.
 */
export const useStudiesStore = defineStore('studies', () => {
  const client = useClient();
  const studies = ref<StudySummary[]>([]);
  const workspace = ref('');
  const presets = ref<StudyPresetInfo[]>([]);
  const error = ref('');
  const loading = ref(false);
  const openId = ref<string | null>(null);
  const detail = ref<StudyStatusDto | null>(null);
  const detailError = ref('');
  /** The open study's report (null until loaded), and why it could not be loaded. */
  const report = ref<StudyReport | null>(null);
  const reportError = ref('');
  const notice = ref<Record<string, string>>({});
  let unsubscribe: (() => void) | null = null;
  let detailTimer: ReturnType<typeof setTimeout> | null = null;
  let listTimer: ReturnType<typeof setTimeout> | null = null;
  let reportTimer: ReturnType<typeof setTimeout> | null = null;

  const byId = computed(() => new Map(studies.value.map((s) => [s.id, s])));
  const liveCount = computed(() => studies.value.filter((s) => isStudyLive(s.state)).length);

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      const r = await client.call('studies.list', {});
      workspace.value = r.workspace;
      studies.value = r.studies;
      error.value = '';
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      loading.value = false;
    }
  }

  async function loadPresets(): Promise<void> {
    if (presets.value.length) return;
    try {
      presets.value = (await client.call('studies.presets', {})).presets;
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  async function open(id: string | null): Promise<void> {
    if (openId.value !== id) {
      detail.value = null;
      report.value = null;
      reportError.value = '';
    }
    openId.value = id;
    if (id) await Promise.all([reloadDetail(), reloadReport()]);
  }

  /** Reloads the open study's report (the engine recomputes its aggregate, verdict and figures). */
  async function reloadReport(): Promise<void> {
    const id = openId.value;
    if (!id) return;
    try {
      const r = await client.call('studies.report', { studyId: id });
      if (openId.value !== id) return;
      report.value = r;
      reportError.value = '';
    } catch (e) {
      if (openId.value === id) reportError.value = (e as Error).message;
    }
  }

  async function reloadDetail(): Promise<void> {
    const id = openId.value;
    if (!id) return;
    try {
      const d = await client.call('studies.get', { studyId: id });
      if (openId.value !== id) return;
      detail.value = d;
      detailError.value = '';
    } catch (e) {
      if (openId.value === id) detailError.value = (e as Error).message;
    }
  }

  function soon(which: 'list' | 'detail' | 'report'): void {
    if (which === 'list' && !listTimer) listTimer = setTimeout(() => ((listTimer = null), void refresh()), 300);
    if (which === 'detail' && !detailTimer) detailTimer = setTimeout(() => ((detailTimer = null), void reloadDetail()), 300);
    // the report reads every finished run's metrics: at most one reload a second while runs finish
    if (which === 'report' && !reportTimer) reportTimer = setTimeout(() => ((reportTimer = null), void reloadReport()), 1000);
  }

  function handleEvent(e: ApiEvent): void {
    if (e.type === 'study') {
      const s = byId.value.get(e.studyId);
      if (s) {
        s.state = e.state;
        s.progress = e.progress;
      } else soon('list');
      if (e.studyId === openId.value) {
        // a run that settled, or the study's end, changes the aggregate: the verdict, the numbers, the figures
        // (progress events, once a second, carry no run and change nothing the report shows)
        if ((e.run && e.run.state !== 'running') || !isStudyLive(e.state)) soon('report');
        if (detail.value) {
          detail.value.state = e.state;
          detail.value.progress = e.progress;
          if (e.run) {
            const r = detail.value.runs.find((x) => x.key === e.run!.key);
            if (r) Object.assign(r, e.run);
            else soon('detail'); // a run the page has not read (the study grew): read it
          }
        } else soon('detail'); // opened before the study existed (a terminal's, starting): it does now
        if (!isStudyLive(e.state)) soon('detail');
      }
      if (!isStudyLive(e.state)) soon('list');
      return;
    }
    // a run's generation moves a study's per-run progress
    if (e.type === 'generation' && detail.value) {
      const r = detail.value.runs.find((x) => x.runId === e.runId);
      if (r) r.lastGeneration = Math.max(r.lastGeneration, e.generation);
    }
  }

  function subscribe(): void {
    if (!unsubscribe) unsubscribe = client.onEvent(handleEvent);
  }
  function unsubscribeAll(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  async function act(id: string, what: () => Promise<unknown>): Promise<boolean> {
    try {
      await what();
      delete notice.value[id];
      return true;
    } catch (e) {
      notice.value[id] = (e as Error).message;
      return false;
    } finally {
      await refresh();
      if (openId.value === id) await Promise.all([reloadDetail(), reloadReport()]);
    }
  }

  const cancel = (id: string) => act(id, () => client.call('studies.cancel', { studyId: id }));
  const resume = (id: string, parallel?: number) =>
    act(id, () => client.call('studies.resume', { studyId: id, ...(parallel ? { parallel } : {}) }));

  /** Start a study (from a built-in preset when `preset` names it); its id, or null with the reason in `notice[key]`. */
  async function start(study: StudySpecInput, parallel?: number, key = 'start', preset?: string): Promise<string | null> {
    try {
      const { studyId } = await client.call('studies.start', { study, ...(preset ? { preset } : {}), ...(parallel ? { parallel } : {}) });
      delete notice.value[key];
      await refresh();
      return studyId;
    } catch (e) {
      notice.value[key] = (e as Error).message;
      return null;
    }
  }

  async function startPreset(name: string, parallel?: number): Promise<string | null> {
    const p = presets.value.find((x) => x.name === name);
    if (!p) return null;
    return start(p.study, parallel, `preset:${name}`, p.name);
  }

  return {
    studies,
    workspace,
    presets,
    error,
    loading,
    openId,
    detail,
    detailError,
    report,
    reportError,
    notice,
    byId,
    liveCount,
    refresh,
    loadPresets,
    open,
    reloadDetail,
    reloadReport,
    handleEvent,
    subscribe,
    unsubscribeAll,
    cancel,
    resume,
    start,
    startPreset,
  };
});
