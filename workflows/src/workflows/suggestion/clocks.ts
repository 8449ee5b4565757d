/**
 * The clocks of the steps that are not a unit's: pre-review and assignment (the reviewer's) and the
 * deputy's evaluation. A unit's own clock runs in its workflow (unit-handling.workflow.ts).
 */
import { condition } from '@temporalio/workflow';
import { acts } from '../activity-proxy';
import { SYSTEM } from '../events';
import type { SuggestionRun } from './run';

export type ClockPlan = Awaited<ReturnType<typeof acts.planClock>>;

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

/** Pre-review runs from each (re)submission until the reviewer decides. */
export const preReviewClock = async (run: SuggestionRun) => {
  const { state } = run;
  const submission = state.reviewRounds;
  const plan = await acts.planClock(run.base.policyVersion, 'preReview', new Date().toISOString());
  await stepClock(
    run,
    'pre_review',
    plan,
    () => state.reviewRounds !== submission || state.status !== 'submitted',
  );
};

/** 交办: between sessions within the policy's days of acceptance, until the item is assigned. */
export const assignmentClock = async (run: SuggestionRun) => {
  const plan = await acts.planClock(
    run.base.policyVersion,
    'assignmentBetweenSessions',
    new Date().toISOString(),
  );
  void stepClock(
    run,
    'assignment',
    plan,
    () => run.state.assignment !== null || run.statusNow() !== 'accepted',
  );
};

/** The deputy's evaluation of this round's reply: reminders and yellow, until a rating or a send-back. */
export const evaluationClock = (run: SuggestionRun, plan: ClockPlan) => {
  const { state } = run;
  const round = state.round;
  void stepClock(
    run,
    'evaluation',
    plan,
    () =>
      run.pendingRating !== null ||
      run.sendBack !== null ||
      state.round !== round ||
      state.ratings.some((x) => x.round === round),
  );
};
