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

/**
 * `q`, `page` and `pageSize` of a paged, searched list (the admin lists, stations): the keyword
 * trimmed (empty = none), whole page numbers ("abc" and 0 are 422 naming the field).
 */
export const listQuery = (o: { pageSize: number; maxQ?: number }) => ({
  q: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string()
      .trim()
      .max(o.maxQ ?? 64)
      .optional(),
  ),
  page: queryInt(1, 100_000).default(1),
  pageSize: queryInt(1, 200).default(o.pageSize),
});
/** Chinese labels of the list fields. */
export const listLabels: FieldLabels = { q: '搜索词', page: '页码', pageSize: '每页条数' };

/** A timestamp as the API writes it (ISO 8601). */
export const timestamp = z.string();
/** A day in China time, 'YYYY-MM-DD'. */
export const calendarDate = z.string();

/** RFC 9457 problem document: every refusal, in Chinese (title, message) and English (detail, messageEn). */
export const problemDocument = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string(), messageEn: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

/** A page of a list: the items and where they are in the whole. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
/** A list answered whole (bounded by the server), with its count. */
export const itemsWithTotal = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int() });
