/**
 * The parent workflow's side of the rules (@jianyi/domain `decide()`): what the execution knows about
 * the item, as the facts a decision needs. Validators ask `check()`; nothing here writes or produces a
 * command, so it is replay-safe. Workflow code: no I/O.
 */
import { decide, type ActionInput, type Actor, type ItemFacts, type RuleAction } from '@jianyi/domain';
import { enforce } from '../failures';
import type { SuggestionRun } from './run';

/** 联名代表 (co-signers, and deputies of items merged into this one) may rate too; the lead's rating decides. */
export const isCosigner = (run: SuggestionRun, actor: Actor) =>
  actor.role === 'deputy' &&
  actor.userId !== run.input.submittedBy.userId &&
  !!actor.deputyId &&
  actor.deputyId !== run.input.leadDeputyId &&
  run.audience.deputyIds.includes(actor.deputyId);

/**
 * The item as the rules see it for this actor: judged against the status a step in flight is writing
 * (the user may already see it), or with `settled` against the status written.
 */
export function itemFacts(run: SuggestionRun, actor: Actor, settled = false): ItemFacts {
  const { input, state } = run;
  const lead = actor.role === 'deputy' && actor.userId === input.submittedBy.userId;
  const rated = state.ratings.some((x) => x.round === state.round);
  const current = state.ratings.find((x) => x.round === state.round);
  return {
    status: settled ? state.status : (run.pendingTo ?? state.status),
    isLeadDeputy: lead,
    isCosigner: isCosigner(run, actor),
    round: state.round,
    // 交办会: a batch may have written the assignment before the item took it up.
    assigned: state.assignment !== null || run.written !== null,
    keySupervision: run.keySupervision,
    publicationWithheld: input.confidential === true || !!state.publicationWithheld,
    // The lead's rating counts from the moment it is given; a co-signer waits only for a recorded one.
    ratedThisRound: rated || (lead && run.pendingRating !== null),
    cosignerRatedThisRound: !!state.cosignerRatings?.some(
      (x) => x.round === state.round && x.deputyId === actor.deputyId,
    ),
    replyReturnPending: run.sendBack !== null,
    awaitingConsultation: state.round >= 2 && current?.rating === 'unsatisfied',
    handlingUnitIds: run.audience.unitIds,
    replyingUnitIds: run.replyingUnitIds,
    followUpUnitIds: (state.followUps ?? []).filter((x) => !x.done).map((x) => x.unitId),
    progressOpen: !!state.progress,
    progressReportedUnitIds: state.progress?.reported ?? [],
  };
}

/** Refuses (in a validator) what the rules do not allow this actor now: 403 or 409 with the reason. */
export function check(
  run: SuggestionRun,
  actor: Actor,
  action: RuleAction,
  extra: ActionInput = {},
  opts: { settled?: boolean; facts?: Partial<ItemFacts> } = {},
): void {
  enforce(decide(action, actor, { ...itemFacts(run, actor, opts.settled), ...opts.facts }, extra));
}
