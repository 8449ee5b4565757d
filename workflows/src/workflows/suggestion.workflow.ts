/**
 * One workflow per suggestion (id `suggestion-<id>`): the source of truth for where the item is,
 * from submission to publication. Human steps are updates with validators, so a wrong role or a
 * wrong state is refused before anything is written. Each unit handles in a child workflow with
 * its own clock. I/O happens only in activities.
 *
 * The phases live in ./suggestion/: the step runner (every write), review (预审, 交办), clocks,
 * units (办理), evaluation (测评, 退回重办), supervision (催办, 重点督办, 不予公开) and follow-up (跟踪办理).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { terminalStatuses } from '@jianyi/domain';
import { SA } from '../search-attributes';
import { SYSTEM } from './events';
import { stateQuery, type SuggestionState, type SuggestionWorkflowInput } from './suggestion.messages';
import { assignmentClock, preReviewClock, registerCalendarSignal } from './suggestion/clocks';
import { awaitEvaluation, recordRating, registerEvaluationHandlers } from './suggestion/evaluation';
import { followUp } from './suggestion/follow-up';
import { registerReviewHandlers } from './suggestion/review';
import { createRun, type SuggestionRun } from './suggestion/run';
import { registerSupervisionHandlers } from './suggestion/supervision';
import type { UnitHandle } from './suggestion/run';
import {
  adoptAssignment,
  collectReplies,
  registerUnitSignals,
  reopenUnit,
  startUnits,
  unitsOf,
} from './suggestion/units';

export * from './suggestion.messages';
export { unitHandlingWorkflow } from './unit-handling.workflow';

export async function suggestionWorkflow(input: SuggestionWorkflowInput): Promise<SuggestionState> {
  const run = createRun(input);
  const { state, audience } = run;
  setHandler(stateQuery, () => state);
  registerReviewHandlers(run);
  registerEvaluationHandlers(run);
  registerUnitSignals(run);
  registerSupervisionHandlers(run);
  registerCalendarSignal(run);

  // DeputyIds holds every signer (the lead and the co-signers); older executions kept the lead only.
  upsertSearchAttributes([
    { key: SA.deputies, value: patched('all-signers') ? audience.deputyIds : [input.leadDeputyId] },
  ] as never);
  await run.apply(input.submittedBy, { type: 'submit' }, 'suggestion.submitted');
  if (run.patches.stepClocks) void preReviewClock(run);

  // ---- pre-review ----
  await condition(() => !run.busy && (terminalStatuses.has(state.status) || state.status === 'accepted'));
  // An ending update (e.g. a merge signalling the surviving item) finishes before the workflow does.
  if (state.status !== 'accepted') return finish(run);

  // ---- assignment (交办): between sessions within the policy's days of acceptance ----
  if (run.patches.stepClocks) await assignmentClock(run);
  await condition(() => state.assignment !== null || run.written !== null || run.statusNow() === 'withdrawn');
  if (run.statusNow() === 'withdrawn') return finish(run);
  let replying: UnitHandle[];
  if (state.assignment === null) {
    // 交办会: the batch wrote the assignment; the item starts its units on the batch's plans.
    replying = await adoptAssignment(run, run.written!);
  } else {
    const a = state.assignment;
    const units = unitsOf(a);
    audience.unitIds = units.map((u) => u.unitId);
    upsertSearchAttributes([{ key: SA.units, value: audience.unitIds }] as never);
    try {
      replying = await startUnits(run, a, 1, units, run.assigner ?? SYSTEM, true);
    } catch (err) {
      // A 交办会 assigned the item in its transaction just before this single assignment's step
      // (the step is refused, nothing of it written): the item takes the batch's assignment.
      if (!isAlreadyAssigned(err) || !patched('assignment-written')) throw err;
      await condition(() => run.written !== null);
      replying = await adoptAssignment(run, run.written!);
    }
  }
  const a = state.assignment!;
  const units = unitsOf(a);
  for (;;) {
    await collectReplies(run, a, replying);
    const outcome = await awaitEvaluation(run);
    if (outcome.kind === 'sendBack') {
      await reopenUnit(run, replying, outcome.sendBack);
      continue;
    }
    const rehandling = await recordRating(run, a, units, outcome.rating);
    if (!rehandling) break;
    replying = rehandling;
  }

  // ---- closure and publication (答复公开) ----
  await condition(() => !run.busy);
  await run.record(SYSTEM, 'suggestion.closed');
  if (!input.confidential && !state.publicationWithheld)
    await run.apply(SYSTEM, { type: 'publish' }, 'suggestion.published', { confidential: false });

  // ---- follow-up (跟踪办理) of B and C replies: on the promised date the unit reports ----
  // Added after histories were recorded: guarded so running executions keep their old path.
  if (patched('follow-up')) await followUp(run);
  return finish(run);
}

const isAlreadyAssigned = (err: unknown) =>
  err instanceof ActivityFailure &&
  err.cause instanceof ApplicationFailure &&
  err.cause.type === 'AlreadyAssigned';

/** Ends the execution once every update in flight has answered. */
const finish = async (run: SuggestionRun) => {
  await condition(allHandlersFinished);
  return run.state;
};
