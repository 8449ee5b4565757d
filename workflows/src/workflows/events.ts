/**
 * Building the events the workflows record, typed per event type: `makeEvent('suggestion.rated', …,
 * { round, rating })` only compiles with the payload the contract (`@jianyi/domain` events.ts) asks
 * for that type, so a wrong payload fails at compile time instead of in the applyStep activity.
 * Workflow code: no I/O.
 */
import { uuid4 } from '@temporalio/workflow';
import type { Actor, SuggestionEvent, SuggestionEventType } from '@jianyi/domain';

export const SYSTEM: Actor = { userId: null, role: null, name: '系统' };

/** The event of one type. */
export type EventOf<T extends SuggestionEventType> = Extract<SuggestionEvent, { type: T }>;
/** What a step adds to an event of type T, besides from/to/audience (filled in by makeEvent). */
export type EventExtra<T extends SuggestionEventType> = T extends SuggestionEventType
  ? Omit<EventOf<T>['data'], 'from' | 'to' | 'audience'>
  : never;
/** The extra payload as an optional argument for the types that carry none. */
export type ExtraArg<T extends SuggestionEventType> =
  Partial<EventExtra<T>> extends EventExtra<T> ? [extra?: EventExtra<T>] : [extra: EventExtra<T>];

/** Builds an event of the contract; time and id come from the workflow, so replays rebuild the same one. */
export function makeEvent<T extends SuggestionEventType>(
  type: T,
  base: { suggestionId: string; policyVersion: string; audience: { deputyIds: string[]; unitIds: string[] } },
  actor: Actor,
  from: string,
  to: string,
  ...[extra]: ExtraArg<T>
): EventOf<T> {
  return {
    id: uuid4(),
    version: 1,
    type,
    suggestionId: base.suggestionId,
    occurredAt: new Date().toISOString(),
    actor,
    policyVersion: base.policyVersion,
    data: { from, to, audience: base.audience, ...(extra ?? {}) },
  } as unknown as EventOf<T>;
}
