// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { defineComponent, h, nextTick } from 'vue';
import { describe, expect, it } from 'vitest';
import { useVirtualRows, visibleRange } from '../../renderer/src/util/virtual-rows';

/** A list of `count` rows of 20 px in a 200 px viewport (happy-dom has no layout: the fallback height is the viewport). */
const List = defineComponent({
  props: { count: { type: Number, required: true } },
  setup(props) {
    const { container, range } = useVirtualRows(() => props.count, 20, 5, 200);
    return () =>
      h('div', { ref: container, class: 'scroller', style: 'height: 200px; overflow: auto' }, [
        h('div', { class: 'pad-top', style: { height: `${range.value.padTop}px` } }),
        ...Array.from({ length: range.value.end - range.value.start }, (_, i) => h('div', { class: 'row' }, String(range.value.start + i))),
        h('div', { class: 'pad-bottom', style: { height: `${range.value.padBottom}px` } }),
      ]);
  },
});

describe('virtualised rows', () => {
  it('draws the rows in view plus the overscan, and spacers for the rest', async () => {
    const w = mount(List, { props: { count: 7500 }, attachTo: document.body });
    const rows = () => w.findAll('.row').map((r) => Number(r.text()));
    // at the top: rows 0–9 in view, 5 below
    expect(rows()).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(w.find('.pad-bottom').attributes('style')).toContain(`height: ${(7500 - 15) * 20}px`);

    // scrolled to row 1000: 5 above, 10 in view, 5 below
    const el = w.find('.scroller').element as HTMLElement;
    el.scrollTop = 20_000;
    el.dispatchEvent(new Event('scroll'));
    await nextTick();
    expect(rows()).toEqual(Array.from({ length: 20 }, (_, i) => 995 + i));
    expect(w.find('.pad-top').attributes('style')).toContain(`height: ${995 * 20}px`);

    // at the end: the last row is drawn and no spacer remains below
    el.scrollTop = 7500 * 20 - 200;
    el.dispatchEvent(new Event('scroll'));
    await nextTick();
    expect(rows().at(-1)).toBe(7499);
    expect(rows()).toHaveLength(15);
    expect(w.find('.pad-bottom').attributes('style')).toContain('height: 0px');
    w.unmount();
  });

  it('clamps to short lists and scroll positions past the end', () => {
    expect(visibleRange(4, 58, 0, 800, 10)).toEqual({ start: 0, end: 4, padTop: 0, padBottom: 0 });
    expect(visibleRange(0, 58, 500, 800, 10)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
    expect(visibleRange(100, 10, 5000, 100, 3)).toEqual({ start: 100, end: 100, padTop: 1000, padBottom: 0 });
  });
});
