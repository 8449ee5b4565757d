/**
 * The clocks of the steps that are not a unit's: pre-review and assignment (the reviewer's) and the
 * deputy's evaluation. A unit's own clock runs in its workflow (unit-handling.workflow.ts).
 */
import { condition, patched, setHandler } from '@temporalio/workflow';
import { quick, type acts } from '../activity-proxy';
import { SYSTEM } from '../events';
import { calendarChangedSignal } from '../suggestion.messages';
import type { SuggestionRun } from './run';

export type ClockPlan = Awaited<ReturnType<typeof acts.planClock>>;
type ItemClock = 'pre_review' | 'assignment' | 'evaluation';

/**
 * A loaded calendar year (the admin's `calendarChanged` signal, as the units get it) re-plans the item's
 * own running clock (patch `parent-calendar-replan`; older executions ignore the signal).
 */
export function registerCalendarSignal(run: SuggestionRun) {
  if (!run.patches.calendarReplan) return;
  setHandler(calendarChangedSignal, (c) => {
    run.calendar.years = [...new Set([...run.calendar.years, ...c.years])].sort((a, b) => a - b);
    run.calendar.version += 1;
  });
}

/** A clock of the item whose plan can move: `version` counts the re-plans that moved it. */
export interface LiveClock {
  plan: ClockPlan;
  version: number;
  /** Set by the owner when the step the clock times is over (no more re-plans). */
  stopped: boolean;
}

/**
 * Follows the calendar for one clock: each calendarChanged signal while the step runs plans the clock
 * again from its start on the calendar as it is now; a moved deadline is recorded as
 * `suggestion.deadline_replanned` (no unit: the item's own clock) and the clock's marks follow it.
 */
const followCalendar = async (
  run: SuggestionRun,
  clock: ItemClock,
  live: LiveClock,
  replan: () => Promise<ClockPlan>,
  done: () => boolean,
  onPlan: (p: ClockPlan) => void,
  since: number,
) => {
  const over = () => live.stopped || done();
  let v = since;
  for (;;) {
    await condition(() => over() || run.calendar.version !== v);
    if (over()) return;
    v = run.calendar.version;
    const years = [...run.calendar.years];
    const next = await replan();
    if (over() || next.deadlineAt === live.plan.deadlineAt) continue;
    await run.record(SYSTEM, 'suggestion.deadline_replanned', {
      unitId: null,
      clock,
      previousDeadlineAt: live.plan.deadlineAt,
      deadlineAt: next.deadlineAt,
      years,
    });
    live.plan = next;
    live.version += 1;
    onPlan(next);
  }
};

/** The marks of a clock that may be re-planned: each mark fires once, at its time in the current plan. */
const liveStepClock = async (run: SuggestionRun, clock: ItemClock, live: LiveClock, done: () => boolean) => {
  const fired = new Set<string>();
  const key = (m: ClockPlan['marks'][number]) => `${m.level}${m.fraction ?? ''}`;
  for (;;) {
    const v = live.version;
    const m = live.plan.marks.find((x) => !fired.has(key(x)));
    if (!m || (clock === 'evaluation' && m.level === 'red')) return;
    const wait = Date.parse(m.at) - Date.now();
    if (wait > 0) {
      await condition(() => done() || live.version !== v, wait);
      if (done()) return;
      if (live.version !== v) continue;
    } else if (done()) return;
    fired.add(key(m));
    await run.record(SYSTEM, 'suggestion.deadline', {
      clock,
      level: m.level,
      fraction: m.fraction,
      unitId: null,
      deadlineAt: live.plan.deadlineAt,
    });
    if (done()) return;
  }
};

/**
 * Starts a clock of the item that follows the calendar: its marks and its re-planning. `since` is the
 * calendar version read before the plan was made, so a year loaded while it was being made counts.
 */
export const liveClock = (
  run: SuggestionRun,
  clock: ItemClock,
  plan: ClockPlan,
  since: number,
  replan: () => Promise<ClockPlan>,
  done: () => boolean,
  onPlan: (p: ClockPlan) => void = () => undefined,
): LiveClock => {
  const live: LiveClock = { plan, version: 0, stopped: false };
  void liveStepClock(run, clock, live, done);
  void followCalendar(run, clock, live, replan, done, onPlan, since);
  return live;
};

/**
 * Each mark (reminders, yellow, red) becomes a deadline event unless the step is done by then.
 * The evaluation has no red: its deadline records 未反馈 instead.
 */
export const stepClock = async (
  run: SuggestionRun,
  clock: 'pre_review' | 'assignment' | 'evaluation',
  plan: ClockPlan,
  done: () => boolean,
) => {
  for (const m of plan.marks) {
    if (clock === 'evaluation' && m.level === 'red') return;
    const wait = Date.parse(m.at) - Date.now();
    if (wait > 0 ? await condition(done, wait) : done()) return;
    await run.record(SYSTEM, 'suggestion.deadline', {
      clock,
      level: m.level,
      fraction: m.fraction,
      unitId: null,
      deadlineAt: plan.deadlineAt,
    });
    if (done()) return;
  }
};

/**
 * The deadline of the item's own clock before assignment reaches the projection (patch
 * `item-clock-projection`; older executions left it to the assignment), so the deputy's 我的期限 and
 * the lists show the pre-review and assignment deadlines. Returns the writer for re-plans.
 */
const projectItemClock = async (
  run: SuggestionRun,
  status: 'submitted' | 'accepted',
  deadlineAt: string,
): Promise<((p: ClockPlan) => void) | null> => {
  if (!patched('item-clock-projection')) return null;
  const write = (at: string) =>
    quick().projectItemDeadline({ suggestionId: run.input.suggestionId, status, deadlineAt: at });
  await write(deadlineAt);
  return (p) => void write(p.deadlineAt);
};

/** Pre-review runs from each (re)submission until the reviewer decides. */
export const preReviewClock = async (run: SuggestionRun) => {
  const { state } = run;
  const submission = state.reviewRounds;
  const since = run.calendar.version;
  const start = new Date().toISOString();
  const plan = await quick().planClock(run.base.policyVersion, 'preReview', start);
  const done = () => state.reviewRounds !== submission || state.status !== 'submitted';
  const project = await projectItemClock(run, 'submitted', plan.deadlineAt);
  if (run.patches.calendarReplan) {
    liveClock(
      run,
      'pre_review',
      plan,
      since,
      () =>
        quick().replanItemClock({
          suggestionId: run.input.suggestionId,
          policyVersion: run.base.policyVersion,
          clock: 'preReview',
          start,
        }),
      done,
      (p) => project?.(p),
    );
    return;
  }
  await stepClock(run, 'pre_review', plan, done);
};

/** 交办: between sessions within the policy's days of acceptance, until the item is assigned. */
export const assignmentClock = async (run: SuggestionRun) => {
  // 届次: an item submitted during a session is assigned at the 交办会, on the after-session clock
  // (older executions: every item on the between-sessions clock).
  const since = run.calendar.version;
  const acceptedAt = new Date().toISOString();
  const plan = patched('session-assignment-clock')
    ? await quick().assignmentClock(run.input.suggestionId, run.base.policyVersion, acceptedAt)
    : await quick().planClock(run.base.policyVersion, 'assignmentBetweenSessions', acceptedAt);
  run.state.assignmentDeadline = plan.deadlineAt;
  const done = () => run.state.assignment !== null || run.statusNow() !== 'accepted';
  const project = await projectItemClock(run, 'accepted', plan.deadlineAt);
  if (run.patches.calendarReplan) {
    // Planned again from the same start (the acceptance, or the session's close) on the new calendar.
    liveClock(
      run,
      'assignment',
      plan,
      since,
      () =>
        quick().replanItemClock({
          suggestionId: run.input.suggestionId,
          policyVersion: run.base.policyVersion,
          clock: 'assignment',
          start: acceptedAt,
        }),
      done,
      (p) => {
        run.state.assignmentDeadline = p.deadlineAt;
        project?.(p);
      },
    );
    return;
  }
  void stepClock(run, 'assignment', plan, done);
};

/** The deputy's evaluation of this round's reply: reminders and yellow, until a rating or a send-back. */
export const evaluationClock = (
  run: SuggestionRun,
  plan: ClockPlan,
  start?: string,
  since = 0,
): LiveClock | null => {
  const { state } = run;
  const round = state.round;
  const done = () =>
    run.pendingRating !== null ||
    run.sendBack !== null ||
    state.round !== round ||
    state.ratings.some((x) => x.round === round);
  if (run.patches.calendarReplan && start)
    return liveClock(
      run,
      'evaluation',
      plan,
      since,
      () =>
        quick().replanItemClock({
          suggestionId: run.input.suggestionId,
          policyVersion: run.base.policyVersion,
          clock: 'evaluation',
          start,
        }),
      done,
      (p) => (state.evaluationDeadline = p.deadlineAt),
    );
  void stepClock(run, 'evaluation', plan, done);
  return null;
};
