import { metricInfo, type MetricSection } from '../../../main/contract/metric-catalog';
import { powerLawMetrics, type StudyAggregate, type StudyCellAggregate } from '../../../main/contract/study-aggregate';
import {
  describeFingerprint,
  frechetName,
  isFeatureMetric,
  spaceName,
  type FeatureFingerprint,
} from '../../../main/contract/feature-fingerprint';
import { fingerprintGroups } from '../../../main/shared/fingerprint-groups';
import { seriesLabel } from '../stores/metric-series';
import { csvField } from '../../../main/shared/csv';
import { xOfCell, type CurveX } from './curve-x';

/**
 * The overlaid curves of a comparison: per metric, each cell's mean against generation with its ±sd band across
 * seeds, grouped into sections (quality, diversity, training, cost) with proper names; Tr(Σ) on log-log axes with
 * the power law fitted to the cell's mean.
 */
export interface CurvePoint {
  generation: number;
  /** The point's x on the chosen axis (curve-x.ts): the generation, cumulative wall time or synthetic samples. */
  x: number;
  mean: number;
  sd: number | null;
  n: number;
}

export interface CellCurve {
  cellKey: string;
  points: CurvePoint[];
  /** Tr(Σ_t) ≈ C·t^(−ψ), t = generation + 1, where fitted. */
  fit?: { psi: number; stderr: number | null; intercept: number; firstGeneration: number; lastGeneration: number };
}

export const curveSections: { id: MetricSection | 'other'; title: string }[] = [
  { id: 'quality', title: 'Quality' },
  { id: 'diversity', title: 'Diversity' },
  { id: 'training', title: 'Training' },
  { id: 'cost', title: 'Cost' },
  { id: 'model', title: 'Model' },
  { id: 'other', title: 'Other' },
];

/** Metrics fitted with a power law, drawn on log-log axes by default. */
export const POWER_LAW_METRICS: ReadonlySet<string> = new Set(powerLawMetrics);

export function curvesOf(aggregate: StudyAggregate, metric: string, x: CurveX = 'generation'): CellCurve[] {
  return aggregate.cells.map((cell: StudyCellAggregate) => {
    const xs = xOfCell(cell, x);
    const points = cell.generations
      .filter((g) => g.metrics[metric] !== undefined && xs.get(g.generation) != null)
      .map((g) => ({ generation: g.generation, x: xs.get(g.generation)!, ...g.metrics[metric] }));
    const f = (cell.fits as Record<string, StudyCellAggregate['fits']['varianceTrace']>)[metric];
    return {
      cellKey: cell.cellKey,
      points,
      ...(f
        ? {
            fit: {
              psi: f.psi,
              stderr: f.stderr,
              intercept: f.intercept,
              firstGeneration: f.firstGeneration,
              lastGeneration: f.lastGeneration,
            },
          }
        : {}),
    };
  });
}

/**
 * The metrics worth a chart, by section: present in some cell at 2+ generations and not constant everywhere; the
 * bookkeeping counts left out.
 */
export function chartMetrics(aggregate: StudyAggregate): { id: string; title: string; metrics: string[] }[] {
  const keep = aggregate.metrics.filter((m) => {
    const section = metricInfo(m)?.section ?? 'other';
    if (section === 'bookkeeping') return false;
    const values = aggregate.cells.flatMap((c) => c.generations.map((g) => g.metrics[m]?.mean).filter((v): v is number => v !== undefined));
    return values.length >= 2 && values.some((v) => v !== values[0]);
  });
  return curveSections
    .map((s) => ({ id: s.id, title: s.title, metrics: keep.filter((m) => (metricInfo(m)?.section ?? 'other') === s.id) }))
    .filter((s) => s.metrics.length > 0);
}

export function chartTitle(metric: string, aggregate?: StudyAggregate): string {
  const fp = aggregate ? curveFingerprints(aggregate, metric) : null;
  if (metric === 'fid' && fp)
    return fp.groups.length === 1 && fp.groups[0].fingerprint ? frechetName(fp.groups[0].fingerprint) : 'Fréchet distance';
  return seriesLabel(metric, aggregate?.samples);
}

/**
 * The feature fingerprints behind a feature metric's curves, grouped by cell; a `warning` naming them when the cells
 * differ (their curves are then not comparable: the chart says so rather than overlaying them silently). Null for a
 * metric outside the feature space.
 */
export function curveFingerprints(
  aggregate: StudyAggregate,
  metric: string,
): { groups: { fingerprint?: FeatureFingerprint; cells: string[] }[]; note: string; warning?: string } | null {
  if (!isFeatureMetric(metric)) return null;
  const measured = aggregate.cells.filter((cell) => cell.generations.some((g) => g.metrics[metric] !== undefined));
  const list = fingerprintGroups(measured).map(({ fingerprint, cells }) => (fingerprint ? { fingerprint, cells } : { cells }));
  const note = list.length === 1 && list[0].fingerprint ? describeFingerprint(list[0].fingerprint).join('\n') : '';
  if (list.length <= 1) return { groups: list, note };
  const name = (g: { fingerprint?: FeatureFingerprint }) =>
    g.fingerprint
      ? `${metric === 'fid' ? frechetName(g.fingerprint) : seriesLabel(metric, aggregate.samples)} in ${spaceName(g.fingerprint)} (${g.fingerprint.featureDim}-d, n ${g.fingerprint.nReal}/${g.fingerprint.nGenerated})`
      : 'features not recorded or differing within the cell';
  const warning =
    'not comparable: the cells computed this metric in different feature spaces or with different sample counts — ' +
    list.map((g) => `${name(g)} for ${g.cells.length === 1 ? 'cell' : 'cells'} ${g.cells.join(', ')}`).join('; ');
  return { groups: list, note, warning };
}

/** A chart's data as CSV (long format): the cell's fields, cell, generation, mean, sd, n. */
export function curvesCsv(aggregate: StudyAggregate, metric: string): string {
  const rows = [[...aggregate.fieldPaths, 'cell', 'generation', `${metric}_mean`, `${metric}_sd`, `${metric}_n`].map(csvField).join(',')];
  for (const cell of aggregate.cells) {
    for (const g of cell.generations) {
      const s = g.metrics[metric];
      if (!s) continue;
      rows.push(
        [
          ...aggregate.fieldPaths.map((p) => csvField(cell.fields[p])),
          csvField(cell.cellKey),
          String(g.generation),
          String(s.mean),
          s.sd === null ? '' : String(s.sd),
          String(s.n),
        ].join(','),
      );
    }
  }
  return `${rows.join('\n')}\n`;
}
