import type { SqlClient } from '../../platform/db/sql.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { Logger } from '../../platform/logger.js';
import type { Clock, PlanCache } from '../usage/index.js';
import { Ledger, lockDueSubscription, save, settle } from './billing.service.js';

export interface PeriodEndReport {
  /** Subscriptions this run moved on, each in its own transaction. */
  processed: number;
  /** Organisations whose step failed in this run (logged; the next run tries again). */
  failed: string[];
}

export interface PeriodEndOptions {
  sql: SqlClient;
  plans: PlanCache;
  /** The app's clock, the meter's: when no time is given, periods are settled up to its now. */
  clock: Clock;
  /** How often each instance runs the job (BILLING_TICK_MS). */
  tickMs: number;
  log: Logger;
  planChanged(organizationId: string, plan: string): void;
}

/**
 * The period-end job: every subscription whose period has ended renews, applies its scheduled
 * downgrade or ends on FREE (billing.service `settle`), each in a transaction of its own that holds
 * the row with `FOR UPDATE SKIP LOCKED`. Every instance runs it on a timer; two runs at once take
 * different rows, and a settled row is no longer due, so each period end is applied once.
 */
export class PeriodEndJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly opts: PeriodEndOptions) {}

  async runDue(now: Date = new Date(this.opts.clock())): Promise<PeriodEndReport> {
    const report: PeriodEndReport = { processed: 0, failed: [] };
    for (;;) {
      const at: { organizationId: string | null } = { organizationId: null };
      try {
        const done = await inTransaction(
          this.opts.sql,
          async (tx) => {
            const s = await lockDueSubscription(tx, now, report.failed);
            if (!s) return null;
            at.organizationId = s.organizationId;
            const before = s.plan;
            const ledger = new Ledger();
            await settle(s, now, ledger, this.opts.plans);
            await save(tx, s, before, ledger, now);
            return { plan: s.plan, changed: s.plan !== before };
          },
          // Background work: kept out of the statement counts of requests.
          { counted: false },
        );
        if (!done) return report;
        report.processed += 1;
        if (done.changed && at.organizationId) this.opts.planChanged(at.organizationId, done.plan);
      } catch (err) {
        // Without a row there is nothing to skip: the look-up itself failed.
        if (!at.organizationId) throw err;
        this.opts.log.error({ err, organizationId: at.organizationId }, 'billing period end failed');
        report.failed.push(at.organizationId);
      }
    }
  }

  /** Runs now (periods that ended while no instance ran) and then every `tickMs`. */
  start(): void {
    const tick = () => {
      this.running ??= this.runDue()
        .catch((err: unknown) => this.opts.log.error({ err }, 'billing period-end run failed'))
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(tick, this.opts.tickMs);
    this.timer.unref();
    tick();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
