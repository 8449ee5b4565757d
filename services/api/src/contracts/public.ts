/** Contracts of the public replies (答复公开), readable without login. */
import { z } from 'zod';
import { optionalQuery, page, queryInt } from './common';

export const PUBLIC_MAX_PAGE_SIZE = 50;

/** GET /api/public/replies: search and page (every page bounded). */
export const publicReplyListQuery = z.object({
  q: optionalQuery(z.string().trim().min(1).max(100)),
  unitId: optionalQuery(z.uuid()),
  sessionYear: optionalQuery(queryInt(1949, 9999)),
  page: queryInt(1, 10_000).default(1),
  pageSize: queryInt(1, PUBLIC_MAX_PAGE_SIZE).default(10),
});

// ---- responses ----

const publishedReply = z.object({
  unitId: z.uuid(),
  unitName: z.string(),
  category: z.string().nullable(),
  body: z.string(),
  promisedDate: z.string().nullable(),
  sentAt: z.string().nullable(),
  round: z.number().int(),
});
const publicItem = z.object({
  id: z.uuid(),
  registrationNo: z.string().nullable(),
  title: z.string(),
  topic: z.string().nullable(),
  sessionYear: z.number().int().nullable(),
  leadDeputyName: z.string().nullable(),
  publishedAt: z.string(),
  replies: z.array(publishedReply),
  /** 优秀建议, with the reason. */
  excellent: z.boolean(),
  excellentReason: z.string().nullable(),
});
/** GET /api/public/replies. */
export const publicReplyPage = page(publicItem.extend({ excerpt: z.string() }));
/** GET /api/public/replies/:id. */
export const publicReplyView = publicItem.extend({ content: z.string() });
/** GET /api/public/facets. */
export const publicFacets = z.object({
  units: z.array(z.object({ id: z.uuid(), name: z.string() })),
  sessions: z.array(z.number().int()),
});

export type PublicReplyPage = z.infer<typeof publicReplyPage>;
export type PublicReplyView = z.infer<typeof publicReplyView>;
export type PublicFacets = z.infer<typeof publicFacets>;
