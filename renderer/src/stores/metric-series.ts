import { frechetName, isFeatureMetric, type FeatureFingerprint } from '../../../main/contract/feature-fingerprint';
import { metricCatalog, metricInfo, metricLabel, type MetricSection, type SampleSpace } from '../../../main/contract/metric-catalog';
import type { MetricsLine } from '../../../main/contract/run-record';
import { csvLine } from '../../../main/shared/csv';

/**
 * Turning a run's metrics lines (main/contract/run-record.ts) into chart series: every numeric field, nested objects
 * flattened one level ("selection.kept"), arrays left to their own charts (epochLosses, classHistogram). Names,
 * sections and order come from the metric catalog (main/contract/metric-catalog.ts); a key it does not name (a
 * model's or a scheme's own diagnostic) is humanized and shown after the catalog's measurements, before its cost and
 * bookkeeping.
 */
export interface MetricSeries {
  key: string;
  label: string;
  /** The catalog's section of the metric; `other` for a key the catalog does not name. */
  section: MetricSection | 'other';
  generations: number[];
  values: (number | null)[];
  /** For a metric of the feature space: the feature fingerprint of the run's last line that records one. */
  fingerprint?: FeatureFingerprint;
}

/** Fields of a line that are records, not series (the feature fingerprint's counts are not metrics to chart). */
const NOT_SERIES: ReadonlySet<string> = new Set(['featureFingerprint']);

/** Sections shown after the keys the catalog does not name. */
const LAST_SECTIONS: ReadonlySet<MetricSection> = new Set(['cost', 'bookkeeping']);
const catalogIndex = new Map<string, number>(metricCatalog.map((m, i) => [m.key, i]));

function flatten(line: MetricsLine): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(line)) {
    if (k === 'generation' || NOT_SERIES.has(k)) continue;
    if (typeof v === 'number' && Number.isFinite(v)) out.set(k, v);
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v)) {
        if (typeof v2 === 'number' && Number.isFinite(v2)) out.set(`${k}.${k2}`, v2);
      }
    }
  }
  return out;
}

export function humanize(key: string): string {
  return key
    .split('.')
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()))
    .join(' · ');
}

/**
 * The catalog's proper name of a key (FID, W₁, Tr(Σ)) on samples of this space (a Gaussian run's data are not
 * pixels); a key it does not name, humanized.
 */
export function seriesLabel(key: string, samples?: SampleSpace): string {
  return metricInfo(key) ? metricLabel(key, samples) : humanize(key);
}

/** Catalog keys in catalog order, then unnamed keys in the order first seen, then the catalog's cost and bookkeeping. */
function rank(key: string): number {
  const i = catalogIndex.get(key);
  if (i === undefined) return metricCatalog.length;
  return LAST_SECTIONS.has(metricCatalog[i].section) ? metricCatalog.length + 1 + i : i;
}

/** The series of a run's lines, named for its samples' space (sampleSpaceOf its dataset config). */
export function metricSeries(lines: MetricsLine[], samples?: SampleSpace): MetricSeries[] {
  const flat = lines.map(flatten);
  const generations = lines.map((l) => l.generation);
  const keys: string[] = [];
  for (const f of flat) for (const k of f.keys()) if (!keys.includes(k)) keys.push(k);
  keys.sort((a, b) => rank(a) - rank(b));
  const fingerprint = [...lines].reverse().find((l) => l.featureFingerprint)?.featureFingerprint;
  return keys.map((key) => ({
    key,
    // the Fréchet distance named by its space: FID only in Inception-v3's
    label: key === 'fid' && fingerprint ? frechetName(fingerprint) : seriesLabel(key, samples),
    section: metricInfo(key)?.section ?? 'other',
    generations,
    values: flat.map((f) => (f.has(key) ? f.get(key)! : null)),
    ...(fingerprint && isFeatureMetric(key) ? { fingerprint } : {}),
  }));
}

/** Each generation's per-epoch training losses (`epochLosses`), when the lines hold them. */
export function epochLosses(lines: MetricsLine[]): { generation: number; losses: number[] }[] {
  return lines
    .map((l) => ({
      generation: l.generation,
      losses: (l.epochLosses ?? []).filter((v): v is number => v !== null),
    }))
    .filter((e) => e.losses.length > 0);
}

/** A generation's class histogram of the kept samples, when present. */
export function classHistogram(line: MetricsLine | undefined): number[] | null {
  return line?.classHistogram ?? null;
}

/** The metrics lines as a wide CSV: generation, then every numeric series (nested objects as `a.b`), full precision. */
export function metricsCsv(lines: MetricsLine[]): string {
  const series = metricSeries(lines);
  const out = [csvLine(['generation', ...series.map((s) => s.key)])];
  lines.forEach((l, i) =>
    out.push([String(l.generation), ...series.map((s) => (s.values[i] === null ? '' : String(s.values[i])))].join(',')),
  );
  return `${out.join('\n')}\n`;
}
