/**
 * The colour of a deadline (normal / 黄牌 yellow / 红牌 red) counted in working days, as the deadline
 * warnings of process.md; used by the timeline and the unit inbox.
 */
import {
  chinaDateOf,
  isDeadlineProvisional,
  type JurisdictionPolicy,
  type WorkCalendar,
} from '@jianyi/domain';

/** Yellow warning (黄牌) window when the item's policy gives none in working days (process.md default). */
const DEFAULT_YELLOW_WORKING_DAYS = 5;
/** Unit parts whose clock has stopped: the reply or opinion is in, or the unit was re-assigned away. */
export const CLOSED_ASSIGNMENT = new Set(['replied', 'opinion_sent', 'reassigned', 'closed']);

export type DeadlineLevel = 'normal' | 'yellow' | 'red';

export interface TimelineDeadline {
  /** 'unit' for a unit's handling (reply, or opinion for a co-handler); 'item' for the item's own clock. */
  scope: 'unit' | 'item';
  unitId: string | null;
  unitName: string | null;
  role: string | null;
  round: number | null;
  deadlineAt: string;
  /** The last day, in China time. */
  deadlineDate: string;
  /** Working days from today to the last day (0 = due today, negative = overdue by that many). */
  workingDaysLeft: number;
  overdue: boolean;
  level: DeadlineLevel;
  /** Falls in, or is counted through, a year whose holidays are not official yet (暂按常规工作日计算). */
  provisional: boolean;
}

/** normal / yellow (the last N working days) / red (overdue), as the deadline warnings of process.md. */
export function deadlineLevel(
  cal: WorkCalendar,
  now: Date,
  deadlineAt: Date,
  yellowDays: number,
  start?: Date | null,
): Omit<TimelineDeadline, 'scope' | 'unitId' | 'unitName' | 'role' | 'round'> {
  const today = chinaDateOf(now.getTime());
  const deadlineDate = chinaDateOf(deadlineAt.getTime());
  const workingDaysLeft = cal.workingDaysLeft(today, deadlineDate);
  const overdue = deadlineAt.getTime() < now.getTime();
  const level: DeadlineLevel = overdue ? 'red' : workingDaysLeft < yellowDays ? 'yellow' : 'normal';
  const provisional = isDeadlineProvisional(cal, deadlineAt, start ?? null);
  return { deadlineAt: deadlineAt.toISOString(), deadlineDate, workingDaysLeft, overdue, level, provisional };
}

/** The yellow window (黄牌) of a policy in working days; the process.md default when it is not in working days. */
export function yellowWorkingDays(policy: JurisdictionPolicy | undefined): number {
  const y = policy?.reminders.yellowLast;
  return y && y.unit === 'working_days' ? y.amount : DEFAULT_YELLOW_WORKING_DAYS;
}
