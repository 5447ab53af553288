import fs from 'node:fs';
import { parsePsiMetric } from '../shared/psi';
import path from 'node:path';
import type { StudyReport } from '../contract/study-report';
import { figureCsvText } from '../shared/study-figures';
import { renderFigureSvg, svgToPng } from './render-figure';
import type { StudyManager } from './study-manager';
import { collectStudyReport } from './study-report';
import { studyReportMarkdown, type ReportFigureFiles } from './study-report-markdown';
import { DEFAULT_TABLE_METRICS, formatStudyTable } from '../shared/study-table';

/**
 * `collapse-lab study report ID --out DIR`: a study's report as files in DIR: each figure as SVG, PNG and CSV, the
 * study's table as Markdown, CSV and LaTeX, report.json (the whole report, the `studies.report` answer) and report.md.
 */

export interface WrittenStudyReport {
  dir: string;
  /** The files written, relative to `dir`, in the order written. */
  files: string[];
  /** What could not be done fully (a PNG without text for want of a font). */
  warnings: string[];
  report: StudyReport;
}

/** A file-name fragment of a title: lower-case letters and digits joined by "-", at most 48 characters. */
export function slugOf(text: string): string {
  const s = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return s || 'figure';
}

/** Create `dir` if needed and check that files can be written in it; the error names the folder and why. */
export function prepareReportDir(dir: string): void {
  try {
    if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new Error('it is a file, not a folder');
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied' : err.code === 'EROFS' ? 'read-only file system' : err.message;
    throw new Error(`cannot write the report to ${dir}: ${why}`);
  }
}

/** Writes the report of a study into `outDir` (created if needed); refuses a missing study or a folder it cannot write. */
export async function writeStudyReport(manager: StudyManager, studyId: string, outDir: string): Promise<WrittenStudyReport> {
  const dir = path.resolve(outDir);
  manager.folder(studyId); // a missing study is refused before anything is written
  prepareReportDir(dir);
  const { report, aggregate } = collectStudyReport(manager, studyId);
  const files: string[] = [];
  const warnings: string[] = [];
  const write = (name: string, data: string | Uint8Array) => {
    fs.writeFileSync(path.join(dir, name), data);
    files.push(name);
  };

  const figureFiles: ReportFigureFiles[] = [];
  for (const [i, figure] of report.figures.entries()) {
    const stem = `fig-${String(i + 1).padStart(2, '0')}-${slugOf(figure.title)}`;
    const svg = await renderFigureSvg(figure);
    write(`${stem}.svg`, svg);
    const { png, warning } = await svgToPng(svg);
    write(`${stem}.png`, png);
    if (warning && !warnings.includes(warning)) warnings.push(warning);
    write(`${stem}.csv`, figureCsvText(figure.csv));
    figureFiles.push({ svg: `${stem}.svg`, png: `${stem}.png`, csv: `${stem}.csv` });
  }

  // the table: the metrics the study chose to compute, the usual ones and the ones the paper's numbers are compared on,
  // when the aggregate has them
  const chosen = manager.folder(studyId).readSpec().metrics ?? [];
  const claimed = (report.claim?.figures ?? []).map((f) => f.ours?.metric).filter((m): m is string => !!m && parsePsiMetric(m) === null);
  const metrics = [...new Set([...chosen, ...DEFAULT_TABLE_METRICS, ...claimed])].filter((m) => aggregate.metrics.includes(m));
  const tableMarkdown = formatStudyTable(aggregate, { metrics, format: 'md' });
  const tables = { md: 'table.md', csv: 'table.csv', latex: 'table.tex' };
  write(tables.md, tableMarkdown);
  write(tables.csv, formatStudyTable(aggregate, { metrics, format: 'csv' }));
  write(tables.latex, formatStudyTable(aggregate, { metrics, format: 'latex' }));

  write('report.json', `${JSON.stringify(report, null, 2)}\n`);
  write('report.md', studyReportMarkdown(report, { figures: figureFiles, tableMarkdown, tables, writtenAt: new Date().toISOString() }));
  return { dir, files, warnings, report };
}
