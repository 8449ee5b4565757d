/** Helpers shared by the suggestion workflow and its per-unit children. Workflow code: no I/O. */
import { ApplicationFailure, proxyActivities, uuid4 } from '@temporalio/workflow';
import type { Actor, Decision, SuggestionEvent } from '@jianyi/domain';
import type { Activities } from '../activities';

export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['StaleState'],
  },
});

export const SYSTEM: Actor = { userId: null, role: null, name: '系统' };

/** Builds an event of the contract; time and id come from the workflow, so replays rebuild the same one. */
export function makeEvent(
  type: SuggestionEvent['type'],
  base: { suggestionId: string; policyVersion: string; audience: { deputyIds: string[]; unitIds: string[] } },
  actor: Actor,
  from: string,
  to: string,
  extra: Record<string, unknown> = {},
): SuggestionEvent {
  return {
    id: uuid4(),
    version: 1,
    type,
    suggestionId: base.suggestionId,
    occurredAt: new Date().toISOString(),
    actor,
    policyVersion: base.policyVersion,
    data: { from, to, audience: base.audience, ...extra },
  } as SuggestionEvent;
}

export const forbidden = (zh: string, en: string) =>
  ApplicationFailure.nonRetryable(`${zh} / ${en}`, 'Forbidden');
/** A refusal by the rules of the current state; `field` names the input it is about (the API lists it in errors[]). */
export const wrongState = (zh: string, en: string, field?: string) =>
  field
    ? ApplicationFailure.create({
        message: `${zh} / ${en}`,
        type: 'WrongState',
        nonRetryable: true,
        details: [{ field }],
      })
    : ApplicationFailure.nonRetryable(`${zh} / ${en}`, 'WrongState');

/** Throws the refusal of a rules decision (@jianyi/domain `decide()`): 403 Forbidden or 409 WrongState. */
export function enforce(d: Decision): void {
  if (d.ok) return;
  if (d.status === 403) throw forbidden(d.reason.zh, d.reason.en);
  throw wrongState(d.reason.zh, d.reason.en, d.field);
}
