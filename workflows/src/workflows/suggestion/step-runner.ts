/**
 * The step runner: every step of the parent workflow goes through it, one at a time (validators ask
 * the rules first: rules.ts), `apply` changes the status, `record` keeps it; both
 * write through the applyStep activity (records + projection + outbox event + audit, one transaction),
 * 受理 through acceptStep (the registration number and the policy drawn in that same transaction).
 */
import { condition, patched, upsertSearchAttributes } from '@temporalio/workflow';
import { transition, type Actor, type SuggestionAction, type SuggestionEventType } from '@jianyi/domain';
import { SA } from '../../search-attributes';
import { acts, quick } from '../activity-proxy';
import { makeEvent, type EventExtra, type ExtraArg } from '../events';
import { wrongState } from '../failures';
import type { StepArgs, SuggestionRun } from './run';

export function createStepRunner(run: SuggestionRun): Pick<SuggestionRun, 'apply' | 'record'> {
  const { input, state, base } = run;

  /** Applies a status change: records + projection + outbox row + audit in one transaction (activity). */
  const apply = async <T extends SuggestionEventType>(
    actor: Actor,
    action: SuggestionAction,
    type: T,
    ...[extra, effects = []]: StepArgs<T>
  ) => {
    // One step at a time: wait for a step in flight, then check again against the status it wrote.
    while (run.busy) await condition(() => !run.busy);
    const t = transition(state.status, action);
    if (!t.ok) throw wrongState(t.reason.zh, t.reason.en);
    run.busy = true;
    run.pendingTo = t.status;
    try {
      const from = state.status;
      let registrationNo: string | null = null;
      if (action.type === 'accept' && patched('local-steps')) {
        // 受理 in one transaction (acceptStep): the number and the policy are drawn where the step is written.
        const event = makeEvent(type, base, actor, from, t.status, extra as EventExtra<T>);
        const r = await quick().acceptStep({
          suggestionId: input.suggestionId,
          transition: { from, to: t.status },
          event,
          effects,
          policyAtAcceptance: run.patches.policyAtAcceptance,
        });
        registrationNo = r.registrationNo;
        base.policyVersion = r.policyVersion;
      } else {
        if (action.type === 'accept') {
          registrationNo = await acts.nextRegistrationNo(input.suggestionId);
          // An item keeps the policy in force when it was accepted.
          if (run.patches.policyAtAcceptance) {
            const p = await acts.policyAtAcceptance(input.suggestionId, base.policyVersion);
            if (p.version !== base.policyVersion) {
              base.policyVersion = p.version;
              effects = [...effects, { kind: 'policy', version: p.version }];
            }
          }
        }
        // The registration number is drawn here, at acceptance: the caller's payload cannot carry it.
        const event = makeEvent(type, base, actor, from, t.status, {
          ...extra,
          ...(registrationNo ? { registrationNo } : {}),
        } as EventExtra<T>);
        await quick().applyStep({
          suggestionId: input.suggestionId,
          transition: { from, to: t.status },
          event,
          registrationNo,
          effects,
        });
      }
      state.status = t.status;
      if (registrationNo) state.registrationNo = registrationNo;
      upsertSearchAttributes([{ key: SA.status, value: t.status }] as never);
    } finally {
      run.busy = false;
      run.pendingTo = null;
    }
    return state;
  };

  /** A step that keeps the status (rating before re-handling, urge, key supervision, follow-up, closure): one at a time, like apply. */
  const record = async <T extends SuggestionEventType>(
    actor: Actor,
    type: T,
    ...[extra, effects = []]: StepArgs<T>
  ) => {
    while (run.busy) await condition(() => !run.busy);
    run.busy = true;
    try {
      await quick().applyStep({
        suggestionId: input.suggestionId,
        event: makeEvent(type, base, actor, state.status, state.status, ...([extra] as ExtraArg<T>)),
        effects,
      });
    } finally {
      run.busy = false;
    }
  };

  return { apply, record };
}
