import type { z } from 'zod';
import type { studyPlanDto } from '../contract/api';
import type { BackendRequest } from '../contract/backend-request';
import { readMachineSpeed } from '../backend/machine-speed';
import { defaultParallelism } from '../studies/embedded-queue';
import { estimateRunFiles, type StudyLimitOverrides } from '../studies/study-limits';
import type { StudyManager } from '../studies/study-manager';
import { presetEstimate } from './preset-estimate';

export type StudyPlanSummary = z.infer<typeof studyPlanDto> & {
  here: NonNullable<z.infer<typeof studyPlanDto>['here']>;
  storage: string[];
  pending: number;
};

/**
 * What a study would run, without running it: its runs, cells and seeds, those already completed, the time of the rest
 * on this machine at `parallel` runs at once (its measured speed on `backend`), and the files and bytes its runs will
 * hold. The one summary behind the API's `studies.plan` and the CLI's `study plan`.
 */
export function studyPlanSummary(
  studies: StudyManager,
  input: unknown,
  opts: { source?: string; limits?: StudyLimitOverrides; parallel?: number; backend: BackendRequest },
): StudyPlanSummary {
  const { plan, completed, pending } = studies.plan(input, opts.source, opts.limits ?? {});
  const files = plan.runs.map((r) => estimateRunFiles(r.config));
  const parallel = opts.parallel ?? defaultParallelism();
  const here = presetEstimate(
    pending.map((r) => r.config),
    readMachineSpeed(studies.workspace),
    opts.backend,
    parallel,
  );
  return {
    studyId: plan.studyId,
    runs: plan.runs.length,
    cells: new Set(plan.runs.map((r) => r.cellKey)).size,
    seeds: plan.seeds,
    fieldPaths: plan.fieldPaths,
    completed,
    pending: pending.length,
    parallel,
    estimatedSeconds: here.seconds,
    here,
    filesPerRun: Math.max(0, ...files.map((f) => f.files)),
    estimatedBytes: files.reduce((a, f) => a + f.bytes, 0),
    storage: [...new Set(plan.runs.map((r) => r.config.storage ?? 'all'))],
  };
}
