/**
 * Status events: the typed contracts that producers (workflow activities, via the outbox) and
 * consumers (tracker, notifier, points) share. Events are stored (outbox, Kafka log), so a
 * change to a payload needs a new `version`, never an edit of an existing one.
 */
import { z } from 'zod';
import { suggestionStatuses } from './status';
import { roles } from './roles';

const status = z.enum(suggestionStatuses as [string, ...string[]]);

export const actorSchema = z.object({
  userId: z.string().nullable(),
  role: z.enum(roles as [string, ...string[]]).nullable(),
  name: z.string().optional(),
});
export type Actor = z.infer<typeof actorSchema>;

const envelope = {
  id: z.uuid(),
  version: z.literal(1),
  suggestionId: z.uuid(),
  occurredAt: z.iso.datetime(),
  actor: actorSchema,
  policyVersion: z.string(),
};

/** Who may see the item: carried on every event so consumers can filter without a lookup. */
const audience = z.object({ deputyIds: z.array(z.string()), unitIds: z.array(z.string()) });

const statusChange = z.object({ from: status, to: status, audience });

export const suggestionEventSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('suggestion.submitted'), data: statusChange }),
  z.object({ ...envelope, type: z.literal('suggestion.withdrawn'), data: statusChange }),
  z.object({ ...envelope, type: z.literal('suggestion.returned'), data: statusChange.extend({ comments: z.string() }) }),
  z.object({ ...envelope, type: z.literal('suggestion.accepted'), data: statusChange.extend({ registrationNo: z.string() }) }),
  z.object({ ...envelope, type: z.literal('suggestion.rejected'), data: statusChange.extend({ reason: z.string() }) }),
  z.object({ ...envelope, type: z.literal('suggestion.converted'), data: statusChange }),
  z.object({ ...envelope, type: z.literal('suggestion.merged'), data: statusChange.extend({ intoSuggestionId: z.string() }) }),
]);
export type SuggestionEvent = z.infer<typeof suggestionEventSchema>;
export type SuggestionEventType = SuggestionEvent['type'];

export function parseEvent(raw: unknown): SuggestionEvent {
  return suggestionEventSchema.parse(raw);
}
