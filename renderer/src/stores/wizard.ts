import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { ApiResponse, CatalogInfo, DurationEstimate, FieldIssueDto, PresetInfo } from '../../../main/contract/api';
import { ApiCallError, useClient } from '../api/client';
import { experimentConfig, datasetConfig } from '../../../main/contract/config';
import { modelKinds } from '../../../main/contract/models/catalog';
import { schemeNames } from '../../../main/contract/selection/catalog';
import { invalidDraftFields, type ConfigDraft, type DatasetDraft, type InvalidDraftField } from '../../../main/contract/config-draft';
import { clone, defaultDataset, defaultDraft, draftFrom, issueAt, issuesOf, stepPaths, type DatasetKind } from './config-draft';
import { latest, livePreview } from './live-preview';
import { defaultStudyDraft, studyOf, type StudyDraft } from './study-draft';
import type { StudySpecInput } from '../../../main/contract/study';

export const wizardSteps = [
  { id: 'dataset', label: 'Dataset' },
  { id: 'islands', label: 'Islands' },
  { id: 'scheme', label: 'Scheme & paradigm' },
  { id: 'model', label: 'Model' },
  { id: 'review', label: 'Review' },
] as const;
/** Where the wizard keeps its draft across reloads. */
export const STORAGE_KEY = 'collapse-lab:wizard-draft';

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
  const draft = ref<ConfigDraft>(defaultDraft());
  /**
   * The loaded config's wrong-typed fields by path (main/contract/config-draft.ts): shown at their fields until the
   * user edits that field (the draft's value there differs from the one the load left).
   */
  const invalid = ref<Record<string, InvalidDraftField>>({});
  const invalidLeft = new Map<string, string>();
  /** The draft as a config document (undefined fields dropped), as it is validated, sent and exported. */
  const config = computed<ConfigDraft>(() => clone(draft.value));
  const loadError = ref('');

  // what each kind held last, so switching back and forth keeps the user's values
  const datasetMemory = new Map<string, DatasetDraft>();
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

  /** "Vary a field": the study the review step makes of this config (axes, seeds, runs at once). */
  const study = ref<StudyDraft>(defaultStudyDraft());
  const studyPlan = ref<ApiResponse<'studies.plan'> | null>(null);
  const studyPlanError = ref('');
  const studyIssues = ref<FieldIssueDto[]>([]);
  const studyFile = computed<{ study: StudySpecInput | null; error: string }>(() => studyOf(config.value, study.value));

  /** The draft as the preset left it: an edit since makes the selector say "edited". */
  const presetSnapshot = ref('');
  const presetEdited = computed(
    () => presetName.value !== '' && presetSnapshot.value !== '' && JSON.stringify(draft.value) !== presetSnapshot.value,
  );

  // the draft survives a reload of the page (and a restart of the app): kept in the browser's storage
  const storage = (): Storage | null => {
    try {
      return typeof window !== 'undefined' ? window.localStorage : null;
    } catch {
      return null;
    }
  };
  let saving = false;
  function save(): void {
    if (!saving) return;
    try {
      storage()?.setItem(
        STORAGE_KEY,
        JSON.stringify({
          draft: draft.value,
          invalid: invalid.value,
          presetName: presetName.value,
          presetSnapshot: presetSnapshot.value,
          step: step.value,
          study: study.value,
        }),
      );
    } catch {
      // storage full or refused: the draft just does not survive a reload
    }
  }
  function restore(): boolean {
    try {
      const text = storage()?.getItem(STORAGE_KEY);
      if (!text) return false;
      const saved = JSON.parse(text) as {
        draft?: unknown;
        invalid?: unknown;
        presetName?: string;
        presetSnapshot?: string;
        step?: number;
        study?: StudyDraft;
      };
      if (!saved.draft || typeof saved.draft !== 'object') return false;
      const stored = invalidDraftFields.safeParse(saved.invalid);
      const d = draftFrom(saved.draft);
      setDraft(d.draft, { ...(stored.success ? stored.data : {}), ...d.invalid });
      presetName.value = typeof saved.presetName === 'string' ? saved.presetName : '';
      presetSnapshot.value = typeof saved.presetSnapshot === 'string' ? saved.presetSnapshot : '';
      if (typeof saved.step === 'number') step.value = Math.max(0, Math.min(wizardSteps.length - 1, saved.step));
      if (saved.study && typeof saved.study === 'object') study.value = { ...defaultStudyDraft(), ...saved.study };
      return true;
    } catch {
      return false;
    }
  }
  watch([draft, invalid, step, study, presetName], save, { deep: true });

  // an edit answers the engine's objections: they are shown until the next change
  watch(draft, () => (serverIssues.value = []), { deep: true });

  /** The text of the draft's value at a config path (`loop.keep`), to see whether the user changed it. */
  function textAt(path: string): string {
    let v: unknown = draft.value;
    for (const k of path === '' ? [] : path.split('.')) v = v !== null && typeof v === 'object' ? Object(v)[k] : undefined;
    return JSON.stringify(v) ?? '';
  }
  function setDraft(d: ConfigDraft, wrong: Record<string, InvalidDraftField>): void {
    draft.value = d;
    invalid.value = wrong;
    invalidLeft.clear();
    for (const path of Object.keys(wrong)) invalidLeft.set(path, textAt(path));
  }
  // a wrong-typed field's message goes when the user gives that field a value
  watch(
    draft,
    () => {
      const edited = [...invalidLeft].filter(([path, text]) => textAt(path) !== text).map(([path]) => path);
      if (edited.length === 0) return;
      for (const path of edited) invalidLeft.delete(path);
      invalid.value = Object.fromEntries(Object.entries(invalid.value).filter(([path]) => !edited.includes(path)));
    },
    { deep: true },
  );

  /** What the contract says of the draft (offline), and what the engine said at the last launch. */
  const contractIssues = computed<FieldIssueDto[]>(() => [
    ...Object.entries(invalid.value).map(([path, f]) => ({ path, message: f.message })),
    ...issuesOf(draft.value),
    ...serverIssues.value,
  ]);
  // the previews run the engine's own loading and splitting: their errors are the engine's checks, shown at the field
  // (a subset larger than the dataset, an impossible ExDir split) while the fields they were made from are unchanged
  const datasetKey = computed(() => JSON.stringify([config.value.dataset, draft.value.seed]));
  const splitKey = computed(() => JSON.stringify([config.value.dataset, draft.value.islands, draft.value.seed]));
  const datasetPreviewFor = ref('');
  const splitPreviewFor = ref('');
  const previewIssues = computed<FieldIssueDto[]>(() => [
    ...(datasetPreview.error.value && datasetPreviewFor.value === datasetKey.value
      ? [{ path: 'dataset', message: datasetPreview.error.value }]
      : []),
    ...(splitPreview.error.value && splitPreviewFor.value === splitKey.value
      ? [{ path: 'islands.split', message: splitPreview.error.value }]
      : []),
  ]);
  const issues = computed<FieldIssueDto[]>(() => [...contractIssues.value, ...previewIssues.value]);
  const canLaunch = computed(
    () =>
      issues.value.length === 0 && !launching.value && (!study.value.enabled || (studyFile.value.study !== null && !studyPlanError.value)),
  );

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
      const restored = !presetName.value && restore();
      if (!restored && !presetName.value && p.presets.length > 0) applyPreset(p.presets[0].name);
      saving = true;
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

  /**
   * Load a config into the draft; model and scheme parameters start from the catalog's defaults. A new config (a
   * preset, an import) starts without the last one's "vary a field": its axes and seeds belonged to that config.
   */
  function load(input: unknown): void {
    study.value = defaultStudyDraft();
    const { draft: d, invalid: wrong } = draftFrom(input);
    d.model.params = { ...modelDefaults(d.model.kind ?? ''), ...d.model.params };
    d.selection.params = { ...schemeDefaults(d.selection.scheme ?? ''), ...d.selection.params };
    setDraft(d, wrong);
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
    load(p.config);
    presetSnapshot.value = JSON.stringify(draft.value);
  }

  function setDatasetKind(kind: DatasetKind): void {
    const cur = draft.value.dataset;
    if (cur.kind === kind) return;
    if (cur.kind) datasetMemory.set(cur.kind, cur);
    const schema = catalog.value?.datasetForms.find((f) => f.kind === kind)?.schema;
    draft.value.dataset = datasetMemory.get(kind) ?? defaultDataset(kind, schema as Parameters<typeof defaultDataset>[1]);
    datasetPreview.answer.value = null;
    splitPreview.answer.value = null;
  }

  function setModelKind(kind: string): void {
    const cur = draft.value.model;
    const known = modelKinds.find((k) => k === kind);
    if (cur.kind === kind || !known) return;
    if (cur.kind) modelMemory.set(cur.kind, cur.params);
    draft.value.model = { kind: known, params: modelMemory.get(known) ?? modelDefaults(known) };
  }

  function setScheme(name: string): void {
    const cur = draft.value.selection;
    const known = schemeNames.find((n) => n === name);
    if (cur.scheme === name || !known) return;
    if (cur.scheme) schemeMemory.set(cur.scheme, cur.params);
    cur.scheme = known;
    cur.params = schemeMemory.get(known) ?? schemeDefaults(known);
  }

  async function previewDataset(): Promise<void> {
    if (issueAt(contractIssues.value, 'dataset')) return datasetPreview.clear();
    datasetPreviewFor.value = datasetKey.value;
    const dataset = datasetConfig.safeParse(config.value.dataset);
    const seed = experimentConfig.shape.seed.safeParse(draft.value.seed);
    if (!dataset.success || !seed.success) return datasetPreview.clear();
    await datasetPreview.load(() => client.call('dataset.preview', { dataset: dataset.data, seed: seed.data, samples: 64 }));
  }

  async function previewSplit(): Promise<void> {
    const c = contractIssues.value;
    if (issueAt(c, 'dataset') || issueAt(c, 'islands') || issueAt(c, 'seed')) return splitPreview.clear();
    const dataset = datasetConfig.safeParse(config.value.dataset);
    const islands = experimentConfig.shape.islands.safeParse(config.value.islands);
    const seed = experimentConfig.shape.seed.safeParse(draft.value.seed);
    if (!dataset.success || !islands.success || !seed.success) return splitPreview.clear();
    splitPreviewFor.value = splitKey.value;
    await splitPreview.load(() =>
      client.call('split.preview', {
        dataset: dataset.data,
        islands: islands.data,
        seed: seed.data,
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

  const planTicket = latest();
  /** What the study would run: runs, cells and the estimated time at the chosen parallelism (studies.plan). */
  async function refreshStudyPlan(): Promise<void> {
    const t = planTicket.next();
    const { study: file, error } = studyFile.value;
    if (!study.value.enabled) return;
    if (!file) {
      studyPlan.value = null;
      studyPlanError.value = error;
      studyIssues.value = [];
      return;
    }
    try {
      const plan = await client.call('studies.plan', { study: file, ...(study.value.parallel ? { parallel: study.value.parallel } : {}) });
      if (!planTicket.isCurrent(t)) return;
      studyPlan.value = plan;
      studyPlanError.value = '';
      studyIssues.value = [];
    } catch (e) {
      if (!planTicket.isCurrent(t)) return;
      studyPlan.value = null;
      studyPlanError.value = (e as Error).message;
      studyIssues.value = e instanceof ApiCallError && e.issues ? e.issues : [];
    }
  }

  /** Start the study; returns its id, or null with the reasons shown. */
  async function launchStudy(): Promise<string | null> {
    if (canLaunch.value && !(await checkWithEngine())) return null;
    const file = studyFile.value.study;
    if (!canLaunch.value || !file) {
      launchError.value = studyFile.value.error || studyPlanError.value || `fix ${issues.value.length} invalid value(s) first`;
      return null;
    }
    launching.value = true;
    launchError.value = '';
    try {
      const { studyId } = await client.call('studies.start', {
        study: file,
        ...(study.value.parallel ? { parallel: study.value.parallel } : {}),
      });
      return studyId;
    } catch (e) {
      launchError.value = (e as Error).message;
      if (e instanceof ApiCallError && e.issues) studyIssues.value = e.issues;
      return null;
    } finally {
      launching.value = false;
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
    load(value);
    return true;
  }

  /** Start the run; returns its id, or null with the reasons shown (launchError and the fields' issues). */
  /**
   * Before a launch: the engine loads and splits the data as the run would (the previews, cached by the engine), so
   * that what it refuses is shown at the field instead of failing the run seconds later.
   */
  async function checkWithEngine(): Promise<boolean> {
    if (datasetPreviewFor.value !== datasetKey.value || (!datasetPreview.answer.value && !datasetPreview.error.value))
      await previewDataset();
    if (splitPreviewFor.value !== splitKey.value || (!splitPreview.answer.value && !splitPreview.error.value)) await previewSplit();
    if (previewIssues.value.length > 0) {
      launchError.value = `the engine refuses ${previewIssues.value.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
      return false;
    }
    return true;
  }

  async function launch(): Promise<string | null> {
    if (canLaunch.value && !(await checkWithEngine())) return null;
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
    presetEdited,
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
    study,
    studyPlan,
    studyPlanError,
    studyIssues,
    studyFile,
    refreshStudyPlan,
    launchStudy,
    checkWithEngine,
  };
});
