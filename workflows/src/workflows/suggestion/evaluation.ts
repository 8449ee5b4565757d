/**
 * 满意度测评: the lead deputy's rating (co-signers rate too, the lead's decides), 退回重办 of a reply
 * before it is rated, 不满意 → re-handling, and the consultation (当面协商) after a second 不满意.
 */
import { condition, patched, setHandler, uuid4 } from '@temporalio/workflow';
import { terminalStatuses } from '@jianyi/domain';
import type { Effect } from '../../activities/effects';
import { quick } from '../activity-proxy';
import { SYSTEM } from '../events';
import { check, isCosigner } from './rules';
import { consultationUpdate, rateUpdate, sendBackReplyUpdate, type Assignment } from '../suggestion.messages';
import { evaluationClock } from './clocks';
import type { SendBack, SuggestionRun, UnitHandle } from './run';
import { startUnits, type AssignedUnit } from './units';

export function registerEvaluationHandlers(run: SuggestionRun) {
  const { state, record } = run;
  setHandler(
    rateUpdate,
    async (actor, r) => {
      if (isCosigner(run, actor)) {
        const round = state.round;
        (state.cosignerRatings ??= []).push({ round, deputyId: actor.deputyId!, rating: r.rating });
        await record(actor, 'suggestion.rated', { round, rating: r.rating, cosigner: true }, [
          {
            kind: 'cosigner_rate',
            id: uuid4(),
            round,
            deputyId: actor.deputyId!,
            rating: r.rating,
            comment: r.comment ?? null,
            by: actor.userId,
          },
        ]);
        return state;
      }
      run.pendingRating = { rating: r.rating, comment: r.comment ?? null, by: actor };
      await condition(() => run.pendingRating === null);
      return state;
    },
    {
      // The deputy may rate as soon as the item shows 已答复, even while the workflow is still
      // recording that step (the rating waits in pendingRating); hence no `busy` check here.
      validator: (actor, _r) => check(run, actor, 'rate'),
    },
  );

  // 退回重办: before the reply is rated, the reviewer may send one unit's reply back (it does not answer
  // the suggestion, or skipped the contact); that unit drafts, signs off and sends again on the re-handling clock.
  setHandler(
    sendBackReplyUpdate,
    async (actor, sb) => {
      run.sendBack = { unitId: sb.unitId, reason: sb.reason, by: actor };
      await condition(() => run.sendBack === null);
      return state;
    },
    {
      // A rating being recorded holds the reply as a send-back does; the replies of this round are the ones sent back.
      validator: (actor, sb) =>
        check(
          run,
          actor,
          'reply_return',
          { unitId: sb.unitId },
          {
            facts: {
              ratedThisRound: state.ratings.some((x) => x.round === state.round),
              replyReturnPending: run.sendBack !== null || run.pendingRating !== null,
              replyingUnitIds: run.lastReplies.filter((x) => x.role !== 'co').map((x) => x.unitId),
            },
          },
        ),
    },
  );
  setHandler(
    consultationUpdate,
    async (actor, c) => {
      run.consultation = { summary: c.summary, by: actor };
      await condition(() => terminalStatuses.has(state.status) || state.status === 'closed');
      return state;
    },
    {
      validator: (actor, _c) => check(run, actor, 'consultation'),
    },
  );
}

/** What ended an evaluation window: the reviewer sent a reply back, or the item has its rating (or 未反馈). */
export type EvaluationOutcome =
  | { kind: 'sendBack'; sendBack: SendBack }
  | { kind: 'rated'; rating: NonNullable<SuggestionRun['pendingRating']> };

/** Opens this round's evaluation window: a rating, a send-back, or 未反馈 when the window closes. */
export const awaitEvaluation = async (run: SuggestionRun): Promise<EvaluationOutcome> => {
  const { state } = run;
  const since = run.calendar.version;
  const start = new Date().toISOString();
  const plan = await quick().planClock(run.base.policyVersion, 'evaluation', start);
  state.evaluationDeadline = plan.deadlineAt;
  const live = run.patches.stepClocks ? evaluationClock(run, plan, start, since) : null;
  const answer = () => run.pendingRating !== null || run.sendBack !== null;
  let answered: boolean;
  if (live) {
    // The window follows a loaded calendar year (parent-calendar-replan): wait again on a moved deadline.
    for (;;) {
      const v = live.version;
      answered = await condition(
        () => answer() || live.version !== v,
        Math.max(0, Date.parse(live.plan.deadlineAt) - Date.now()),
      );
      if (answered && !answer()) continue;
      break;
    }
    live.stopped = true;
  } else answered = await condition(answer, Math.max(0, Date.parse(plan.deadlineAt) - Date.now()));
  if (run.sendBack) return { kind: 'sendBack', sendBack: run.sendBack };
  return {
    kind: 'rated',
    rating: answered ? run.pendingRating! : { rating: 'no_feedback' as const, comment: null, by: SYSTEM },
  };
};

/**
 * Records the rating. A first 不满意 starts re-handling (round 2, returned: the replying units' handles);
 * otherwise the item is rated, after a consultation if this is the second 不满意 (returns null).
 */
export const recordRating = async (
  run: SuggestionRun,
  a: Assignment,
  units: AssignedUnit[],
  r: NonNullable<SuggestionRun['pendingRating']>,
): Promise<UnitHandle[] | null> => {
  const { state } = run;
  const rateEffect: Effect = {
    kind: 'rate',
    id: uuid4(),
    round: state.round,
    rating: r.rating,
    comment: r.comment,
    by: r.by.userId,
  };
  state.evaluationDeadline = null;
  if (r.rating === 'unsatisfied' && state.round < 2) {
    // 不满意 → re-handling by the replying units, on the re-handling clock.
    await run.record(r.by, 'suggestion.rated', { round: state.round, rating: r.rating }, [rateEffect]);
    state.ratings.push({ round: state.round, rating: r.rating });
    run.pendingRating = null;
    state.round += 1;
    // Round 2 goes to the units that replied in round 1 (a unit re-assigned away does not come back).
    const again = patched('rehandle-replying-units')
      ? run.lastReplies.filter((x) => x.role !== 'co').map((x) => ({ unitId: x.unitId, role: x.role }))
      : units.filter((u) => u.role !== 'co');
    return startUnits(run, a, state.round, again, SYSTEM, false);
  }
  await run.apply(
    r.by,
    { type: 'rate', rating: r.rating, round: state.round },
    'suggestion.rated',
    { round: state.round, rating: r.rating },
    [rateEffect],
  );
  state.ratings.push({ round: state.round, rating: r.rating });
  run.pendingRating = null;
  if (run.statusNow() === 'replied') {
    // A second 不满意: closure needs a recorded face-to-face consultation (当面协商).
    await condition(() => run.consultation !== null);
    await run.apply(
      run.consultation!.by,
      { type: 'record_consultation' },
      'suggestion.consultation_recorded',
      {},
      [{ kind: 'consultation', summary: run.consultation!.summary }],
    );
  }
  return null;
};
