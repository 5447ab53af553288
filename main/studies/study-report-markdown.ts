import type { StudyReport } from '../contract/study-report';
import { metricLabel } from '../contract/metric-catalog';
import { formatNumber } from '../shared/number-format';

/**
 * The short Markdown report of a study (report.md beside its figures and tables): the claim, the verdict with its
 * checks, the paper's numbers beside ours, the figures linked, the tables, the wall time and the sizes.
 */

/** The files written for one figure, relative to the report folder. */
export interface ReportFigureFiles {
  svg: string;
  png: string | null;
  csv: string;
}

export interface ReportFiles {
  /** One per report figure, in the report's order. */
  figures: ReportFigureFiles[];
  /** The study's table as Markdown (inlined) and the names of its CSV and LaTeX files. */
  tableMarkdown: string;
  tables: { csv: string; latex: string; md: string };
  /** When the report was written (ISO). */
  writtenAt: string;
}

const VERDICT_WORDS: Record<string, string> = {
  yes: 'reproduced',
  partly: 'partly reproduced',
  inconclusive: 'inconclusive (too few seeds)',
  no: 'not reproduced',
  pending: 'pending (runs unfinished or data missing)',
};

/** Markdown text of a table cell: pipes escaped, line breaks as spaces. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function value(v: number | string | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return typeof v === 'number' ? formatNumber(v) : v;
}

/** A duration in words: `42 s`, `3 min 12 s`, `2 h 5 min`. */
export function durationText(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

/** Returns report.md for a report and the files written beside it. */
export function studyReportMarkdown(report: StudyReport, files: ReportFiles): string {
  const out: string[] = [];
  const p = report.progress;
  out.push(`# ${report.name}`, '');
  out.push(
    `Study \`${report.studyId}\`${report.preset ? `, from the built-in study \`${report.preset}\`` : ''}: ${report.state} ` +
      `(${p.completed} of ${p.total} runs completed). Report written ${files.writtenAt}.`,
    '',
  );
  if (report.description) out.push(report.description, '');

  if (report.claim) {
    const c = report.claim;
    out.push('## Claim', '', `**Paper:** ${c.paper}`, '', `> ${c.statement.replace(/\n/g, '\n> ')}`, '');
    if (c.paperSetting) out.push(`**The paper's own setting:** ${c.paperSetting}`, '');
  }

  if (report.verdict) {
    const v = report.verdict;
    out.push(`## Verdict: ${VERDICT_WORDS[v.reproduced] ?? v.reproduced}`, '', v.summary, '');
    if (v.checks.length > 0) {
      out.push('| Check | Quantity | Ours | Reference | Against | Tolerance | Result |', '| --- | --- | ---: | --- | --- | --- | :---: |');
      for (const ch of v.checks) {
        const result = ch.ours === null ? '…' : ch.pass ? 'pass' : ch.outcome === 'inconclusive' ? 'inconclusive' : 'fail';
        const tolerance = ch.power ? `${ch.tolerance}; ${ch.power.text}` : ch.tolerance;
        out.push(
          `| ${cell(ch.label)} | ${cell(ch.quantity)}${ch.scale === 'log' ? ' (log scale)' : ''} | ${value(ch.ours)} | ` +
            `${cell(`${ch.reference.kind}: ${ch.reference.text}`)} | ${cell(value(ch.against))} | ${cell(tolerance)} | ${result} |`,
        );
      }
      out.push('');
    }
  } else {
    out.push('## Verdict', '', 'This study was not started from a built-in reproduction: it has no claim to check.', '');
  }

  if (report.paperVsOurs.length > 0) {
    out.push(
      "## The paper's numbers beside ours",
      '',
      '| Quantity | Where | Paper | Ours (mean ± sd (n)) | Ours from |',
      '| --- | --- | --- | ---: | --- |',
    );
    for (const r of report.paperVsOurs) {
      out.push(`| ${cell(r.quantity)} | ${cell(r.where)} | ${cell(value(r.paper))} | ${cell(r.oursText)} | ${cell(r.source)} |`);
    }
    out.push('');
  }

  if (report.figures.length > 0) {
    out.push('## Figures', '');
    report.figures.forEach((f, i) => {
      const fl = files.figures[i];
      out.push(`### ${f.title}`, '');
      if (f.missing) out.push(`*No data: ${f.missing}.*`, '');
      if (fl.png) out.push(`![${f.title}](${encodeURI(fl.png)})`, '');
      out.push(`[SVG](${encodeURI(fl.svg)}) · [data (CSV)](${encodeURI(fl.csv)})`, '');
    });
  }

  out.push(
    '## Table',
    '',
    'One row per cell, mean ± sd (n) over seeds at each run’s last generation; the best value of a column in bold.',
    '',
  );
  out.push(files.tableMarkdown.trimEnd(), '');
  out.push(
    `Also as [CSV](${encodeURI(files.tables.csv)}), [LaTeX](${encodeURI(files.tables.latex)}) and [Markdown](${encodeURI(files.tables.md)}).`,
    '',
  );

  const t = report.timing;
  const s = report.sizes;
  out.push('## Wall time and sizes', '');
  out.push(
    t.wallSeconds !== null
      ? `- Wall time: ${durationText(t.wallSeconds)} (first run started ${t.startedAt}, last finished ${t.finishedAt}; pauses between a cancel and a resume included).`
      : '- Wall time: — (no run has finished).',
  );
  out.push(`- Compute: ${durationText(t.computeSeconds)} summed over the completed runs' generations.`);
  out.push(
    `- Runs: ${s.runs} (${s.completedRuns} completed) = ${s.cells} cell${s.cells === 1 ? '' : 's'} × ${s.seeds.length} seed${s.seeds.length === 1 ? '' : 's'} ` +
      `(${s.seeds.join(', ')}), ${s.generations} generations each${s.fieldPaths.length > 0 ? `; axes ${s.fieldPaths.map((f) => `\`${f}\``).join(' × ')}` : ''}.`,
  );
  const per = Object.entries(s.perGeneration);
  if (per.length > 0)
    out.push(
      `- Per generation (mean over the runs' last lines): ${per.map(([k, v]) => `${metricLabel(k)} ${formatNumber(v)}`).join(', ')}.`,
    );
  out.push('');
  return out.join('\n');
}
