/** Contracts of statistics (办理统计) and the supervision lists (督办). */
import { z } from 'zod';
import { optionalQuery, queryInt } from './common';

/** GET /api/stats (and the 统计表 export): group by and filters. */
export const statsQuery = z.object({
  by: z.enum(['unit', 'town', 'session']).default('unit'),
  sessionYear: optionalQuery(queryInt(1949, 9999)),
  unitId: optionalQuery(z.uuid()),
  town: optionalQuery(z.string().trim().min(1).max(50)),
});

/** GET /api/stats/items: the items behind one row (drill-down). */
export const statsItemsQuery = statsQuery.extend({
  key: optionalQuery(z.string().trim().max(64)),
  q: optionalQuery(z.string().trim().min(1).max(100)),
  page: queryInt(1, 1_000_000).default(1),
  pageSize: queryInt(1, 200).default(50),
});

/** GET /api/supervision/overdue and /at-risk. */
export const supervisionQuery = z.object({
  days: queryInt(1, 120).default(5),
  unitId: optionalQuery(z.uuid()),
  page: queryInt(1, 1_000_000).default(1),
  pageSize: queryInt(1, 200).default(50),
});
