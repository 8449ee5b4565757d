/** 预审 and 交办: the reviewer's decision, the deputy's resubmission or withdrawal, the assignment. */
import {
  condition,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { RuleAction, SuggestionAction } from '@jianyi/domain';
import { SA } from '../../search-attributes';
import type { Effect } from '../../activities/effects';
import { wrongState } from '../failures';
import { check } from './rules';
import {
  addFollowersSignal,
  assignmentWrittenSignal,
  assignUpdate,
  resubmitUpdate,
  reviewUpdate,
  withdrawUpdate,
  type ReviewDecision,
} from '../suggestion.messages';
import { preReviewClock } from './clocks';
import type { SuggestionRun } from './run';

function reviewAction(d: ReviewDecision): SuggestionAction {
  switch (d.decision) {
    case 'accept':
      return { type: 'accept', registrationNo: '' };
    case 'return':
      return { type: 'return', comments: d.comments };
    case 'reject':
      return { type: 'reject', reason: d.reason };
    case 'convert':
      return { type: 'convert' };
    case 'merge':
      return { type: 'merge', intoSuggestionId: d.intoSuggestionId };
  }
}
const reviewEventType = {
  accept: 'suggestion.accepted',
  return: 'suggestion.returned',
  reject: 'suggestion.rejected',
  convert: 'suggestion.converted',
  merge: 'suggestion.merged',
} as const;

export function registerReviewHandlers(run: SuggestionRun) {
  const { input, state, audience, apply } = run;
  setHandler(
    reviewUpdate,
    async (actor, d) => {
      state.reviewRounds += 1;
      const extra =
        d.decision === 'return'
          ? { comments: d.comments }
          : d.decision === 'reject'
            ? { reason: d.reason }
            : d.decision === 'merge'
              ? { intoSuggestionId: d.intoSuggestionId, ...(d.reason ? { reason: d.reason } : {}) }
              : d.decision === 'convert' && d.reason
                ? { reason: d.reason }
                : {};
      const effects: Effect[] =
        d.decision === 'merge' ? [{ kind: 'merge', intoSuggestionId: d.intoSuggestionId }] : [];
      await apply(actor, reviewAction(d), reviewEventType[d.decision], extra, effects);
      if (d.decision === 'merge') {
        // The merged deputies follow the surviving item (its events reach them from now on).
        await getExternalWorkflowHandle(`suggestion-${d.intoSuggestionId}`).signal(
          addFollowersSignal,
          audience.deputyIds,
        );
      }
      return state;
    },
    {
      validator: (actor, d) =>
        check(run, actor, `review_${d.decision}` as RuleAction, {
          suggestionId: input.suggestionId,
          ...(d.decision === 'merge' ? { intoSuggestionId: d.intoSuggestionId } : {}),
        }),
    },
  );
  // 交办会: the batch has written this item's assignment; the main flow adopts it (units.ts).
  setHandler(assignmentWrittenSignal, (p) => {
    if (run.written === null && p.suggestionId === input.suggestionId) run.written = p;
  });
  setHandler(addFollowersSignal, (deputyIds) => {
    for (const d of deputyIds) if (!audience.deputyIds.includes(d)) audience.deputyIds.push(d);
  });
  setHandler(
    resubmitUpdate,
    async (actor, revision?) => {
      // The revised co-signers follow the item from the resubmission on (deputies of merged items stay).
      if (revision?.cosignerDeputyIds && patched('resubmit-revision')) {
        const before = new Set([input.leadDeputyId, ...(run.cosigners ?? [])]);
        const followers = audience.deputyIds.filter((d) => !before.has(d));
        run.cosigners = [...revision.cosignerDeputyIds];
        audience.deputyIds = [...new Set([input.leadDeputyId, ...run.cosigners, ...followers])];
        upsertSearchAttributes([{ key: SA.deputies, value: audience.deputyIds }] as never);
      }
      await apply(actor, { type: 'resubmit' }, 'suggestion.submitted');
      if (run.patches.stepClocks) void preReviewClock(run);
      return state;
    },
    { validator: (actor, _revision?) => check(run, actor, 'resubmit') },
  );
  setHandler(withdrawUpdate, (actor) => apply(actor, { type: 'withdraw' }, 'suggestion.withdrawn'), {
    validator: (actor) => check(run, actor, 'withdraw'),
  });
  setHandler(
    assignUpdate,
    async (actor, a) => {
      state.assignment = a;
      // The reviewer or coordinator who assigned is the actor of the assignment (older executions: 系统),
      // and the answer is the item as assigned, not as it was when the update was accepted.
      if (patched('assigner')) {
        run.assigner = actor;
        await condition(() => run.statusNow() !== 'accepted');
      }
      // A 交办会 assigned the item first (its transaction won): this assignment was not applied.
      if (run.written && state.assignment === run.written.assignment)
        throw wrongState(
          '该建议已在交办会中交办',
          'the item was assigned at the assignment meeting meanwhile',
        );
      return state;
    },
    {
      validator: (actor, a) =>
        check(run, actor, 'assign', {
          unitIds: a.mode === 'separate' ? a.unitIds : [a.leadUnitId, ...a.coUnitIds],
        }),
    },
  );
}
