import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RunDetailDto } from '../../../main/contract/api';
import { sampleSpaceOf } from '../../../main/contract/datasets/dataset-kinds';
import { useClient } from '../api/client';
import { classHistogram, epochLosses, metricSeries } from './metric-series';

function isConstant(values: (number | null)[]): boolean {
  const v = values.filter((x): x is number => x !== null);
  return v.length >= 2 && v.every((x) => x === v[0]);
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : Number(v.toPrecision(4)).toString();
}

export const zoomLevels = [1, 2, 3, 4, 6, 8] as const;

/**
 * One run's view: its detail (config, metrics, files), the ONE selected generation that every panel shows (sample
 * grid, filmstrip, charts' marker, class histogram, epoch losses), the zoom, and following new generations live.
 */
export const useRunViewStore = defineStore('runView', () => {
  const client = useClient();
  const runId = ref<string | null>(null);
  const detail = ref<RunDetailDto | null>(null);
  const error = ref('');
  const loading = ref(false);
  const generation = ref(0);
  const zoom = ref<number>(2);
  /** Follow the newest generation while the run produces them (true until the user steps back). */
  const follow = ref(true);

  const generations = computed(() => detail.value?.files.generations ?? []);
  const available = computed(() => generations.value.map((g) => g.generation));
  const maxGeneration = computed(() => (available.value.length ? available.value[available.value.length - 1] : -1));
  /** What the run's samples are (images or vectors): the names of its raw-data metrics follow it. */
  const samples = computed(() => sampleSpaceOf(detail.value ? [detail.value.config.dataset] : []));
  const series = computed(() => metricSeries(detail.value?.metrics ?? [], samples.value));
  /** Series that change across generations get a chart; the others are listed once (when there are 2+ points). */
  const varying = computed(() => series.value.filter((s) => !isConstant(s.values)));
  const constants = computed(() =>
    series.value
      .filter((s) => isConstant(s.values))
      .map((s) => ({ key: s.key, label: s.label, value: formatNumber(s.values.find((v) => v !== null)!) })),
  );
  const losses = computed(() => epochLosses(detail.value?.metrics ?? []));
  const currentMetrics = computed(() => detail.value?.metrics.find((m) => m.generation === generation.value));
  const histogram = computed(() => classHistogram(currentMetrics.value));
  const currentSamples = computed(() => {
    const g = generations.value.find((x) => x.generation === generation.value);
    return g?.samples && runId.value ? client.fileUrl(runId.value, g.samples) : null;
  });
  /** The selected generation's rejected grid (candidates the selection did not keep); null when it rejected none. */
  const currentRejected = computed(() => {
    const g = generations.value.find((x) => x.generation === generation.value);
    return g?.rejected && runId.value ? client.fileUrl(runId.value, g.rejected) : null;
  });
  /** The selection's decision at the selected generation: kept n of N candidates (null fields when unrecorded). */
  const decision = computed(() => {
    const m = currentMetrics.value;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    return { kept: num(m?.kept), candidates: num(m?.candidates) };
  });
  const islandPictures = computed(() =>
    runId.value ? (detail.value?.files.islands ?? []).map((p) => client.fileUrl(runId.value!, p)) : [],
  );

  function fileUrl(path: string): string {
    return runId.value ? client.fileUrl(runId.value, path) : '';
  }

  async function open(id: string): Promise<void> {
    if (runId.value !== id) {
      detail.value = null;
      follow.value = true;
    }
    runId.value = id;
    await reload();
  }

  async function reload(): Promise<void> {
    const id = runId.value;
    if (!id) return;
    loading.value = true;
    try {
      const d = await client.call('runs.get', { runId: id });
      if (runId.value !== id) return;
      detail.value = d;
      error.value = '';
      if (follow.value || generation.value > maxGeneration.value) generation.value = Math.max(0, maxGeneration.value);
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      loading.value = false;
    }
  }

  function setGeneration(g: number): void {
    if (!Number.isFinite(g) || maxGeneration.value < 0) return;
    const clamped = Math.max(0, Math.min(maxGeneration.value, Math.round(g)));
    generation.value = clamped;
    follow.value = clamped === maxGeneration.value;
  }

  const step = (delta: number) => setGeneration(generation.value + delta);
  const first = () => setGeneration(0);
  const last = () => setGeneration(maxGeneration.value);

  function setZoom(z: number): void {
    zoom.value = Math.max(1, Math.min(8, z));
  }

  function close(): void {
    runId.value = null;
    detail.value = null;
  }

  return {
    runId,
    detail,
    error,
    loading,
    generation,
    zoom,
    follow,
    generations,
    available,
    maxGeneration,
    series,
    varying,
    constants,
    losses,
    currentMetrics,
    histogram,
    currentSamples,
    currentRejected,
    decision,
    islandPictures,
    fileUrl,
    open,
    reload,
    setGeneration,
    step,
    first,
    last,
    setZoom,
    close,
  };
});
