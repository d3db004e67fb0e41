/**
 * Billing periods are calendar months in UTC: each ends on the same day of the month (and time of
 * day) as the cycle's anchor, clamped to the month's last day, so a cycle anchored on 31 January
 * ends on 28 (or 29) February, then 31 March: clamping never shifts the later periods.
 */

const MONTHS_IN_A_CENTURY = 1200;

/** `anchor` moved by `months` calendar months (UTC), its day clamped to the month's length. */
export function addMonths(anchor: Date, months: number): Date {
  const year = anchor.getUTCFullYear();
  const month = anchor.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(anchor.getUTCDate(), lastDay),
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

/** The first period end of the cycle anchored at `anchor` that comes after `start`. */
export function periodEndAfter(anchor: Date, start: Date): Date {
  let months =
    (start.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (start.getUTCMonth() - anchor.getUTCMonth());
  // A step back first: the clamped date of `start`'s own month may still lie after it.
  months = Math.max(1, months - 1);
  for (let i = 0; i < MONTHS_IN_A_CENTURY; i++, months++) {
    const end = addMonths(anchor, months);
    if (end.getTime() > start.getTime()) return end;
  }
  throw new Error(
    `No period end after ${start.toISOString()} for the cycle anchored at ${anchor.toISOString()}.`,
  );
}
