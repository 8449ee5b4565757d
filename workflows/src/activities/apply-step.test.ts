/**
 * A malformed event is a bug, not a passing failure: applyStep refuses it as non-retryable before it
 * opens a transaction (it used to throw a ZodError inside it, which Temporal retried forever), and the
 * typed event constructors of the workflows refuse a wrong payload at compile time (`pnpm check`).
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import type { SuggestionEvent } from '@jianyi/domain';
import { seededWorkCalendar } from '@jianyi/domain/src/calendar/seed';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import type * as Events from '../workflows/events';
import { createActivities } from '.';

/** The data source is never reached: the event is refused before any transaction. */
const untouched = {
  transaction: () => {
    throw new Error('applyStep opened a transaction for an invalid event');
  },
} as unknown as DataSource;
const acts = createActivities({
  ds: untouched,
  policies: loadPolicyRegistry(),
  calendar: seededWorkCalendar(),
});

const event = (data: Record<string, unknown>) =>
  ({
    id: randomUUID(),
    version: 1,
    type: 'suggestion.rated',
    suggestionId: randomUUID(),
    occurredAt: new Date().toISOString(),
    actor: { userId: null, role: null, name: '系统' },
    policyVersion: 'test-fast@1',
    data: { from: 'replied', to: 'closed', audience: { deputyIds: [], unitIds: [] }, ...data },
  }) as unknown as SuggestionEvent;

describe('applyStep with an event the contract refuses', () => {
  it('fails as non-retryable InvalidEvent (no ZodError retried forever), naming the event type', async () => {
    const err = await acts
      .applyStep({ suggestionId: randomUUID(), event: event({ round: 1, rating: 'great' }) })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    expect((err as ApplicationFailure).type).toBe('InvalidEvent');
    expect((err as Error).message).toMatch(/suggestion\.rated/);
  });
});

// Compile-time checks (`pnpm check`): never run. Each @ts-expect-error line must be a type error.
declare const makeEvent: typeof Events.makeEvent;
declare const base: Parameters<typeof Events.makeEvent>[1];
declare const actor: Parameters<typeof Events.makeEvent>[2];
export function typedEventConstructors() {
  makeEvent('suggestion.rated', base, actor, 'replied', 'closed', { round: 1, rating: 'satisfied' });
  makeEvent('suggestion.closed', base, actor, 'closed', 'closed');
  // @ts-expect-error a rating that is not one of the contract's
  makeEvent('suggestion.rated', base, actor, 'replied', 'closed', { round: 1, rating: 'great' });
  // @ts-expect-error the rating is missing
  makeEvent('suggestion.rated', base, actor, 'replied', 'closed', { round: 1 });
  // @ts-expect-error the returned comments are missing
  makeEvent('suggestion.returned', base, actor, 'submitted', 'returned');
  // @ts-expect-error a field the event does not have
  makeEvent('suggestion.urged', base, actor, 'handling', 'handling', { unitId: null, note: '', x: 1 });
}
