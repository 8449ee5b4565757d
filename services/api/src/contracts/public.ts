/** Contracts of the public replies (答复公开), readable without login. */
import { z } from 'zod';
import { optionalQuery, queryInt } from './common';

export const PUBLIC_MAX_PAGE_SIZE = 50;

/** GET /api/public/replies: search and page (every page bounded). */
export const publicReplyListQuery = z.object({
  q: optionalQuery(z.string().trim().min(1).max(100)),
  unitId: optionalQuery(z.uuid()),
  sessionYear: optionalQuery(queryInt(1949, 9999)),
  page: queryInt(1, 10_000).default(1),
  pageSize: queryInt(1, PUBLIC_MAX_PAGE_SIZE).default(10),
});
