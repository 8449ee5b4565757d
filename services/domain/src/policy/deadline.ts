/**
 * Deadlines and reminder instants from policy durations.
 * PURE: safe for Temporal workflow code (pass the current time in; nothing here reads a clock).
 *
 * - 'working_days', 'calendar_days', 'months': counted on China calendar dates
 *   from the China date of `from` (that day itself not counted), see
 *   WorkCalendar; the deadline is the end of the resulting China day,
 *   23:59:59.999 +08:00.
 * - 'hours', 'seconds': plain elapsed time from `from`.
 *
 * Instants come back as ISO strings in UTC ('…Z'); `formatChinaInstant` shows them in China time.
 */
import {
  type Instant,
  MS_PER_DAY,
  MS_PER_HOUR,
  addDays,
  addMonths,
  chinaDateOf,
  chinaDayEnd,
  chinaDayStart,
  formatInstant,
  parseInstant,
} from '../calendar/civil';
import type { WorkCalendar } from '../calendar/work-calendar';
import { type WorkingHours, nextWorkingInstant } from '../calendar/working-hours';
import type {
  Duration,
  DurationUnit,
  JurisdictionPolicy,
  PolicyDeadlineName,
  PolicyReminders,
} from './schema';

const ELAPSED_MS: Partial<Record<DurationUnit, number>> = { hours: MS_PER_HOUR, seconds: 1000 };

function checkDuration(d: Duration): void {
  if (!Number.isFinite(d.amount) || d.amount < 0)
    throw new RangeError(`duration amount must be >= 0, got ${d.amount}`);
  if (ELAPSED_MS[d.unit] === undefined && !Number.isInteger(d.amount)) {
    throw new RangeError(`duration in ${d.unit} must be a whole number, got ${d.amount}`);
  }
}

/** Deadline (epoch ms) of `d` counted from `from`. See {@link computeDeadline}. */
export function computeDeadlineMs(calendar: WorkCalendar, from: Instant, d: Duration): number {
  checkDuration(d);
  const start = parseInstant(from);
  const unitMs = ELAPSED_MS[d.unit];
  if (unitMs !== undefined) return start + Math.round(d.amount * unitMs);
  const date = chinaDateOf(start);
  switch (d.unit) {
    case 'working_days':
      return chinaDayEnd(calendar.addWorkingDays(date, d.amount));
    case 'calendar_days':
      return chinaDayEnd(calendar.deadlineCalendarDays(date, d.amount));
    case 'months':
      return chinaDayEnd(calendar.deadlineMonths(date, d.amount));
    default:
      throw new RangeError(`unknown duration unit ${String(d.unit)}`);
  }
}

/**
 * The deadline of "within `d` of `from`", as an ISO instant (UTC).
 * Example: accepted 2025-09-30T10:00+08:00, 5 working days (with the 2025
 * National Day holiday) -> end of 2025-10-14 China time = '2025-10-14T15:59:59.999Z'.
 */
export function computeDeadline(calendar: WorkCalendar, from: Instant, d: Duration): string {
  return formatInstant(computeDeadlineMs(calendar, from, d));
}

/** `computeDeadline(calendar, from, policy.deadlines[name])`. */
export function policyDeadline(
  calendar: WorkCalendar,
  policy: JurisdictionPolicy,
  name: PolicyDeadlineName,
  from: Instant,
): string {
  return computeDeadline(calendar, from, policy.deadlines[name]);
}

export interface ReminderInstant {
  /** Fraction of the time elapsed, e.g. 0.5. */
  fraction: number;
  /** start + fraction × (deadline − start), ISO (UTC). */
  at: string;
  /** `at` moved into notice hours of a working day (equal to `at` when the policy has no notice hours). */
  notifyAt: string;
}

export interface ReminderSchedule {
  /** Reminders to the handler at the policy's fractions of the time. */
  reminders: ReminderInstant[];
  /**
   * Start of the yellow warning (黄牌): the beginning of the last `yellowLast`
   * before the deadline (for working days: 00:00 China time of the N-th working
   * day counted back from the deadline day, the deadline day included; for
   * hours/seconds: deadline − yellowLast), never before `start`. Null when
   * `yellowLast` is zero.
   */
  yellowFrom: string | null;
  /** `yellowFrom` moved into notice hours of a working day. */
  yellowNotifyAt: string | null;
  /** First instant after the deadline: red warning (红牌) and escalation. */
  overdueAt: string;
  /** `overdueAt` moved into notice hours of a working day. */
  overdueNotifyAt: string;
}

function yellowStartMs(calendar: WorkCalendar, deadlineMs: number, last: Duration): number | null {
  checkDuration(last);
  if (last.amount === 0) return null;
  const unitMs = ELAPSED_MS[last.unit];
  if (unitMs !== undefined) return deadlineMs - Math.round(last.amount * unitMs);
  const deadlineDate = chinaDateOf(deadlineMs);
  switch (last.unit) {
    case 'working_days': {
      const lastWorking = calendar.workingDayOnOrBefore(deadlineDate);
      return chinaDayStart(calendar.subtractWorkingDays(lastWorking, last.amount - 1));
    }
    case 'calendar_days':
      return chinaDayStart(addDays(deadlineDate, -(last.amount - 1)));
    case 'months':
      return chinaDayStart(addDays(addMonths(deadlineDate, -last.amount), 1));
    default:
      throw new RangeError(`unknown duration unit ${String(last.unit)}`);
  }
}

/**
 * Reminder instants for a clock running from `start` to `deadline`:
 * the policy's fractions (default 50% and 75%) of the elapsed time, the start of
 * the yellow warning (default the last 5 working days), and the overdue instant.
 * Each also comes moved into the policy's notice hours (`reminders.noticeHours`).
 */
export function reminderInstants(
  calendar: WorkCalendar,
  start: Instant,
  deadline: Instant,
  reminders: Pick<PolicyReminders, 'fractions' | 'yellowLast'> & { noticeHours?: WorkingHours | null },
): ReminderSchedule {
  const startMs = parseInstant(start);
  const deadlineMs = parseInstant(deadline);
  if (deadlineMs < startMs)
    throw new RangeError(`deadline ${formatInstant(deadlineMs)} is before start ${formatInstant(startMs)}`);
  const hours = reminders.noticeHours ?? null;
  const notify = (ms: number): string => formatInstant(nextWorkingInstant(calendar, ms, hours));
  const span = deadlineMs - startMs;
  const out = reminders.fractions.map((fraction) => {
    if (!(fraction > 0 && fraction < 1))
      throw new RangeError(`reminder fraction must be in (0, 1), got ${fraction}`);
    const at = startMs + Math.floor(fraction * span);
    return { fraction, at: formatInstant(at), notifyAt: notify(at) };
  });
  const yellow = yellowStartMs(calendar, deadlineMs, reminders.yellowLast);
  const yellowMs = yellow === null ? null : Math.max(yellow, startMs);
  const overdueMs = deadlineMs + 1;
  return {
    reminders: out,
    yellowFrom: yellowMs === null ? null : formatInstant(yellowMs),
    yellowNotifyAt: yellowMs === null ? null : notify(yellowMs),
    overdueAt: formatInstant(overdueMs),
    overdueNotifyAt: notify(overdueMs),
  };
}

/**
 * A deadline pushed back by a pause of the clock (e.g. while a re-assignment
 * request is pending, when `policy.pauseClockDuringReassignment` is true).
 * `unit` is the unit of the clock's duration:
 * - 'working_days': by the working days in (China date of pausedFrom, China date of pausedUntil];
 * - 'calendar_days' / 'months': by the calendar days between those dates, then
 *   moved to the next working day if it lands on a day off;
 * - 'hours' / 'seconds': by the paused time exactly.
 */
export function extendForPause(
  calendar: WorkCalendar,
  deadline: Instant,
  pausedFrom: Instant,
  pausedUntil: Instant,
  unit: DurationUnit,
): string {
  const deadlineMs = parseInstant(deadline);
  const fromMs = parseInstant(pausedFrom);
  const untilMs = parseInstant(pausedUntil);
  if (untilMs < fromMs) throw new RangeError('pause ends before it starts');
  if (ELAPSED_MS[unit] !== undefined) return formatInstant(deadlineMs + (untilMs - fromMs));
  const fromDate = chinaDateOf(fromMs);
  const untilDate = chinaDateOf(untilMs);
  const deadlineDate = chinaDateOf(deadlineMs);
  if (unit === 'working_days') {
    const k = calendar.workingDaysBetween(fromDate, untilDate);
    return formatInstant(k === 0 ? deadlineMs : chinaDayEnd(calendar.addWorkingDays(deadlineDate, k)));
  }
  const days = Math.round((chinaDayStart(untilDate) - chinaDayStart(fromDate)) / MS_PER_DAY);
  return formatInstant(
    days === 0 ? deadlineMs : chinaDayEnd(calendar.deadlineCalendarDays(deadlineDate, days)),
  );
}
