import { metricLabel, type SampleSpace } from '../../../main/contract/metric-catalog';
import type { chartColors } from '../charts/echarts';
import type { RunPoint } from './run-points';
import { formatNumber } from '../../../main/shared/number-format';
import { showValue } from '../stores/runs-table';

/**
 * Parallel coordinates of a study: one line per run across the study's axes (each config field it varies, and the
 * seed), with a chosen metric as the last axis and the line's colour. Brushing an interval on axes selects the runs
 * whose values lie in every brushed interval (computed here, from the intervals ECharts reports, so that the
 * selection is data the view can count and hand to Compare).
 */
type ChartColors = ReturnType<typeof chartColors>;

export interface ParallelAxis {
  /** A field path, `seed`, or the metric's key. */
  key: string;
  label: string;
  kind: 'category' | 'value';
  /** A category axis's values, in order (their text). */
  categories?: string[];
}

/**
 * The axes: fields (numbers on a value axis, anything else on a category axis), the seed, then the metric (named for
 * the runs' samples).
 */
export function parallelAxes(fieldPaths: string[], points: RunPoint[], metric: string, samples?: SampleSpace): ParallelAxis[] {
  const axes: ParallelAxis[] = fieldPaths.map((p) => {
    const values = points.map((r) => r.fields[p]);
    if (values.length > 0 && values.every((v) => typeof v === 'number')) return { key: p, label: p, kind: 'value' };
    const categories = [...new Set(values.map((v) => showValue(v)))];
    return { key: p, label: p, kind: 'category', categories };
  });
  axes.push({ key: 'seed', label: 'seed', kind: 'value' });
  axes.push({ key: metric, label: metricLabel(metric, samples), kind: 'value' });
  return axes;
}

/** A run's coordinate on an axis (a category's text, a number, or null where the run lacks the metric). */
export function coordinate(r: RunPoint, axis: ParallelAxis, metric: string): string | number | null {
  if (axis.key === metric) return r.values[metric] ?? null;
  if (axis.key === 'seed') return r.seed;
  const v = r.fields[axis.key];
  return axis.kind === 'category' ? showValue(v) : (v as number);
}

/** The runs inside every brushed interval (axis index → [lo, hi] pairs; a category axis's are category indices). */
export function brushedRuns(
  points: RunPoint[],
  axes: ParallelAxis[],
  metric: string,
  intervals: Record<number, [number, number][]>,
): string[] {
  const active = Object.entries(intervals).filter(([, iv]) => iv.length > 0);
  if (active.length === 0) return [];
  return points
    .filter((r) =>
      active.every(([i, iv]) => {
        const axis = axes[Number(i)];
        const v = coordinate(r, axis, metric);
        if (v === null) return false;
        const x = axis.kind === 'category' ? axis.categories!.indexOf(String(v)) : (v as number);
        return iv.some(([lo, hi]) => x >= Math.min(lo, hi) && x <= Math.max(lo, hi));
      }),
    )
    .map((r) => r.runId);
}

export function parallelOption(o: { points: RunPoint[]; axes: ParallelAxis[]; metric: string; colors: ChartColors }) {
  const c = o.colors;
  const values = o.points.map((r) => r.values[o.metric]).filter((v): v is number => v !== null);
  const min = values.length ? Math.min(...values) : 0;
  const max = values.length ? Math.max(...values) : 1;
  const line = (r: RunPoint) => o.axes.map((a) => coordinate(r, a, o.metric));
  return {
    animation: false,
    textStyle: { color: c.text, fontSize: 11 },
    parallel: { left: 60, right: 90, top: 46, bottom: 40, parallelAxisDefault: { nameLocation: 'end' as const, nameGap: 14 } },
    parallelAxis: o.axes.map((a, dim) => ({
      // the brush event names the axis by this id (parallelAxisIndex reads it back)
      id: `axis-${dim}`,
      dim,
      name: a.label,
      type: a.kind,
      ...(a.kind === 'category' ? { data: a.categories } : { scale: true }),
      // seeds are whole numbers
      ...(a.key === 'seed' ? { minInterval: 1 } : {}),
      nameTextStyle: { color: c.text, fontSize: 11 },
      axisLine: { lineStyle: { color: c.axis } },
      axisLabel: { color: c.muted, ...(a.kind === 'value' ? { formatter: (v: number) => formatNumber(v) } : {}) },
      areaSelectStyle: { width: 18, opacity: 0.35 },
    })),
    visualMap: {
      type: 'continuous' as const,
      dimension: o.axes.length - 1,
      min,
      max: max > min ? max : min + 1,
      right: 8,
      top: 'middle' as const,
      itemHeight: 160,
      calculable: false,
      text: [formatNumber(max), formatNumber(min)],
      textStyle: { color: c.muted, fontSize: 10 },
      inRange: { color: ['#4e79a7', '#76b7b2', '#edc948', '#f28e2b', '#e15759'] },
      seriesIndex: 0,
    },
    series: [
      {
        type: 'parallel' as const,
        // the brushed runs stay drawn, the others fade (ECharts' own active state)
        lineStyle: { width: 1.5, opacity: 0.75 },
        emphasis: { lineStyle: { width: 3, opacity: 1 } },
        inactiveOpacity: 0.06,
        activeOpacity: 1,
        data: o.points.map((r) => ({ value: line(r), name: r.runId })),
      },
    ],
  };
}

/** The axis index of an ECharts parallelAxis id (`axis-N`), or -1. */
export function parallelAxisIndex(id: string): number {
  const m = /^axis-(\d+)$/.exec(id);
  return m ? Number(m[1]) : -1;
}
