import { use } from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import { BarChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';

/** The parts of ECharts the app uses (tree-shaken), registered once; SVG for the charts' SVG downloads. */
use([
  CanvasRenderer,
  SVGRenderer,
  BarChart,
  LineChart,
  ParallelChart,
  ScatterChart,
  ParallelComponent,
  VisualMapComponent,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
]);

/** Chart colours that follow the theme. */
export function chartColors(theme: 'light' | 'dark') {
  return theme === 'dark'
    ? { text: '#c9d1dc', muted: '#8a94a3', axis: '#3a4050', split: '#2a2f3a', marker: '#ff8a3d', tooltipBg: '#232731' }
    : { text: '#2b323c', muted: '#6b7685', axis: '#c4cad3', split: '#e8ebef', marker: '#e8590c', tooltipBg: '#ffffff' };
}

/** A categorical palette readable on both themes (Tableau 10), for classes and series. */
export const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function paletteColor(i: number): string {
  if (i < palette.length) return palette[i];
  // beyond ten classes: spread hues evenly
  return `hsl(${(i * 137.508) % 360}deg 55% 55%)`;
}
