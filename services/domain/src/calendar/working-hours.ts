/**
 * Working hours: "notices go out only in working hours of working days".
 * PURE: safe for Temporal workflow code.
 */
import {
  type Instant,
  chinaDateOf,
  chinaDayStart,
  chinaTimeOfDay,
  parseInstant,
  parseTimeOfDay,
} from './civil';
import type { WorkCalendar } from './work-calendar';

/** Daily window in China time, 'HH:MM' each; `end` is exclusive and must be after `start`. */
export interface WorkingHours {
  start: string;
  end: string;
}

/**
 * The earliest instant (epoch ms) at or after `instant` that lies inside
 * working hours of a working day. With `hours === null` there is no
 * restriction and `instant` is returned as is.
 */
export function nextWorkingInstant(
  calendar: WorkCalendar,
  instant: Instant,
  hours: WorkingHours | null,
): number {
  const at = parseInstant(instant);
  if (hours === null) return at;
  const start = parseTimeOfDay(hours.start);
  const end = parseTimeOfDay(hours.end);
  if (end <= start)
    throw new RangeError(`working hours end (${hours.end}) must be after start (${hours.start})`);
  const date = chinaDateOf(at);
  const time = chinaTimeOfDay(at);
  if (calendar.isWorkingDay(date)) {
    if (time < start) return chinaDayStart(date) + start;
    if (time < end) return at;
  }
  return chinaDayStart(calendar.nextWorkingDay(date)) + start;
}

/** True when `instant` lies inside working hours of a working day (always true for `hours === null`). */
export function isWithinWorkingHours(
  calendar: WorkCalendar,
  instant: Instant,
  hours: WorkingHours | null,
): boolean {
  return nextWorkingInstant(calendar, instant, hours) === parseInstant(instant);
}
