import { onBeforeUnmount, watch, type WatchSource } from 'vue';
import { debounce } from './debounce';

/**
 * In a component's setup: call `fn` once `ms` after the last of a burst of changes of `source` (a live preview as the
 * user types); `immediate` also schedules it at once. A call still pending when the component unmounts is dropped.
 */
export function watchDebounced(source: WatchSource<unknown>, fn: () => void, ms: number, options: { immediate?: boolean } = {}): void {
  const run = debounce(fn, ms);
  watch(source, () => run(), options);
  onBeforeUnmount(() => run.cancel());
}
