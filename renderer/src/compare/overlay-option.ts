import type { CellCurve } from './curves';
import { curveXLabels, type CurveX } from './curve-x';
import { formatNumber } from '../../../main/shared/number-format';
import { valueAxis } from '../charts/value-axis';
import { psiLabel } from '../../../main/shared/psi';

type ChartColors = { text: string; muted: string; axis: string; split: string; marker: string; tooltipBg: string };

export interface OverlayInput {
  title: string;
  curves: CellCurve[];
  labels: Record<string, string>;
  colors: Record<string, string>;
  hidden: string[];
  logX: boolean;
  /** What x counts (the points carry it); log x and the fit exist for the generation only. */
  xAxis: CurveX;
  logY: boolean;
  /** Draw the fitted power law (Tr(Σ)). */
  showFit: boolean;
  colorsOfTheme: ChartColors;
  /** The ECharts legend at the chart's foot (on for downloads; the view has one legend for every chart). */
  legend: boolean;
  /** Background of exported images. */
  background?: string;
}

/** The legend name of a cell in a chart: its label, with ψ of the cell mean and its window where the power law is fitted. */
export function seriesName(c: CellCurve, labels: Record<string, string>, showFit: boolean): string {
  const label = labels[c.cellKey] ?? c.cellKey;
  if (!showFit || !c.fit) return label;
  const psi = psiLabel('of-mean', c.fit.firstGeneration, c.fit.lastGeneration);
  return `${label} (${psi} = ${formatNumber(c.fit.psi)}${c.fit.stderr !== null ? ` ± ${formatNumber(c.fit.stderr)} s.e.` : ''})`;
}

/**
 * The ECharts option of an overlay chart: per cell the mean line, a ±sd band (a transparent lower line and the band
 * stacked on it) and, with `showFit`, the fitted C·t^(−ψ) dashed; every series of a cell shares its legend name so
 * one click toggles all of them. x is the generation, or t = generation + 1 on a log axis.
 */
export function overlayOption(o: OverlayInput) {
  const c = o.colorsOfTheme;
  const byGeneration = o.xAxis === 'generation';
  const logX = o.logX && byGeneration;
  const xOf = (p: { generation: number; x: number }) => (byGeneration ? (logX ? p.generation + 1 : p.generation) : p.x);
  const series: Record<string, unknown>[] = [];
  const names: string[] = [];
  const selected: Record<string, boolean> = {};
  for (const curve of o.curves) {
    if (curve.points.length === 0) continue;
    const name = seriesName(curve, o.labels, o.showFit);
    names.push(name);
    selected[name] = !o.hidden.includes(curve.cellKey);
    const color = o.colors[curve.cellKey] ?? '#888';
    const hasBand = curve.points.some((p) => p.sd !== null && p.sd > 0);
    if (hasBand) {
      const lower = curve.points.map((p) => {
        const lo = p.mean - (p.sd ?? 0);
        return o.logY ? Math.max(lo, Math.abs(p.mean) * 1e-3 || 1e-12) : lo;
      });
      series.push({
        id: `band-low-${curve.cellKey}`,
        name,
        type: 'line',
        data: curve.points.map((p, i) => [xOf(p), lower[i]]),
        stack: `band-${curve.cellKey}`,
        lineStyle: { opacity: 0 },
        symbol: 'none',
        silent: true,
        z: 1,
      });
      series.push({
        id: `band-${curve.cellKey}`,
        name,
        type: 'line',
        data: curve.points.map((p, i) => [xOf(p), p.mean + (p.sd ?? 0) - lower[i]]),
        stack: `band-${curve.cellKey}`,
        lineStyle: { opacity: 0 },
        areaStyle: { color, opacity: 0.18 },
        symbol: 'none',
        silent: true,
        z: 1,
      });
    }
    series.push({
      id: `mean-${curve.cellKey}`,
      name,
      type: 'line',
      data: curve.points.map((p) => [xOf(p), p.mean]),
      lineStyle: { width: 2, color },
      itemStyle: { color },
      symbol: 'circle',
      symbolSize: 5,
      showSymbol: curve.points.length <= 40,
      z: 3,
    });
    if (o.showFit && byGeneration && curve.fit) {
      const f = curve.fit;
      const steps = 24;
      const t0 = f.firstGeneration + 1;
      const t1 = f.lastGeneration + 1;
      const data = Array.from({ length: steps + 1 }, (_, i) => {
        const t = t0 * (t1 / t0) ** (i / steps);
        return [logX ? t : t - 1, Math.exp(f.intercept) * t ** -f.psi];
      });
      series.push({
        id: `fit-${curve.cellKey}`,
        name,
        type: 'line',
        data,
        lineStyle: { width: 1.5, color, type: 'dashed' },
        symbol: 'none',
        silent: true,
        z: 2,
      });
    }
  }
  return {
    animation: false,
    ...(o.background ? { backgroundColor: o.background } : {}),
    textStyle: { color: c.text, fontSize: 11 },
    title: { text: o.title, left: 'center', top: 4, textStyle: { color: c.text, fontSize: 13, fontWeight: 600 } },
    grid: { left: 62, right: 16, top: 32, bottom: o.legend ? 74 : 44 },
    legend: o.legend
      ? { show: true, type: 'scroll' as const, bottom: 4, data: names, selected, textStyle: { color: c.text, fontSize: 11 } }
      : { show: false, data: names, selected },
    tooltip: {
      renderMode: 'richText' as const,
      trigger: 'axis' as const,
      backgroundColor: c.tooltipBg,
      borderColor: c.axis,
      textStyle: { color: c.text, fontSize: 12 },
      formatter: (params: { seriesId?: string; seriesName?: string; value?: unknown; axisValue?: unknown }[]) => {
        const list = Array.isArray(params) ? params : [params];
        const means = list.filter((p) => p.seriesId?.startsWith('mean-'));
        if (means.length === 0) return '';
        const x = Number(means[0].axisValue);
        const head = byGeneration
          ? logX
            ? `t = ${x} (generation ${x - 1})`
            : `generation ${x}`
          : `${curveXLabels[o.xAxis]} ${formatNumber(x)}`;
        const lines = means.map((p) => {
          const key = p.seriesId!.slice('mean-'.length);
          const pt = o.curves.find((cc) => cc.cellKey === key)?.points.find((q) => xOf(q) === x);
          if (!pt) return '';
          return `${p.seriesName}: ${formatNumber(pt.mean)}${pt.sd !== null ? ` ± ${formatNumber(pt.sd)}` : ''} (${pt.n})`;
        });
        return [head, ...lines.filter(Boolean)].join('\n');
      },
    },
    xAxis: {
      ...valueAxis(c, logX, logX ? 't = generation + 1 (log)' : curveXLabels[o.xAxis], 26),
      minInterval: byGeneration && !logX ? 1 : undefined,
    },
    yAxis: valueAxis(c, o.logY, `${o.title}${o.logY ? ' (log)' : ''}`, 48),
    series,
  };
}
