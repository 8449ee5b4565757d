/**
 * When a notice may go out (PURE). Interruptive channels (email, webhook) respect the working hours
 * of working days (process.md: "notices go out only in working hours of working days"): a notice made
 * outside them is held until the start of the next working period. Failed attempts back off
 * exponentially.
 */
import { nextWorkingInstant, type Instant, type WorkCalendar, type WorkingHours } from '@jianyi/domain';

/** The earliest instant a notice made at `now` may be delivered (now itself inside working hours). */
export function holdUntil(calendar: WorkCalendar, now: Instant, hours: WorkingHours | null): number {
  return nextWorkingInstant(calendar, now, hours);
}

/** Delay before attempt `attempt + 1` after `attempt` failed ones (1 → base, 2 → 2·base, …), capped at 6 hours. */
export function backoffMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 6 * 3_600_000);
}
