import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleSpaceOf } from '../../main/contract/datasets/dataset-kinds';
import { metricCatalog, metricLabel } from '../../main/contract/metric-catalog';
import type { StudyAggregate } from '../../main/contract/study-aggregate';
import { studyPresets } from '../../main/presets/studies';
import { aggregateStudy } from '../../main/shared/aggregate';
import { fieldText, formatStudyTable } from '../../main/shared/study-table';
import { expandStudy } from '../../main/studies/expand-study';

/**
 * Every table the app exports (a study's table.md / .csv / .tex, `studies.table`, `collapse-lab study table`, the
 * comparison view's copy and download: all main/shared/study-table.ts) works where it is pasted: the LaTeX compiles
 * with pdflatex and booktabs, the Markdown is a table of the right shape whose cells read back as the text, and the
 * CSV parses back to the fields and the numbers at full precision. The tables hold the cells of every built-in study
 * preset and every metric of the catalog (every label), with values from 1e-7 to 1e12, negative, whole and not.
 */

/** Values across the magnitudes formatNumber prints differently. */
const VALUES = [1.0834e-5, -0.25, 3, 12345.678, 2.5e9, 7e-8, 0.5, -1.5e-6, 1e12, 42.125];

function setPath(o: Record<string, unknown>, key: string, v: number): void {
  const [a, b] = key.split('.');
  if (b === undefined) o[a] = v;
  else o[a] = { ...((o[a] as Record<string, unknown>) ?? {}), [b]: v };
}

/** A study preset's cells (its own axes and values), two seeds each, every catalog metric at two generations. */
function presetAggregate(name: string, study: unknown): StudyAggregate {
  const plan = expandStudy(study, name);
  const cells = new Map<string, { cellKey: string; fields: Record<string, unknown>; seeds: number[] }>();
  for (const r of plan.runs) {
    const c = cells.get(r.cellKey) ?? { cellKey: r.cellKey, fields: r.fields, seeds: [] };
    c.seeds.push(r.seed);
    cells.set(r.cellKey, c);
  }
  return aggregateStudy({
    studyId: name,
    fieldPaths: plan.fieldPaths,
    // the raw-data metrics named for the preset's samples (pixels, or data for the Gaussian toys)
    samples: sampleSpaceOf(plan.runs.map((r) => r.config.dataset)),
    cells: [...cells.values()].map((c, ci) => ({
      cellKey: c.cellKey,
      fields: c.fields,
      runs: c.seeds.slice(0, 2).map((seed, si) => ({
        key: `${c.cellKey}-${seed}`,
        seed,
        lines: [0, 1].map((generation) => {
          const line: Record<string, unknown> = { generation };
          metricCatalog.forEach((m, mi) => setPath(line, m.key, VALUES[(mi + ci + si + generation) % VALUES.length] * (1 + si / 7)));
          return line;
        }),
      })),
    })),
  });
}

const tables = studyPresets.map((p) => ({ name: p.name, aggregate: presetAggregate(p.name, p.study) }));
const allMetrics = metricCatalog.map((m) => m.key);

/** Splits a Markdown table line into its cells at the pipes that are not escaped. */
function markdownCells(line: string): string[] {
  expect(line.startsWith('| ') && line.endsWith(' |')).toBe(true);
  return line
    .slice(2, -2)
    .split(/(?<!\\) \| /)
    .map((c) => c.replace(/\\(.)/g, '$1'));
}

/** RFC 4180 CSV to rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (quoted || (c !== '"' && c !== ',' && c !== '\n')) field += c;
    else if (c === '"') quoted = true;
    else {
      row.push(field);
      field = '';
      if (c === '\n') {
        rows.push(row);
        row = [];
      }
    }
  }
  return rows;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-latex-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('table exports', () => {
  it('every LaTeX table compiles with pdflatex and booktabs, with no missing character', () => {
    const body = tables.flatMap(({ name, aggregate }) => [
      `% ${name}: every metric, last generation`,
      formatStudyTable(aggregate, { format: 'latex', metrics: allMetrics }),
      `% ${name}: default metrics, generation 0`,
      formatStudyTable(aggregate, { format: 'latex', generation: 0 }),
    ]);
    const doc = ['\\documentclass{article}', '\\usepackage{booktabs}', '\\begin{document}', ...body, '\\end{document}', ''].join('\n');
    fs.writeFileSync(path.join(work, 'tables.tex'), doc);
    let log = '';
    try {
      execFileSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'tables.tex'], { cwd: work, stdio: 'pipe', timeout: 60_000 });
      log = fs.readFileSync(path.join(work, 'tables.log'), 'latin1');
    } catch (e) {
      log = fs.existsSync(path.join(work, 'tables.log')) ? fs.readFileSync(path.join(work, 'tables.log'), 'latin1') : String(e);
      const error = log.split('\n').findIndex((l) => l.startsWith('!'));
      throw new Error(
        `pdflatex failed:\n${log
          .split('\n')
          .slice(Math.max(0, error), error + 8)
          .join('\n')}`,
      );
    }
    expect(log).not.toMatch(/Missing character/);
    expect(fs.existsSync(path.join(work, 'tables.pdf'))).toBe(true);
  });

  it('every Markdown table has one cell per column in each row, and its cells read back as the text', () => {
    for (const { aggregate } of tables) {
      const lines = formatStudyTable(aggregate, { format: 'md', metrics: allMetrics }).trimEnd().split('\n');
      const header = markdownCells(lines[0]);
      expect(header).toEqual([...aggregate.fieldPaths, ...allMetrics.map((m) => metricLabel(m, aggregate.samples))]);
      for (const line of lines.slice(1)) expect(markdownCells(line)).toHaveLength(header.length);
      lines.slice(2).forEach((line, i) => {
        const cells = markdownCells(line);
        aggregate.fieldPaths.forEach((p, j) => expect(cells[j]).toBe(fieldText(aggregate.cells[i].fields[p])));
      });
    }
  });

  it('every CSV table parses back to the fields and the statistics at full precision', () => {
    for (const { aggregate } of tables) {
      const rows = parseCsv(formatStudyTable(aggregate, { format: 'csv', metrics: allMetrics }));
      expect(rows[0]).toEqual([...aggregate.fieldPaths, ...allMetrics.flatMap((m) => [`${m}_mean`, `${m}_sd`, `${m}_n`])]);
      expect(rows).toHaveLength(aggregate.cells.length + 1);
      aggregate.cells.forEach((cell, i) => {
        const row = rows[i + 1];
        aggregate.fieldPaths.forEach((p, j) => {
          const v = cell.fields[p];
          expect(typeof v === 'string' ? row[j] : JSON.parse(row[j])).toEqual(v);
        });
        allMetrics.forEach((m, j) => {
          const s = cell.last.metrics[m];
          const [mean, sd, n] = row.slice(aggregate.fieldPaths.length + 3 * j, aggregate.fieldPaths.length + 3 * j + 3);
          expect(Number(mean)).toBe(s.mean);
          expect(sd === '' ? null : Number(sd)).toBe(s.sd);
          expect(Number(n)).toBe(s.n);
        });
      });
    }
  });
});
