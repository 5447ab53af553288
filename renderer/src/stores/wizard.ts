import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { ApiResponse, CatalogInfo, DurationEstimate, FieldIssueDto, PresetInfo } from '../../../main/contract/api';
import { ApiCallError, useClient } from '../api/client';
import {
  clone,
  configOf,
  defaultDataset,
  defaultDraft,
  draftFrom,
  issueAt,
  issuesOf,
  stepPaths,
  type DatasetKind,
  type DraftConfig,
} from './config-draft';
import { latest, livePreview } from './live-preview';

export const wizardSteps = [
  { id: 'dataset', label: 'Dataset' },
  { id: 'islands', label: 'Islands' },
  { id: 'scheme', label: 'Scheme & paradigm' },
  { id: 'model', label: 'Model' },
  { id: 'review', label: 'Review' },
] as const;
export type WizardStepId = (typeof wizardSteps)[number]['id'];

/**
 * The wizard: the draft config, its validation by the contract (per field, as you type), the previews of the dataset
 * and of the islands, the estimate, export/import, and the launch.
 */
export const useWizardStore = defineStore('wizard', () => {
  const client = useClient();
  const step = ref(0);
  const presets = ref<PresetInfo[]>([]);
  const catalog = ref<CatalogInfo | null>(null);
  const presetName = ref('');
  const draft = ref<DraftConfig>(defaultDraft());
  const loadError = ref('');

  // what each kind held last, so switching back and forth keeps the user's values
  const datasetMemory = new Map<string, DraftConfig['dataset']>();
  const modelMemory = new Map<string, Record<string, unknown>>();
  const schemeMemory = new Map<string, Record<string, unknown>>();

  const datasetPreview = livePreview<ApiResponse<'dataset.preview'>>();
  const splitPreview = livePreview<ApiResponse<'split.preview'>>();
  const estimate = ref<DurationEstimate | null>(null);
  const importError = ref('');
  const launching = ref(false);
  const launchError = ref('');
  /** Issues the engine reported at launch (e.g. a field the contract cannot check offline). */
  const serverIssues = ref<FieldIssueDto[]>([]);

  // an edit answers the engine's objections: they are shown until the next change
  watch(draft, () => (serverIssues.value = []), { deep: true });

  const issues = computed<FieldIssueDto[]>(() => [...issuesOf(draft.value), ...serverIssues.value]);
  const config = computed(() => configOf(draft.value));
  const canLaunch = computed(() => issues.value.length === 0 && !launching.value);

  function fieldError(path: string): string | undefined {
    return issueAt(issues.value, path);
  }

  function stepIssueCount(id: WizardStepId): number {
    const paths = stepPaths[id];
    return issues.value.filter((i) => paths.some((p) => i.path === p || i.path.startsWith(p + '.'))).length;
  }

  async function init(): Promise<void> {
    try {
      const [p, c] = await Promise.all([client.call('presets.list', {}), client.call('catalog.get', {})]);
      presets.value = p.presets;
      catalog.value = c;
      if (!presetName.value && p.presets.length > 0) applyPreset(p.presets[0].name);
    } catch (e) {
      loadError.value = (e as Error).message;
    }
  }

  function modelDefaults(kind: string): Record<string, unknown> {
    return clone(catalog.value?.models.find((m) => m.kind === kind)?.defaults ?? {});
  }

  function schemeDefaults(name: string): Record<string, unknown> {
    return clone(catalog.value?.schemes.find((s) => s.name === name)?.defaults ?? {});
  }

  /** Load a config into the draft; model and scheme parameters start from the catalog's defaults. */
  function load(input: Record<string, unknown>): void {
    const d = draftFrom(input);
    d.model.params = { ...modelDefaults(d.model.kind), ...d.model.params };
    d.selection.params = { ...schemeDefaults(d.selection.scheme), ...d.selection.params };
    draft.value = d;
    datasetMemory.clear();
    modelMemory.clear();
    schemeMemory.clear();
    serverIssues.value = [];
    estimate.value = null;
  }

  function applyPreset(name: string): void {
    const p = presets.value.find((x) => x.name === name);
    if (!p) return;
    presetName.value = name;
    load(p.config as Record<string, unknown>);
  }

  function setDatasetKind(kind: DatasetKind): void {
    const cur = draft.value.dataset;
    if (cur.kind === kind) return;
    datasetMemory.set(cur.kind, cur);
    const schema = catalog.value?.datasetForms.find((f) => f.kind === kind)?.schema;
    draft.value.dataset = datasetMemory.get(kind) ?? defaultDataset(kind, schema as Parameters<typeof defaultDataset>[1]);
    datasetPreview.answer.value = null;
    splitPreview.answer.value = null;
  }

  function setModelKind(kind: string): void {
    const cur = draft.value.model;
    if (cur.kind === kind) return;
    modelMemory.set(cur.kind, cur.params);
    draft.value.model = { kind, params: modelMemory.get(kind) ?? modelDefaults(kind) };
  }

  function setScheme(name: string): void {
    const cur = draft.value.selection;
    if (cur.scheme === name) return;
    schemeMemory.set(cur.scheme, cur.params);
    cur.scheme = name;
    cur.params = schemeMemory.get(name) ?? schemeDefaults(name);
  }

  async function previewDataset(): Promise<void> {
    if (issueAt(issues.value, 'dataset')) return datasetPreview.clear();
    await datasetPreview.load(() => client.call('dataset.preview', { dataset: config.value.dataset, seed: draft.value.seed, samples: 64 }));
  }

  async function previewSplit(): Promise<void> {
    if (issueAt(issues.value, 'dataset') || issueAt(issues.value, 'islands') || issueAt(issues.value, 'seed')) return splitPreview.clear();
    await splitPreview.load(() =>
      client.call('split.preview', {
        dataset: config.value.dataset,
        islands: { count: draft.value.islands.count, split: draft.value.islands.split },
        seed: draft.value.seed,
        samplesPerIsland: 16,
      }),
    );
  }

  const estimateTicket = latest();
  async function refreshEstimate(): Promise<void> {
    const t = estimateTicket.next();
    try {
      const r = await client.call('config.validate', { config: config.value });
      if (!estimateTicket.isCurrent(t)) return;
      if (r.valid) {
        estimate.value = r.estimate;
        serverIssues.value = [];
      } else {
        estimate.value = null;
      }
    } catch {
      if (estimateTicket.isCurrent(t)) estimate.value = null;
    }
  }

  function exportJson(): string {
    return JSON.stringify(config.value, null, 2) + '\n';
  }

  /** Load a config from JSON text; bad JSON is refused, an invalid config loads and shows its issues at the fields. */
  function importJson(text: string): boolean {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      importError.value = `not valid JSON: ${(e as Error).message}`;
      return false;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      importError.value = 'a config is a JSON object';
      return false;
    }
    importError.value = '';
    presetName.value = '';
    load(value as Record<string, unknown>);
    return true;
  }

  /** Start the run; returns its id, or null with the reasons shown (launchError and the fields' issues). */
  async function launch(): Promise<string | null> {
    if (!canLaunch.value) {
      launchError.value = `fix ${issues.value.length} invalid value(s) first`;
      return null;
    }
    launching.value = true;
    launchError.value = '';
    try {
      const { runId } = await client.call('runs.start', { config: config.value });
      return runId;
    } catch (e) {
      launchError.value = (e as Error).message;
      if (e instanceof ApiCallError && e.code === 'invalid-config' && e.issues) serverIssues.value = e.issues;
      return null;
    } finally {
      launching.value = false;
    }
  }

  function goTo(i: number): void {
    step.value = Math.max(0, Math.min(wizardSteps.length - 1, i));
  }

  return {
    step,
    presets,
    catalog,
    presetName,
    draft,
    loadError,
    datasetPreview: datasetPreview.answer,
    datasetPreviewError: datasetPreview.error,
    datasetPreviewLoading: datasetPreview.loading,
    splitPreview: splitPreview.answer,
    splitPreviewError: splitPreview.error,
    splitPreviewLoading: splitPreview.loading,
    estimate,
    importError,
    launching,
    launchError,
    serverIssues,
    issues,
    config,
    canLaunch,
    fieldError,
    stepIssueCount,
    init,
    load,
    applyPreset,
    setDatasetKind,
    setModelKind,
    setScheme,
    previewDataset,
    previewSplit,
    refreshEstimate,
    exportJson,
    importJson,
    launch,
    goTo,
  };
});
