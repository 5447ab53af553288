import { formatNumber } from '../../../main/shared/number-format';
import type { chartColors } from './echarts';

type ChartColors = ReturnType<typeof chartColors>;

/**
 * A value axis of the compare charts: linear or log, its name in the middle of its side `gap` pixels off, scaled to
 * the data, its labels in the app's number format, in the theme's colours.
 */
export function valueAxis(c: Pick<ChartColors, 'muted' | 'axis' | 'split'>, log: boolean, name: string, gap: number) {
  return {
    type: log ? ('log' as const) : ('value' as const),
    name,
    nameLocation: 'middle' as const,
    nameGap: gap,
    nameTextStyle: { color: c.muted, fontSize: 11 },
    scale: true,
    axisLine: { lineStyle: { color: c.axis } },
    axisLabel: { color: c.muted, formatter: (v: number) => formatNumber(v) },
    splitLine: { lineStyle: { color: c.split } },
  };
}
