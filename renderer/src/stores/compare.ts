import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RunDetailDto } from '../../../main/contract/api';
import { metricLabel } from '../../../main/contract/metric-catalog';
import type { StudyAggregate } from '../../../main/contract/study-aggregate';
import type { StudyIndexEntry } from '../../../main/contract/study';
import { useClient } from '../api/client';
import { compareRuns } from '../compare/aggregate';
import type { CurveX } from '../compare/curve-x';
import { runPointsOf, type RunPoint } from '../compare/run-points';
import {
  defaultTableMetrics,
  formatTableRows,
  sortTableRows,
  studyTableRows,
  tableColumns,
  type StudyTableFormat,
} from '../../../main/shared/study-table';
import { useRunDetailsStore } from './run-details';
import { showValue } from './runs-table';

export type CompareSource = { runs: string[] } | { studyId: string };

/** A cell's runs: id, seed and name (for the galleries and the legend). */
export interface CellRun {
  runId: string;
  seed: number;
  cellKey: string;
}

/**
 * The comparison of a study (studies.aggregate; its tables from studies.table) or of selected runs (their details,
 * grouped into cells in the renderer): the aggregate, the chosen metrics and generation of the table, its sort, and
 * the cells hidden from the charts (one legend for every chart).
 */
export const useCompareStore = defineStore('compare', () => {
  const client = useClient();
  const details = useRunDetailsStore();
  const source = ref<CompareSource | null>(null);
  const aggregate = ref<StudyAggregate | null>(null);
  const cellRuns = ref<CellRun[]>([]);
  const studyName = ref('');
  /** A selection's setup (dataset · model · scheme of its first run): the name of its one cell when it has one. */
  const setupLabel = ref('');
  const error = ref('');
  const loading = ref(false);
  const metrics = ref<string[]>([]);
  const generation = ref<'last' | number>('last');
  const sort = ref<{ kind: 'field' | 'metric'; index: number } | null>(null);
  const sortDir = ref<'asc' | 'desc'>('asc');
  const hidden = ref<string[]>([]);
  /** A selection's runs (id, seed, lines): what its run points are made from (a study's come from the engine). */
  const selectionRuns = ref<{ id: string; seed: number; metrics: RunDetailDto['metrics'] }[]>([]);
  /** Each run as a point (parallel coordinates, scatter), for `pointsFor`'s metrics and generation. */
  const points = ref<RunPoint[]>([]);
  const pointsFor = ref('');
  const pointsError = ref('');
  /** What every curve's x axis counts (generation, wall time, cumulative synthetic samples). */
  const curveX = ref<CurveX>('generation');

  const isStudy = computed(() => source.value !== null && 'studyId' in source.value);
  const cells = computed(() => aggregate.value?.cells ?? []);
  const generations = computed(() => {
    const s = new Set<number>();
    for (const c of cells.value) for (const g of c.generations) s.add(g.generation);
    return [...s].sort((a, b) => a - b);
  });

  /** A cell's name: its field values (`random · replace`), or its runs' names when the cells do not differ. */
  function cellLabel(cellKey: string): string {
    const agg = aggregate.value;
    const cell = agg?.cells.find((c) => c.cellKey === cellKey);
    if (!agg || !cell) return cellKey;
    // one cell (runs that differ only by seed): named by what it is, not "all runs"
    if (agg.fieldPaths.length === 0) return agg.cells.length === 1 ? setupLabel.value || studyName.value || 'all runs' : cellKey;
    return agg.fieldPaths.map((p) => showValue(cell.fields[p])).join(' · ');
  }

  /** A metric's name for these runs' samples (a Gaussian comparison has no pixels). */
  function metricName(key: string): string {
    return metricLabel(key, aggregate.value?.samples);
  }

  /** The table's columns: the chosen metrics, a feature metric split by fingerprint where the cells' differ. */
  const columns = computed(() => (aggregate.value ? tableColumns(aggregate.value, metrics.value) : []));
  const rows = computed(() =>
    aggregate.value ? sortTableRows(studyTableRows(aggregate.value, columns.value, generation.value), sort.value, sortDir.value) : [],
  );

  async function open(src: CompareSource): Promise<void> {
    source.value = src;
    aggregate.value = null;
    hidden.value = [];
    sort.value = null;
    generation.value = 'last';
    metrics.value = [];
    await reload();
  }

  async function reload(): Promise<void> {
    const src = source.value;
    if (!src) return;
    loading.value = true;
    try {
      if ('studyId' in src) {
        const [agg, status] = await Promise.all([
          client.call('studies.aggregate', { studyId: src.studyId }),
          client.call('studies.get', { studyId: src.studyId }),
        ]);
        if (source.value !== src) return;
        aggregate.value = agg as unknown as StudyAggregate;
        studyName.value = status.name;
        setupLabel.value = '';
        cellRuns.value = status.runs.map((r: StudyIndexEntry) => ({ runId: r.runId, seed: r.seed, cellKey: r.cellKey }));
      } else {
        const got = (
          await details.getMany(
            src.runs.map((id) => ({ id })),
            true,
          )
        ).filter((d): d is RunDetailDto => d !== null);
        if (source.value !== src) return;
        const { aggregate: agg, runCells } = compareRuns(
          got.map((d) => ({ id: d.id, config: d.config as unknown as Record<string, unknown>, metrics: d.metrics })),
        );
        aggregate.value = agg;
        studyName.value = '';
        const first = got[0]?.config;
        setupLabel.value = first ? `${first.dataset.kind} · ${first.model.kind} · ${first.selection.scheme}` : '';
        selectionRuns.value = got.map((d) => ({
          id: d.id,
          seed: typeof d.config.seed === 'number' ? d.config.seed : 0,
          metrics: d.metrics,
        }));
        pointsFor.value = '';
        cellRuns.value = got.map((d) => ({
          runId: d.id,
          seed: typeof d.config.seed === 'number' ? d.config.seed : 0,
          cellKey: runCells[d.id],
        }));
        const missing = src.runs.filter((id) => !got.some((d) => d.id === id));
        if (missing.length)
          throw new Error(
            `could not read ${missing.join(', ')}: ${missing
              .map((id) => details.errors[id])
              .filter(Boolean)
              .join('; ')}`,
          );
      }
      if (metrics.value.length === 0 && aggregate.value) metrics.value = defaultTableMetrics(aggregate.value);
      else if (aggregate.value) metrics.value = metrics.value.filter((m) => aggregate.value!.metrics.includes(m));
      error.value = '';
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      loading.value = false;
    }
  }

  /**
   * Each run as a point with these metrics at the generation: a study's from the engine (studies.runValues, numbers
   * read once there, never every run's lines), a selection's from its runs here. Loaded again only when asked for
   * other metrics, another generation, or after a reload.
   */
  async function loadPoints(metricKeys: string[], at: 'last' | number = 'last'): Promise<void> {
    const src = source.value;
    const agg = aggregate.value;
    if (!src || !agg) return;
    const want = JSON.stringify([metricKeys, at, agg.cells.map((c) => c.n)]);
    if (pointsFor.value === want) return;
    try {
      if ('studyId' in src) {
        const r = await client.call('studies.runValues', { studyId: src.studyId, metrics: metricKeys, generation: at });
        if (source.value !== src) return;
        points.value = r.runs;
      } else {
        const runCells = Object.fromEntries(cellRuns.value.map((r) => [r.runId, r.cellKey]));
        const fields = Object.fromEntries(agg.cells.map((c) => [c.cellKey, c.fields]));
        points.value = runPointsOf(selectionRuns.value, runCells, fields, metricKeys, at);
      }
      pointsFor.value = want;
      pointsError.value = '';
    } catch (e) {
      pointsError.value = (e as Error).message;
    }
  }

  function toggleMetric(key: string): void {
    const agg = aggregate.value;
    if (!agg) return;
    const on = new Set(metrics.value);
    if (on.has(key)) on.delete(key);
    else on.add(key);
    metrics.value = agg.metrics.filter((m) => on.has(m));
    sort.value = null;
  }

  function sortBy(kind: 'field' | 'metric', index: number): void {
    if (sort.value?.kind === kind && sort.value.index === index) sortDir.value = sortDir.value === 'asc' ? 'desc' : 'asc';
    else {
      sort.value = { kind, index };
      sortDir.value = 'asc';
    }
  }

  function toggleCell(cellKey: string): void {
    hidden.value = hidden.value.includes(cellKey) ? hidden.value.filter((k) => k !== cellKey) : [...hidden.value, cellKey];
  }

  /** The table as text: a study's from studies.table (the engine's own), a selection's made here alike. */
  async function tableText(format: StudyTableFormat): Promise<string> {
    const src = source.value;
    const agg = aggregate.value;
    if (!src || !agg) return '';
    if ('studyId' in src) {
      return (await client.call('studies.table', { studyId: src.studyId, metrics: metrics.value, generation: generation.value, format }))
        .text;
    }
    return formatTableRows(agg.fieldPaths, columns.value, studyTableRows(agg, columns.value, generation.value), format);
  }

  return {
    source,
    aggregate,
    cellRuns,
    studyName,
    error,
    loading,
    metrics,
    columns,
    generation,
    sort,
    sortDir,
    hidden,
    curveX,
    points,
    pointsError,
    loadPoints,
    isStudy,
    cells,
    generations,
    rows,
    cellLabel,
    metricName,
    open,
    reload,
    toggleMetric,
    sortBy,
    toggleCell,
    tableText,
  };
});
