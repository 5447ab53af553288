import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { RunDetailDto, RunSummaryDto } from '../../../main/contract/api';
import type { ProgressEvent } from '../../../main/contract/events';
import { isActiveRunState, type RunState } from '../../../main/contract/run-state';
import { useRunDetailsStore } from './run-details';
import { useRunsStore } from './runs';

/**
 * The runs list as a table: sort by any column, filter by text and state, group by a config field, and a selection
 * of runs (checkboxes, shift-click ranges) to compare. The pure functions are exported for tests; the store holds
 * the user's choices and reads the configs a config-field grouping needs through the run-details cache.
 */

export type SortColumn = 'name' | 'state' | 'setup' | 'dataset' | 'model' | 'scheme' | 'progress' | 'eta' | 'backend' | 'started';
export type SortDirection = 'asc' | 'desc';

/** Fields to group by: those of the summary, then config paths (read from each run's config). */
export const groupFields: { path: string; label: string; summary?: keyof RunSummaryDto }[] = [
  { path: 'state', label: 'State', summary: 'state' },
  { path: 'dataset.kind', label: 'Dataset', summary: 'dataset' },
  { path: 'model.kind', label: 'Model', summary: 'model' },
  { path: 'selection.scheme', label: 'Scheme', summary: 'scheme' },
  { path: 'loop.paradigm', label: 'Paradigm' },
  { path: 'seed', label: 'Seed' },
  { path: 'islands.split', label: 'Island split' },
  { path: 'islands.count', label: 'Islands' },
  { path: 'selection.reference', label: 'Reference' },
  { path: 'selection.features', label: 'Feature space' },
  { path: 'loop.keep', label: 'Kept n' },
  { path: 'loop.ratio', label: 'N/n' },
  { path: 'loop.generations', label: 'Generations' },
  { path: 'backend', label: 'Backend', summary: 'backend' },
];

const STATE_ORDER: readonly RunState[] = ['running', 'starting', 'cancelling', 'queued', 'interrupted', 'failed', 'cancelled', 'completed'];

/** The value at a dot path of a plain object. */
export function valueAt(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** A value as the table shows it. */
export function showValue(v: unknown): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function runFraction(r: RunSummaryDto, p?: ProgressEvent): number {
  if (r.state === 'completed') return 1;
  if (p && isActiveRunState(r.state)) return p.fraction;
  return (r.lastGeneration + 1) / Math.max(1, r.generations);
}

function sortValue(r: RunSummaryDto, col: SortColumn, progress: Record<string, ProgressEvent>): string | number {
  switch (col) {
    case 'name':
      return r.name.toLowerCase();
    case 'state':
      return STATE_ORDER.indexOf(r.state);
    case 'setup':
      return `${r.dataset} ${r.model} ${r.scheme}`;
    case 'dataset':
      return r.dataset;
    case 'model':
      return r.model;
    case 'scheme':
      return r.scheme;
    case 'progress':
      return runFraction(r, progress[r.id]);
    case 'eta':
      return progress[r.id]?.etaSeconds ?? Number.POSITIVE_INFINITY;
    case 'backend':
      return r.backend ?? '';
    case 'started':
      return r.startedAt;
  }
}

export function sortRuns(
  runs: RunSummaryDto[],
  col: SortColumn,
  dir: SortDirection,
  progress: Record<string, ProgressEvent> = {},
): RunSummaryDto[] {
  const sign = dir === 'asc' ? 1 : -1;
  return runs
    .map((r, i) => ({ r, i, v: sortValue(r, col, progress) }))
    .sort((a, b) => {
      const c = a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
      return c !== 0 ? sign * c : a.i - b.i; // stable: ties keep the list's order (newest first)
    })
    .map((x) => x.r);
}

/** Every word of the text must occur in the run's id, name, dataset, model, scheme, state, backend or error. */
export function filterRuns(runs: RunSummaryDto[], text: string, states: string[]): RunSummaryDto[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const stateSet = new Set(states);
  return runs.filter((r) => {
    if (stateSet.size > 0 && !stateSet.has(r.state)) return false;
    if (words.length === 0) return true;
    const hay = [r.id, r.name, r.dataset, r.model, r.scheme, r.state, r.backend ?? '', r.error ?? ''].join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

export interface RunGroup {
  key: string;
  label: string;
  runs: RunSummaryDto[];
}

/** The value of a group field for a run: from its summary, or its config (null while the config is not read). */
export function groupValue(r: RunSummaryDto, path: string, detail: RunDetailDto | undefined): { ready: boolean; value: unknown } {
  const f = groupFields.find((g) => g.path === path);
  if (f?.summary) return { ready: true, value: r[f.summary] };
  if (!detail) return { ready: false, value: undefined };
  return { ready: true, value: valueAt(detail.config, path) };
}

/** Groups in the order of their first run (the runs already sorted); one group of everything without a field. */
export function groupRuns(runs: RunSummaryDto[], path: string, details: Record<string, RunDetailDto>): RunGroup[] {
  if (!path) return [{ key: '', label: '', runs }];
  const groups = new Map<string, RunGroup>();
  for (const r of runs) {
    const { ready, value } = groupValue(r, path, details[r.id]);
    const label = ready ? showValue(value) : '…';
    const key = ready ? JSON.stringify(value ?? null) : '\u0000loading';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, label, runs: [] }));
    g.runs.push(r);
  }
  return [...groups.values()];
}

/**
 * A click on a row's checkbox: toggles the run; with shift, sets every run between the last clicked one and this
 * one (in the shown order) to this run's new state, as file managers do.
 */
export function clickSelection(selected: string[], order: string[], id: string, anchor: string | null, shift: boolean): string[] {
  const set = new Set(selected);
  const on = !set.has(id);
  const a = anchor === null ? -1 : order.indexOf(anchor);
  const b = order.indexOf(id);
  if (shift && a >= 0 && b >= 0) {
    const [lo, hi] = a < b ? [a, b] : [b, a];
    for (let i = lo; i <= hi; i++) {
      if (on) set.add(order[i]);
      else set.delete(order[i]);
    }
  } else if (on) set.add(id);
  else set.delete(id);
  return order.filter((x) => set.has(x)).concat([...set].filter((x) => !order.includes(x)));
}

const SELECTION_KEY = 'collapse-lab.runs.selected';

function sessionStore(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.sessionStorage : null;
  } catch {
    return null;
  }
}

function loadSelection(): string[] {
  try {
    const v = JSON.parse(sessionStore()?.getItem(SELECTION_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function saveSelection(ids: string[]): void {
  try {
    sessionStore()?.setItem(SELECTION_KEY, JSON.stringify(ids));
  } catch {
    // a storage that refuses (private mode, full): the selection lives until the page reloads
  }
}

export const useRunsTableStore = defineStore('runsTable', () => {
  const runs = useRunsStore();
  const details = useRunDetailsStore();
  const sortColumn = ref<SortColumn>('started');
  const sortDirection = ref<SortDirection>('desc');
  const text = ref('');
  const states = ref<string[]>([]);
  const groupBy = ref('');
  /**
   * The selection: one list of run ids, the only one. The ticks, the highlight, the count, Compare and a reload of
   * the page all read it (it is kept in the session's storage, so a reload shows the same ticks and count).
   */
  const selected = ref<string[]>(loadSelection());
  const selectedSet = computed(() => new Set(selected.value));
  const anchor = ref<string | null>(null);
  const loadingConfigs = ref(false);

  const shown = computed(() =>
    sortRuns(filterRuns(runs.runs, text.value, states.value), sortColumn.value, sortDirection.value, runs.progress),
  );
  const groups = computed(() => groupRuns(shown.value, groupBy.value, details.details));
  /** The shown runs in display order (group by group): the order of shift-click ranges. */
  const order = computed(() => groups.value.flatMap((g) => g.runs.map((r) => r.id)));
  const selectedRuns = computed(() => selected.value.map((id) => runs.byId.get(id)).filter((r): r is RunSummaryDto => r !== undefined));
  /** Selected runs the filter hides (counted, not ticked where one can see them). */
  const hiddenSelected = computed(() => {
    const shownIds = new Set(order.value);
    return selected.value.filter((id) => !shownIds.has(id)).length;
  });

  function isSelected(id: string): boolean {
    return selectedSet.value.has(id);
  }

  function sortBy(col: SortColumn): void {
    if (sortColumn.value === col) sortDirection.value = sortDirection.value === 'asc' ? 'desc' : 'asc';
    else {
      sortColumn.value = col;
      sortDirection.value = col === 'started' || col === 'progress' ? 'desc' : 'asc';
    }
  }

  function toggleState(s: string): void {
    states.value = states.value.includes(s) ? states.value.filter((x) => x !== s) : [...states.value, s];
  }

  function click(id: string, shift: boolean): void {
    selected.value = clickSelection(selected.value, order.value, id, anchor.value, shift);
    anchor.value = id;
  }

  /** Select every shown run (or, when all are selected, none); a group's runs with `ids`. */
  function toggleAll(ids: string[] = order.value): void {
    const set = selectedSet.value;
    const all = ids.length > 0 && ids.every((id) => set.has(id));
    const drop = new Set(ids);
    selected.value = all ? selected.value.filter((id) => !drop.has(id)) : [...new Set([...selected.value, ...ids])];
  }

  function clearSelection(): void {
    selected.value = [];
    anchor.value = null;
  }

  /** Read the configs a config-field grouping needs. */
  async function loadConfigs(): Promise<void> {
    const f = groupFields.find((g) => g.path === groupBy.value);
    if (!groupBy.value || f?.summary) return;
    const missing = runs.runs.filter((r) => !details.details[r.id]);
    if (missing.length === 0) return;
    loadingConfigs.value = true;
    try {
      await details.getMany(missing.map((r) => ({ id: r.id })));
    } finally {
      loadingConfigs.value = false;
    }
  }

  watch([groupBy, () => runs.runs.length], () => void loadConfigs());
  // a deleted run leaves the selection (once the list is loaded: before, every id is unknown)
  watch(
    () => runs.runs.map((r) => r.id).join(','),
    () => {
      if (runs.runs.length > 0) selected.value = selected.value.filter((id) => runs.byId.has(id));
    },
  );
  watch(selected, (ids) => saveSelection(ids));

  return {
    sortColumn,
    sortDirection,
    text,
    states,
    groupBy,
    selected,
    selectedSet,
    hiddenSelected,
    isSelected,
    loadingConfigs,
    shown,
    groups,
    order,
    selectedRuns,
    sortBy,
    toggleState,
    click,
    toggleAll,
    clearSelection,
    loadConfigs,
  };
});
