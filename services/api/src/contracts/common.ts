/**
 * Building blocks the contracts share. Contracts import zod and @jianyi/domain only, so the web can
 * import them (and infer its types from them) without pulling in server code.
 */
import { z } from 'zod';

/** Chinese labels of fields, for problem documents ("标题:不能为空"); keyed by the field's path. */
export type FieldLabels = Record<string, string>;

/** A UUID path parameter or field. A malformed id in a path answers 404, not 422. */
export const uuid = z.uuid();

/** A query value the client left empty counts as not given. */
export const optionalQuery = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** "true" / "false" in a query string. */
export const queryBool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A whole number written in the query string, then range-checked (so "abc" is a format error, not "required"). */
export const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
