import type { StudyFigureSpec } from './paper-claim';

/**
 * The types of a study's figure as the `studies.report` operation sends it: an ECharts option as plain JSON with its
 * data. The builders are in main/shared/study-figures.ts.
 */

/** An ECharts option as plain JSON. */
export type ChartOption = Record<string, unknown>;

/** A figure's data: a header and rows (numbers at full precision; empty cells as null). */
export interface FigureCsv {
  header: string[];
  rows: (string | number | null)[][];
}

/** One figure of a study: its spec, its ECharts option, its data, the size it is drawn at, and why it is empty if it is. */
export interface StudyFigure {
  spec: StudyFigureSpec;
  title: string;
  option: ChartOption;
  csv: FigureCsv;
  /** Pixel size for export (the option itself fits any size). */
  width: number;
  height: number;
  /** Set when the aggregate lacks the figure's data: what is missing (the option then shows it as its subtitle). */
  missing?: string;
}
