/** Building the events the workflows record. Workflow code: no I/O. */
import { uuid4 } from '@temporalio/workflow';
import type { Actor, SuggestionEvent } from '@jianyi/domain';

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
