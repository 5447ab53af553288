import { init, type EChartsCoreOption } from 'echarts/core';
import { downloadText, downloadUrl } from '../util/download';

/**
 * Exports of a chart as files: PNG (drawn off screen on a canvas at twice the size), SVG (ECharts' server-side SVG
 * renderer) and its data as CSV. The option is drawn at the given pixel size, independent of the chart on screen.
 * Used by every chart with download buttons (ChartExportButtons.vue).
 */

/** What a chart exports: its file name without extension, the option to draw (with legend), its size and its data. */
export interface ChartExport {
  name: string;
  option: () => object;
  width: number;
  height: number;
  csv: () => string;
}

export type ChartExportKind = 'png' | 'svg' | 'csv';

/** Returns the PNG of an option as a data URL (pixelRatio 2: a 720 px wide chart gives a 1,440 px wide picture). */
export function chartPngUrl(option: object, width: number, height: number, pixelRatio = 2): string {
  const el = document.createElement('div');
  el.style.cssText = `position:fixed;left:-10000px;top:0;width:${width}px;height:${height}px`;
  document.body.appendChild(el);
  const inst = init(el, null, { renderer: 'canvas', width, height });
  try {
    inst.setOption(option as EChartsCoreOption);
    return inst.getDataURL({ type: 'png', pixelRatio });
  } finally {
    inst.dispose();
    el.remove();
  }
}

/** Returns the SVG text of an option. */
export function chartSvgText(option: object, width: number, height: number): string {
  const inst = init(null as unknown as HTMLElement, null, { renderer: 'svg', ssr: true, width, height });
  try {
    inst.setOption(option as EChartsCoreOption);
    return inst.renderToSVGString();
  } finally {
    inst.dispose();
  }
}

/** Downloads a chart as `<name>.png`, `<name>.svg` or its data as `<name>.csv`. */
export function exportChart(kind: ChartExportKind, chart: ChartExport): void {
  if (kind === 'png') downloadUrl(`${chart.name}.png`, chartPngUrl(chart.option(), chart.width, chart.height));
  else if (kind === 'svg') downloadText(`${chart.name}.svg`, chartSvgText(chart.option(), chart.width, chart.height), 'image/svg+xml');
  else downloadText(`${chart.name}.csv`, chart.csv(), 'text/csv');
}

/** The background of a panel in the current theme (exported pictures are drawn on it). */
export function panelBackground(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--panel').trim() || '#ffffff';
}
