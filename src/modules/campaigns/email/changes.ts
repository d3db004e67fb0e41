/**
 * Coalesces "this campaign changed" notices: a webhook burst of thousands of events for one
 * campaign publishes one `bounceRateChanged` per campaign per window (default 100 ms) instead of
 * one per event, each event still reaching subscribers within the window.
 */
export class CampaignChanges {
  private readonly pending = new Map<string, { organizationId: string; campaignId: string }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly publish: (organizationId: string, campaignId: string) => void,
    private readonly windowMs = 100,
  ) {}

  changed(organizationId: string, campaignId: string): void {
    this.pending.set(`${organizationId}:${campaignId}`, { organizationId, campaignId });
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  /** Publishes what is pending now (also on shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const c of due) this.publish(c.organizationId, c.campaignId);
  }
}
