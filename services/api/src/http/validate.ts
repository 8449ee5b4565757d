/**
 * The one way a route checks its input against its contract: `validate(schema, value, labels)`
 * answers the parsed value or throws a 422 problem naming each rejected field in Chinese and
 * English; `pathId` answers 404 for a malformed id in the path (no such resource).
 */
import type { z } from 'zod';
import type { FieldLabels } from '../contracts/common';
import { uuid } from '../contracts/common';
import { problems, zodProblem } from './problem';

export function validate<S extends z.ZodType>(schema: S, value: unknown, labels?: FieldLabels): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw zodProblem(r.error, value, labels);
}

/** The path parameter `name` if it is a well-formed id (a UUID unless `schema` says otherwise); else 404 `what`. */
export function pathId(raw: string | undefined, what: string, schema: z.ZodType<string> = uuid): string {
  const r = schema.safeParse(raw);
  if (!r.success) throw problems.notFound(what);
  return r.data;
}
