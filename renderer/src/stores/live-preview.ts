import { ref, type Ref } from 'vue';

/** A request that answers out of order must not overwrite a newer one: each keeps its ticket. */
export function latest() {
  let ticket = 0;
  return {
    next: () => ++ticket,
    isCurrent: (t: number) => t === ticket,
  };
}

/**
 * A preview the engine makes as the user edits: its last answer, the error of the last request, and whether one is
 * under way; only the newest request's answer counts. `clear` empties it (nothing to preview while fields are invalid).
 */
export function livePreview<T>() {
  const answer = ref<T | null>(null) as Ref<T | null>;
  const error = ref('');
  const loading = ref(false);
  const ticket = latest();

  function clear(): void {
    answer.value = null;
    error.value = '';
  }

  async function load(request: () => Promise<T>): Promise<void> {
    const t = ticket.next();
    loading.value = true;
    try {
      const r = await request();
      if (!ticket.isCurrent(t)) return;
      answer.value = r;
      error.value = '';
    } catch (e) {
      if (!ticket.isCurrent(t)) return;
      answer.value = null;
      error.value = (e as Error).message;
    } finally {
      if (ticket.isCurrent(t)) loading.value = false;
    }
  }

  return { answer, error, loading, clear, load };
}
