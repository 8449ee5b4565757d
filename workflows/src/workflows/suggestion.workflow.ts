/**
 * One workflow per suggestion (id `suggestion-<id>`): the source of truth for where the item is.
 * Human steps are updates with validators, so a wrong role or a wrong state is refused before
 * anything is written. I/O happens only in activities.
 */
import { ApplicationFailure, condition, proxyActivities, setHandler, upsertSearchAttributes, uuid4 } from '@temporalio/workflow';
import { terminalStatuses, transition, actionRoles, type Actor, type SuggestionAction, type SuggestionEvent } from '@jianyi/domain';
import type { createActivities } from '../activities';
import { SA } from '../search-attributes';
import {
  resubmitUpdate, reviewUpdate, stateQuery, withdrawUpdate,
  type ReviewDecision, type SuggestionState, type SuggestionWorkflowInput,
} from './suggestion.messages';

export * from './suggestion.messages';

const acts = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['StaleState'] },
});

function reviewAction(d: ReviewDecision): SuggestionAction {
  switch (d.decision) {
    case 'accept': return { type: 'accept', registrationNo: '' };
    case 'return': return { type: 'return', comments: d.comments };
    case 'reject': return { type: 'reject', reason: d.reason };
    case 'convert': return { type: 'convert' };
  }
}

export async function suggestionWorkflow(input: SuggestionWorkflowInput): Promise<SuggestionState> {
  const state: SuggestionState = { suggestionId: input.suggestionId, status: 'draft', registrationNo: null, reviewRounds: 0 };
  const audience = { deputyIds: [input.leadDeputyId], unitIds: [] as string[] };

  /** Refuses an action the actor's role or the current status does not allow (runs before any write). */
  const guard = (actor: Actor, action: SuggestionAction) => {
    if (!actor.role || !actionRoles[action.type].includes(actor.role as never)) {
      throw ApplicationFailure.nonRetryable(`角色无权执行此操作 / role "${actor.role}" may not ${action.type}`, 'Forbidden');
    }
    if (action.type !== 'submit' && ['resubmit', 'withdraw'].includes(action.type) && actor.userId !== input.submittedBy.userId) {
      throw ApplicationFailure.nonRetryable('只有领衔代表可以执行此操作 / only the lead deputy may do this', 'Forbidden');
    }
    const t = transition(state.status, action);
    if (!t.ok) throw ApplicationFailure.nonRetryable(`${t.reason.zh} / ${t.reason.en}`, 'WrongState');
    if (busy) throw ApplicationFailure.nonRetryable('另一操作正在进行 / another action is in progress', 'WrongState');
  };
  let busy = false;

  /** Applies a transition: projection + outbox row in one transaction (activity), then local state. */
  const apply = async (actor: Actor, action: SuggestionAction, extra: Record<string, unknown> = {}) => {
    const t = transition(state.status, action);
    if (!t.ok) throw ApplicationFailure.nonRetryable(t.reason.en, 'WrongState');
    busy = true;
    try {
      const from = state.status;
      let registrationNo: string | null = null;
      if (action.type === 'accept') registrationNo = await acts.nextRegistrationNo(input.suggestionId);
      const event = {
        id: uuid4(),
        version: 1,
        type: `suggestion.${t.status}`,
        suggestionId: input.suggestionId,
        occurredAt: new Date().toISOString(),
        actor,
        policyVersion: input.policyVersion,
        data: { from, to: t.status, audience, ...extra, ...(registrationNo ? { registrationNo } : {}) },
      } as SuggestionEvent;
      await acts.applyTransition({ suggestionId: input.suggestionId, from, to: t.status, event, registrationNo });
      state.status = t.status;
      if (registrationNo) state.registrationNo = registrationNo;
      upsertSearchAttributes([{ key: SA.status, value: t.status }] as never);
    } finally {
      busy = false;
    }
    return state;
  };

  setHandler(stateQuery, () => state);
  setHandler(
    reviewUpdate,
    async (actor, d) => {
      state.reviewRounds += 1;
      const extra = d.decision === 'return' ? { comments: d.comments } : d.decision === 'reject' ? { reason: d.reason } : {};
      return apply(actor, reviewAction(d), extra);
    },
    { validator: (actor, d) => guard(actor, reviewAction(d)) },
  );
  setHandler(resubmitUpdate, (actor) => apply(actor, { type: 'resubmit' }), { validator: (actor) => guard(actor, { type: 'resubmit' }) });
  setHandler(withdrawUpdate, (actor) => apply(actor, { type: 'withdraw' }), { validator: (actor) => guard(actor, { type: 'withdraw' }) });

  upsertSearchAttributes([{ key: SA.deputies, value: [input.leadDeputyId] }] as never);
  await apply(input.submittedBy, { type: 'submit' });

  // Later stages (assignment, handling, reply, evaluation) continue from 'accepted' in the lifecycle issue.
  await condition(() => !busy && (terminalStatuses.has(state.status) || state.status === 'accepted'));
  return state;
}
