/**
 * Pan a scrolling box by dragging it (pointer events, any button but the right one), as image viewers do; a click
 * without a drag stays a click. Returns the handler to put on the box's pointerdown.
 */
export function dragToPan(e: PointerEvent): void {
  const box = e.currentTarget as HTMLElement | null;
  if (!box || e.button === 2) return;
  const startX = e.clientX;
  const startY = e.clientY;
  const left = box.scrollLeft;
  const top = box.scrollTop;
  let moved = false;
  const move = (m: PointerEvent) => {
    const dx = m.clientX - startX;
    const dy = m.clientY - startY;
    if (!moved && Math.abs(dx) + Math.abs(dy) < 3) return;
    moved = true;
    box.classList.add('panning');
    box.scrollLeft = left - dx;
    box.scrollTop = top - dy;
  };
  const up = () => {
    box.classList.remove('panning');
    window.removeEventListener('pointermove', move);
    window.removeEventListener('pointerup', up);
  };
  window.addEventListener('pointermove', move);
  window.addEventListener('pointerup', up);
  e.preventDefault();
}

/** Show an element full screen, or leave full screen when it already is. */
export async function toggleFullscreen(el: HTMLElement | null): Promise<void> {
  if (!el) return;
  try {
    if (document.fullscreenElement) await document.exitFullscreen();
    else await el.requestFullscreen();
  } catch {
    // not allowed here (an iframe, a test browser): nothing to do
  }
}
