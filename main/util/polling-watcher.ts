/**
 * A watcher that looks at something every `intervalMs` while started: the first look at once on start, the next ones
 * on an unref'd timer (it never keeps the process alive); stopping forgets what the looks remembered. The external
 * run and study watchers are two.
 */
export abstract class PollingWatcher {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly intervalMs: number) {}

  /** Start looking (a no-op when started already). */
  start(): void {
    if (this.timer) return;
    this.poll();
    this.timer = setInterval(() => this.poll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.forget();
  }

  /** One look (the timer calls it; tests call it directly). */
  abstract poll(): void;

  /** Drop what the looks remembered, so that a restart looks afresh. */
  protected abstract forget(): void;
}
