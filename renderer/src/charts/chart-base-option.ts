import type { chartColors } from './echarts';

type ChartColors = ReturnType<typeof chartColors>;

/**
 * What every chart of the app shares: no animation, the theme's text colour, the plot's margins, and an axis tooltip
 * drawn in the canvas (an HTML tooltip would need inline styles, which the CSP forbids). `tooltip` adds to it.
 */
export function chartBaseOption<T extends object = object>(
  c: ChartColors,
  grid: { left: number; right: number; top: number; bottom: number },
  tooltip?: T,
) {
  return {
    animation: false,
    textStyle: { color: c.text, fontSize: 11 },
    grid,
    tooltip: {
      renderMode: 'richText' as const,
      trigger: 'axis' as const,
      backgroundColor: c.tooltipBg,
      borderColor: c.axis,
      textStyle: { color: c.text, fontSize: 12 },
      ...tooltip,
    },
  };
}
