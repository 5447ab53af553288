import type { ChartOption } from '../../../main/contract/study-figure';
import { withAxisFormatters } from '../../../main/shared/study-figures';

/**
 * A study figure's ECharts option (plain JSON from the report) made ready to draw in the app: its value and log axes
 * print short labels (withAxisFormatters; log axes would print float artefacts otherwise) and its tooltip is drawn in
 * the canvas (an HTML tooltip needs inline styles, which the page's CSP forbids). The figure keeps its own white
 * background and colours: it is drawn as its paper draws it, on screen and in its exports alike.
 */
export function drawableFigureOption(option: ChartOption): ChartOption {
  const drawn = withAxisFormatters(option);
  const tooltip = drawn.tooltip;
  if (tooltip && typeof tooltip === 'object' && !Array.isArray(tooltip)) {
    drawn.tooltip = { ...(tooltip as Record<string, unknown>), renderMode: 'richText' };
  }
  return drawn;
}
