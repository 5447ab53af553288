import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RunDetailDto } from '../../../main/contract/api';
import { useClient } from '../api/client';

/**
 * Run details (config, metrics, files) fetched with `runs.get` and kept by run id, re-read when the run's summary
 * says it changed (updatedAt). The runs list groups by config fields through it; the comparison and the side-by-side
 * galleries read their runs from it.
 */
export const useRunDetailsStore = defineStore('runDetails', () => {
  const client = useClient();
  const details = ref<Record<string, RunDetailDto>>({});
  const errors = ref<Record<string, string>>({});
  const pending = new Map<string, Promise<RunDetailDto | null>>();

  /** The detail of a run, from the cache unless `updatedAt` (the summary's) is newer than the cached one's. */
  function get(runId: string, updatedAt?: string, force = false): Promise<RunDetailDto | null> {
    const cached = details.value[runId];
    if (cached && !force && (updatedAt === undefined || cached.updatedAt === updatedAt)) return Promise.resolve(cached);
    const inflight = pending.get(runId);
    if (inflight) return inflight;
    const p = client
      .call('runs.get', { runId })
      .then((d) => {
        details.value[runId] = d;
        delete errors.value[runId];
        return d;
      })
      .catch((e: Error) => {
        errors.value[runId] = e.message;
        return null;
      })
      .finally(() => pending.delete(runId));
    pending.set(runId, p);
    return p;
  }

  /** Several runs, at most 4 requests at once; the details in the order asked (null for a run that failed). */
  async function getMany(runs: { id: string; updatedAt?: string }[], force = false): Promise<(RunDetailDto | null)[]> {
    const out: (RunDetailDto | null)[] = new Array(runs.length).fill(null);
    let next = 0;
    const worker = async () => {
      while (next < runs.length) {
        const i = next++;
        out[i] = await get(runs[i].id, runs[i].updatedAt, force);
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, runs.length) }, worker));
    return out;
  }

  function forget(runId: string): void {
    delete details.value[runId];
  }

  return { details, errors, get, getMany, forget };
});
