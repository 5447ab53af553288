/**
 * A look repeated every `intervalMs` while started: the first at once on start, the next ones on an unref'd timer (it
 * never keeps the process alive). What the external run and study watchers poll with.
 */
export class PollTimer {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly look: () => void,
    private readonly intervalMs: number,
  ) {}

  /** Start polling (a no-op when started already). */
  start(): void {
    if (this.timer) return;
    this.look();
    this.timer = setInterval(this.look, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
