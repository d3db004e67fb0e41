import { AppError, ErrorCode } from './errors.js';

/** Fixed-window counter per key, in process memory (for abuse limits such as sign-ups). */
export class WindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one hit for `key`, or throws THROTTLED with the time to wait. */
  hit(key: string): void {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 100_000) this.windows.clear();
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= this.limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
      throw new AppError(
        ErrorCode.THROTTLED,
        `Too many requests from this address; retry in ${retryAfterSeconds} s.`,
        {
          limit: this.limit,
          used: w.count,
          retryAfterSeconds,
          resetAt: new Date(w.start + this.windowMs).toISOString(),
        },
      );
    }
    w.count += 1;
  }
}
