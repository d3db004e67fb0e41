import { topic, type PubSub } from '../../platform/pubsub/pubsub.js';

/** Something in the organisation's usage changed; subscribers read the numbers afresh. */
export const quotaTopic = topic<{ changedAt: number }>('quota');

/** At most one quota event per organisation per window (CONTRACT §6: "a few per second"). */
export const QUOTA_EVENT_WINDOW_MS = 250;

/**
 * Coalesces usage changes into quota events: the first change after a quiet window is
 * published at once, later ones in the window become one event at its end.
 */
export class QuotaNotifier {
  private readonly windows = new Map<string, { dirty: boolean; timer: NodeJS.Timeout }>();

  constructor(private readonly pubsub: PubSub) {}

  changed(organizationId: string): void {
    const open = this.windows.get(organizationId);
    if (open) {
      open.dirty = true;
      return;
    }
    this.pubsub.emit(quotaTopic, organizationId, { changedAt: Date.now() });
    this.openWindow(organizationId);
  }

  private openWindow(organizationId: string): void {
    const window = {
      dirty: false,
      timer: setTimeout(() => {
        this.windows.delete(organizationId);
        if (window.dirty) this.changed(organizationId);
      }, QUOTA_EVENT_WINDOW_MS),
    };
    window.timer.unref();
    this.windows.set(organizationId, window);
  }

  close(): void {
    for (const w of this.windows.values()) clearTimeout(w.timer);
    this.windows.clear();
  }
}
