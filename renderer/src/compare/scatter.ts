import { metricLabel, type SampleSpace } from '../../../main/contract/metric-catalog';
import type { StudyAggregate } from '../../../main/contract/study-aggregate';
import type { chartColors } from '../charts/echarts';
import { paletteColor } from '../charts/echarts';
import { showValue } from '../stores/runs-table';
import type { RunPoint } from './run-points';
import { formatNumber } from '../../../main/shared/number-format';
import { valueAxis } from '../charts/value-axis';

type ChartColors = ReturnType<typeof chartColors>;

/**
 * One metric against another across the runs of a comparison (each run a point) or its cells (each cell's mean at
 * the generation, with its n), coloured by a field (or the seed, or the cell).
 */
export interface ScatterPoint {
  id: string;
  x: number;
  y: number;
  /** The colour group's text. */
  group: string;
  /** What the tooltip names: the run id, or the cell's label. */
  label: string;
}

/** `seed` and `cell` besides the field paths. */
export function colourChoices(fieldPaths: string[]): string[] {
  return [...fieldPaths, 'seed', 'cell'];
}

export function scatterOfRuns(
  points: RunPoint[],
  x: string,
  y: string,
  colourBy: string,
  cellLabel: (k: string) => string,
): ScatterPoint[] {
  const out: ScatterPoint[] = [];
  for (const r of points) {
    const vx = r.values[x];
    const vy = r.values[y];
    if (vx === null || vx === undefined || vy === null || vy === undefined) continue;
    const group = colourBy === 'seed' ? String(r.seed) : colourBy === 'cell' ? cellLabel(r.cellKey) : showValue(r.fields[colourBy]);
    out.push({ id: r.runId, x: vx, y: vy, group, label: `${r.runId} (${cellLabel(r.cellKey)}, seed ${r.seed})` });
  }
  return out;
}

/** Each cell's mean of both metrics at the generation (the last, or a given one). */
export function scatterOfCells(
  aggregate: StudyAggregate,
  x: string,
  y: string,
  generation: 'last' | number,
  colourBy: string,
  cellLabel: (k: string) => string,
): ScatterPoint[] {
  const out: ScatterPoint[] = [];
  for (const cell of aggregate.cells) {
    const metrics = generation === 'last' ? cell.last.metrics : cell.generations.find((g) => g.generation === generation)?.metrics;
    const sx = metrics?.[x];
    const sy = metrics?.[y];
    if (!sx || !sy) continue;
    const group = colourBy === 'cell' || colourBy === 'seed' ? cellLabel(cell.cellKey) : showValue(cell.fields[colourBy]);
    out.push({ id: cell.cellKey, x: sx.mean, y: sy.mean, group, label: `${cellLabel(cell.cellKey)} (n = ${Math.min(sx.n, sy.n)})` });
  }
  return out;
}

export function scatterOption(o: {
  points: ScatterPoint[];
  x: string;
  y: string;
  colors: ChartColors;
  logX: boolean;
  logY: boolean;
  /** What the runs' samples are (the metrics' names). */
  samples?: SampleSpace;
}) {
  const c = o.colors;
  const groups = [...new Set(o.points.map((p) => p.group))];
  const axis = (metric: string, log: boolean, gap: number) =>
    valueAxis(c, log, `${metricLabel(metric, o.samples)}${log ? ' (log)' : ''}`, gap);
  return {
    animation: false,
    textStyle: { color: c.text, fontSize: 11 },
    grid: { left: 70, right: 20, top: 20, bottom: 80 },
    legend: { show: true, type: 'scroll' as const, bottom: 4, data: groups, textStyle: { color: c.text, fontSize: 11 } },
    tooltip: {
      renderMode: 'richText' as const,
      trigger: 'item' as const,
      backgroundColor: c.tooltipBg,
      borderColor: c.axis,
      textStyle: { color: c.text, fontSize: 12 },
      formatter: (p: { data?: { label?: string; value?: [number, number] } }) =>
        p.data?.value
          ? `${p.data.label}\n${metricLabel(o.x, o.samples)}: ${formatNumber(p.data.value[0])}\n${metricLabel(o.y, o.samples)}: ${formatNumber(p.data.value[1])}`
          : '',
    },
    xAxis: axis(o.x, o.logX, 28),
    yAxis: axis(o.y, o.logY, 52),
    series: groups.map((g, i) => ({
      name: g,
      type: 'scatter' as const,
      symbolSize: 8,
      itemStyle: { color: paletteColor(i) },
      data: o.points.filter((p) => p.group === g).map((p) => ({ value: [p.x, p.y], label: p.label, name: p.id })),
    })),
  };
}
