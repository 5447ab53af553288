// @vitest-environment happy-dom
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StudyStatusDto } from '../../main/contract/api';
import type { StudyFigure } from '../../main/contract/study-figure';
import { buildStudyFigure } from '../../main/shared/study-figures';
import type { StudyAggregate } from '../../main/contract/study-aggregate';
import type { StudyReport } from '../../main/contract/study-report';
import { setClient } from '../../renderer/src/api/client';
import '../../renderer/src/charts/echarts';
import { chartSvgText } from '../../renderer/src/charts/chart-export';
import { drawableFigureOption } from '../../renderer/src/charts/study-figure-option';
import StudyFigureChart from '../../renderer/src/components/studies/StudyFigureChart.vue';
import StudyPaperPanel from '../../renderer/src/components/studies/StudyPaperPanel.vue';
import { useStudiesStore } from '../../renderer/src/stores/studies';
import StudiesView from '../../renderer/src/views/StudiesView.vue';
import { fakeClient, flush, type FakeClient } from './fake-client';

/** A figure written by hand: two points of one cell on log axes, its data with a cell label that CSV must quote. */
function handFigure(): StudyFigure {
  return {
    spec: { kind: 'loglog-trace', title: 'Tr against t', metric: 'modelVarianceTrace' },
    title: 'Tr against t',
    option: {
      animation: false,
      title: { text: 'Tr against t', left: 'center' },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'log', name: 't' },
      yAxis: { type: 'log', name: 'Tr' },
      series: [
        {
          type: 'line',
          name: 'replace, none',
          data: [
            [1, 10],
            [10, 0.0523],
          ],
        },
      ],
    },
    csv: {
      header: ['cell', 'generation', 't', 'modelVarianceTrace_mean', 'psi'],
      rows: [
        ['replace, none', 0, 1, 10, null],
        ['replace, none', 9, 10, 0.0523, 2.532],
      ],
    },
    width: 640,
    height: 400,
  };
}

const progress = (completed: number) => ({
  studyId: 'toy',
  total: 4,
  completed,
  running: 4 - completed,
  queued: 0,
  failed: 0,
  cancelled: 0,
  interrupted: 0,
  fraction: completed / 4,
});

function handReport(patch: Partial<StudyReport> = {}): StudyReport {
  return {
    studyId: 'toy',
    name: 'toy',
    preset: 'selection-bias-toy',
    state: 'completed',
    progress: progress(4),
    claim: {
      paper: '000 — Selection bias',
      statement: 'Biased selection drives Tr(Σ) to zero as a power law.',
      paperSetting: 'd = 10, 100 generations; a GPU is not needed.',
      figures: [],
    },
    verdict: {
      reproduced: 'partly',
      summary: 'ψ is faster with selection; accumulate without selection is not stable here.',
      checks: [
        {
          label: 'ψ(replace · topalpha) > ψ(replace · none)',
          quantity: 'ψ per seed, t ∈ [10, 100]',
          reference: { kind: 'cell', text: 'replace · none' },
          ours: 2.5316,
          against: 0.591,
          tolerance: 'difference 1.9 > 2 s.e. = 0.3',
          scale: 'linear',
          role: 'claim',
          pass: true,
          outcome: 'pass',
        },
        {
          label: 'accumulate · none: Tr at t = 100 above',
          quantity: 'Tr(Σ̄) at t = 100',
          reference: { kind: 'rerun', text: 'numpy re-run, 20 seeds' },
          ours: 0.000123456,
          against: '9 (90 % of the start)',
          tolerance: '3 s.e. = 0.5',
          scale: 'log',
          role: 'number',
          pass: false,
          outcome: 'fail',
        },
      ],
    },
    paperVsOurs: [
      {
        quantity: 'ψ, replace · topalpha',
        paper: 2.532,
        where: 'numpy re-run',
        ours: { mean: 2.51, sd: 0.04, n: 3 },
        oursText: '2.51 ± 0.04 (3)',
        source: 'powerLawPsi, cell replace · topalpha, last generation',
      },
      {
        quantity: 'Σ̄_t under accumulate + selection',
        paper: '→ 0 almost surely',
        where: 'Theorem 1',
        ours: null,
        oursText: '—',
        source: 'no number of ours matches',
      },
    ],
    figures: [handFigure()],
    timing: { startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:03:00Z', wallSeconds: 180, computeSeconds: 330 },
    sizes: { runs: 4, completedRuns: 4, cells: 2, seeds: [0, 1], generations: 100, fieldPaths: ['loop.paradigm'], perGeneration: {} },
    ...patch,
  };
}

/** Records the files the page downloads (names and contents) instead of saving them. */
function captureDownloads() {
  const files: { name: string; blob?: Blob; url: string }[] = [];
  let last: Blob | undefined;
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => ((last = b as Blob), 'blob:x'));
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    files.push({ name: this.download, url: this.href, ...(this.href.startsWith('blob:') ? { blob: last } : {}) });
  });
  return files;
}

let pinia: Pinia;
let wrapper: VueWrapper | null = null;
beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  vi.restoreAllMocks();
});

describe('the Paper panel of a study', () => {
  it('states the claim and the setting, the verdict with its checks, and the paper’s numbers beside ours', () => {
    const report = handReport();
    wrapper = mount(StudyPaperPanel, { props: { report: { ...report, claim: report.claim! } }, attachTo: document.body });
    expect(wrapper.get('[data-testid=paper-name]').text()).toBe('000 — Selection bias');
    expect(wrapper.get('[data-testid=paper-claim]').text()).toContain('drives Tr(Σ) to zero');
    expect(wrapper.get('[data-testid=paper-setting]').text()).toContain('d = 10, 100 generations');
    expect(wrapper.get('[data-verdict]').attributes('data-verdict')).toBe('partly');
    expect(wrapper.get('[data-testid=verdict-badge]').text()).toBe('partly reproduced');
    expect(wrapper.get('[data-testid=verdict-summary]').text()).toContain('ψ is faster with selection');
    const checks = wrapper.findAll('[data-testid=verdict-checks] tbody tr').map((r) => r.findAll('td').map((td) => td.text()));
    expect(checks).toEqual([
      [
        'ψ(replace · topalpha) > ψ(replace · none) ψ per seed, t ∈ [10, 100]',
        '2.532',
        '0.591cell: replace · none',
        'difference 1.9 > 2 s.e. = 0.3',
        '✓ pass',
      ],
      [
        'accumulate · none: Tr at t = 100 above Tr(Σ̄) at t = 100 (log scale)',
        '0.0001235',
        '9 (90 % of the start)rerun: numpy re-run, 20 seeds',
        '3 s.e. = 0.5',
        '✗ fail',
      ],
    ]);
    const rows = wrapper.findAll('[data-testid=paper-vs-ours] tbody tr').map((r) => r.findAll('td').map((td) => td.text()));
    expect(rows).toEqual([
      ['ψ, replace · topalpha', '2.532', 'numpy re-run', '2.51 ± 0.04 (3)', 'powerLawPsi, cell replace · topalpha, last generation'],
      ['Σ̄_t under accumulate + selection', '→ 0 almost surely', 'Theorem 1', '—', 'no number of ours matches'],
    ]);
    expect(wrapper.get('[data-testid=report-sizes]').text()).toBe(
      'Ours: 4/4 runs finished · 2 cells × 2 seeds · 100 generations · wall time 3 min · 6 min of compute',
    );
  });

  it('names each verdict plainly', async () => {
    const labels: Record<string, string> = { yes: 'reproduced', partly: 'partly reproduced', no: 'not reproduced', pending: 'pending' };
    for (const [reproduced, label] of Object.entries(labels)) {
      const report = handReport({ verdict: { reproduced: reproduced as 'yes', summary: 's', checks: [] } });
      const w = mount(StudyPaperPanel, { props: { report: { ...report, claim: report.claim! } } });
      expect(w.get('[data-testid=verdict-badge]').text()).toBe(label);
      expect(w.find('[data-testid=verdict-checks]').exists()).toBe(false);
      w.unmount();
    }
  });
});

describe('a study figure', () => {
  it('is drawn with short log-axis labels and a tooltip drawn in the canvas, the report’s option left as it was', () => {
    const option = handFigure().option;
    const drawn = drawableFigureOption(option) as {
      xAxis: { axisLabel: { formatter: (v: number) => string } };
      tooltip: Record<string, unknown>;
    };
    expect(drawn.xAxis.axisLabel.formatter(0.00009999999999999999)).toBe('1e-4');
    expect(drawn.xAxis.axisLabel.formatter(0.30000000000000004)).toBe('0.3');
    expect(drawn.tooltip).toEqual({ trigger: 'axis', renderMode: 'richText' });
    expect(option.tooltip).toEqual({ trigger: 'axis' });
    expect(JSON.stringify(option)).not.toContain('formatter');
  });

  it('exports its data as CSV and its drawing as SVG', async () => {
    const files = captureDownloads();
    wrapper = mount(StudyFigureChart, {
      props: { figure: handFigure(), studyId: 'toy', index: 0 },
      global: { stubs: { VChart: true, echarts: true } },
      attachTo: document.body,
    });
    expect(wrapper.get('[data-study-figure]').attributes('data-rows')).toBe('2');
    await wrapper.get('[data-download-chart=csv]').trigger('click');
    expect(files[0].name).toBe('toy-figure-1-loglog-trace.csv');
    expect(await files[0].blob!.text()).toBe(
      'cell,generation,t,modelVarianceTrace_mean,psi\n"replace, none",0,1,10,\n"replace, none",9,10,0.0523,2.532\n',
    );
    await wrapper.get('[data-download-chart=svg]').trigger('click');
    expect(files[1].name).toBe('toy-figure-1-loglog-trace.svg');
    const svg = await files[1].blob!.text();
    expect(svg).toMatch(/^<svg[^>]* width="640" height="400"/);
    expect(svg).toContain('Tr against t');
  });

  it('draws the panel figures (stacked class shares, log mode energies) with the parts the app registers', () => {
    const aggregate = { studyId: 'v', fieldPaths: ['loop.paradigm'], cells: [] } as unknown as StudyAggregate;
    const cell = (paradigm: string, key: string, values: number[][]) => ({
      cellKey: paradigm,
      fields: { 'loop.paradigm': paradigm },
      generations: values.map((mean, g) => ({ generation: g, vectors: { [key]: { mean, sd: mean.map(() => null), n: 1 } } })),
    });
    const vectors = (key: string, values: number[][]) => ({
      studyId: 'v',
      fieldPaths: ['loop.paradigm'],
      keys: [key],
      cells: [cell('replace', key, values), cell('accumulate', key, values)],
    });
    const hist = buildStudyFigure(
      { kind: 'class-histogram', title: 'Classes over generations' },
      {
        aggregate,
        vectors: vectors('classHistogram', [
          [5, 3, 2],
          [8, 1, 1],
        ]),
      },
    );
    const modes = buildStudyFigure(
      { kind: 'mode-energies', title: 'Mode energies' },
      {
        aggregate,
        vectors: vectors('hermiteEnergy', [
          [1, 0.1, 0.01],
          [1, 0.05, 0.001],
        ]),
      },
    );
    for (const [figure, legend] of [
      [hist, 'class 2'],
      [modes, 'k = 2'],
    ] as const) {
      expect(figure.missing).toBeUndefined();
      const svg = chartSvgText(drawableFigureOption(figure.option), figure.width, figure.height);
      for (const text of [figure.title, 'replace', 'accumulate', legend]) expect(svg).toContain(`>${text}<`);
    }
    // the stacked bars: 2 panels × 3 classes × 2 generations, each a bar
    expect(
      chartSvgText(drawableFigureOption(hist.option), hist.width, hist.height).match(
        /<path d="M[^"]*Z"[^>]*fill="(#4e79a7|#f28e2b|#e15759)"/g,
      )?.length,
    ).toBeGreaterThanOrEqual(12);
  });

  it('says what is missing instead of drawing an empty figure', () => {
    const figure = { ...handFigure(), csv: { header: ['cell'], rows: [] }, missing: 'no cell recorded a class histogram' };
    wrapper = mount(StudyFigureChart, { props: { figure, studyId: 'toy', index: 2 }, global: { stubs: { VChart: true, echarts: true } } });
    expect(wrapper.get('[data-testid=figure-missing]').text()).toContain('no cell recorded a class histogram');
    expect(wrapper.find('[data-download-chart]').exists()).toBe(false);
  });
});

describe('the study view with its report', () => {
  let client: FakeClient;
  const status = (): StudyStatusDto => ({
    id: 'toy',
    name: 'toy',
    preset: 'selection-bias-toy',
    state: 'running',
    fieldPaths: ['loop.paradigm'],
    seeds: [0, 1],
    progress: progress(1),
    spec: {
      name: 'toy',
      base: {},
      axes: [{ path: 'loop.paradigm', values: ['replace', 'accumulate'] }],
      seeds: 2,
      preset: 'selection-bias-toy',
    },
    runs: [],
  });
  let completed = 1;
  beforeEach(() => {
    completed = 1;
    client = fakeClient({
      'studies.list': () => ({ workspace: '/ws', studies: [] }),
      'studies.presets': () => ({ presets: [] }),
      'studies.get': () => status(),
      'studies.report': () =>
        completed < 4
          ? handReport({
              state: 'running',
              progress: progress(completed),
              verdict: { reproduced: 'pending', summary: `${completed} of 4 runs finished`, checks: [] },
            })
          : handReport(),
    });
    setClient(client);
  });

  it('shows the paper panel and the figures, and refreshes the verdict as runs finish', async () => {
    wrapper = mount(StudiesView, {
      props: { studyId: 'toy' },
      global: { plugins: [pinia], stubs: { VChart: true, echarts: true } },
      attachTo: document.body,
    });
    useStudiesStore().subscribe();
    await flush();
    await flush();
    expect(wrapper.get('[data-testid=verdict-badge]').text()).toBe('pending');
    expect(wrapper.get('[data-testid=verdict-summary]').text()).toBe('1 of 4 runs finished');
    expect(wrapper.findAll('[data-testid=study-figures] [data-study-figure]')).toHaveLength(1);
    // progress events alone do not reload the report; a run that settles does
    const reports = () => client.calls.filter((c) => c.op === 'studies.report').length;
    expect(reports()).toBe(1);
    client.emit({ type: 'study', studyId: 'toy', state: 'running', progress: progress(1) } as never);
    completed = 4;
    const run = { key: 'k', runId: 'toy-k', state: 'completed', lastGeneration: 99, generations: 100 };
    client.emit({ type: 'study', studyId: 'toy', state: 'completed', progress: progress(4), run } as never);
    await new Promise((r) => setTimeout(r, 1100));
    await flush();
    expect(reports()).toBe(2);
    expect(wrapper.get('[data-testid=verdict-badge]').text()).toBe('partly reproduced');
  });

  it('shows no paper panel for a study of one’s own, but its figures', async () => {
    client.handlers['studies.report'] = () => handReport({ preset: null, claim: null, verdict: null, paperVsOurs: [] });
    wrapper = mount(StudiesView, {
      props: { studyId: 'toy' },
      global: { plugins: [pinia], stubs: { VChart: true, echarts: true } },
      attachTo: document.body,
    });
    await flush();
    await flush();
    expect(wrapper.find('[data-testid=paper-panel]').exists()).toBe(false);
    expect(wrapper.findAll('[data-study-figure]')).toHaveLength(1);
  });
});
