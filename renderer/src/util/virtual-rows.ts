import { computed, onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** The rows a list draws: indices start … end−1, and the heights of the spacers above and below them. */
export interface VirtualRange {
  start: number;
  end: number;
  padTop: number;
  padBottom: number;
}

/**
 * Which of `count` rows of `rowHeight` pixels a viewport of `viewportHeight` pixels scrolled to `scrollTop` shows,
 * plus `overscan` rows on each side; the rows above and below are spacers of the same total height.
 */
export function visibleRange(count: number, rowHeight: number, scrollTop: number, viewportHeight: number, overscan: number): VirtualRange {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight);
  const start = Math.max(0, Math.min(count, first - overscan));
  const end = Math.max(start, Math.min(count, last + overscan));
  return { start, end, padTop: start * rowHeight, padBottom: (count - end) * rowHeight };
}

/**
 * A virtualised list: bind `container` to the scrolling element, draw rows `range.start … range.end − 1` between two
 * spacers of `range.padTop` and `range.padBottom` pixels. Rows have one fixed height; the viewport's height follows
 * the container's size. Before the container is measured, `fallbackHeight` pixels are assumed.
 */
export function useVirtualRows(count: () => number, rowHeight: number, overscan = 10, fallbackHeight = 800) {
  const container: Ref<HTMLElement | null> = ref(null);
  const scrollTop = ref(0);
  const viewportHeight = ref(fallbackHeight);
  let observer: ResizeObserver | null = null;

  function measure() {
    const el = container.value;
    if (!el) return;
    scrollTop.value = el.scrollTop;
    if (el.clientHeight > 0) viewportHeight.value = el.clientHeight;
  }

  onMounted(() => {
    const el = container.value;
    if (!el) return;
    el.addEventListener('scroll', measure, { passive: true });
    if (typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(measure);
      observer.observe(el);
    }
    measure();
  });
  onBeforeUnmount(() => {
    container.value?.removeEventListener('scroll', measure);
    observer?.disconnect();
  });

  const range = computed(() => visibleRange(count(), rowHeight, scrollTop.value, viewportHeight.value, overscan));
  return { container, range, measure };
}
