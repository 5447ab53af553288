import fs from 'node:fs';
import path from 'node:path';
import type { StudyIndex } from '../../main/contract/study';
import { expandStudy, type StudyPlan } from '../../main/studies/expand-study';
import { StudyFolder } from '../../main/studies/study-folder';

/**
 * A finished study written straight to disk, as its coordinator and runs would have left it (study.json, index.json,
 * each run's config.json, status.json and metrics.jsonl), without running anything: for tests of what reads studies
 * (aggregates, views) at sizes a real run would take minutes or hours to reach. Metric values are a pure function of
 * the run's seed, cell and generation (`metricsOf`), so two writes give the same study.
 */
export interface SyntheticRun {
  seed: number;
  fields: Record<string, unknown>;
  index: number;
}

export function writeSyntheticStudy(
  workspace: string,
  spec: unknown,
  metricsOf: (run: SyntheticRun, generation: number) => Record<string, number>,
  opts: { unfinished?: (run: SyntheticRun) => boolean } = {},
): StudyPlan {
  const plan = expandStudy(spec);
  const folder = new StudyFolder(workspace, plan.studyId);
  folder.writeJson('study.json', plan.spec);
  const now = new Date(Date.UTC(2026, 0, 1)).toISOString();
  const index: StudyIndex = { studyId: plan.studyId, updatedAt: now, queue: 'embedded', runs: [] };
  plan.runs.forEach((r, i) => {
    const runId = folder.runId(r.key);
    const dir = path.join(workspace, runId);
    fs.mkdirSync(dir, { recursive: true });
    const run: SyntheticRun = { seed: r.seed, fields: r.fields, index: i };
    const generations = r.config.loop.generations;
    const unfinished = opts.unfinished?.(run) ?? false;
    const done = unfinished ? Math.floor(generations / 2) : generations;
    const lines: string[] = [];
    for (let g = 0; g < done; g++) lines.push(JSON.stringify({ generation: g, ...metricsOf(run, g) }));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(r.config));
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), lines.length > 0 ? `${lines.join('\n')}\n` : '');
    const state = unfinished ? 'interrupted' : 'completed';
    fs.writeFileSync(
      path.join(dir, 'status.json'),
      JSON.stringify({
        state,
        lastGeneration: done - 1,
        generations,
        startedAt: now,
        updatedAt: now,
        ...(unfinished ? { error: 'stopped (synthetic)' } : { finishedAt: now }),
      }),
    );
    index.runs.push({
      key: r.key,
      cellKey: r.cellKey,
      seed: r.seed,
      runId,
      fields: r.fields,
      state,
      lastGeneration: done - 1,
      generations,
      attempts: 1,
    });
  });
  folder.writeIndex(index);
  return plan;
}

/** A deterministic number in [0, 1) from integers (a few rounds of an integer hash). */
export function unitHash(...xs: number[]): number {
  let h = 2166136261;
  for (const x of xs) {
    h = Math.imul(h ^ (x | 0), 16777619);
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
  }
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}
