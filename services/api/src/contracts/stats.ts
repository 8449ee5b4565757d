/** Contracts of statistics (办理统计) and the supervision lists (督办). */
import { z } from 'zod';
import { optionalQuery, page, queryInt } from './common';

/** GET /api/stats (and the 统计表 export): group by and filters. */
export const statsQuery = z.object({
  by: z.enum(['unit', 'town', 'session', 'topic']).default('unit'),
  sessionYear: optionalQuery(queryInt(1949, 9999)),
  /** 届次: a congress session's id or `interim:<term>` (闭会期间), as the rows of by=session are keyed. */
  session: optionalQuery(z.string().trim().min(1).max(64)),
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

/** GET /api/stats/trend: the last N months (the filters as GET /api/stats). */
export const statsTrendQuery = statsQuery.omit({ by: true }).extend({
  months: queryInt(1, 60).default(12),
});

/** GET /api/supervision/today: how many of each list to show. */
export const supervisionTodayQuery = z.object({ limit: queryInt(1, 50).default(10) });

/** GET /api/supervision/overdue and /at-risk. */
export const supervisionQuery = z.object({
  days: queryInt(1, 120).default(5),
  unitId: optionalQuery(z.uuid()),
  page: queryInt(1, 1_000_000).default(1),
  pageSize: queryInt(1, 200).default(50),
});

// ---- responses ----

const count = z.number().int();
const rate = z.number().nullable();
const statsCounts = {
  assigned: count,
  closed: count,
  onTime: count,
  replied: count,
  met: count,
  contacted: count,
  evaluated: count,
  satisfied: count,
  basicallySatisfied: count,
  solved: count,
  solvedAB: count,
  closedRate: rate,
  onTimeRate: rate,
  meetingRate: rate,
  contactRate: rate,
  satisfiedRate: rate,
  basicallySatisfiedRate: rate,
  solvedRate: rate,
  solvedABRate: rate,
};

/** GET /api/stats: one row per group, the total, and the definitions of the rates. */
export const statsTable = z.object({
  by: z.enum(['unit', 'town', 'session', 'topic']),
  filter: z.object({
    sessionYear: z.number().int().optional(),
    session: z.string().optional(),
    unitId: z.uuid().optional(),
    town: z.string().optional(),
  }),
  definitions: z.array(z.looseObject({ key: z.string(), zh: z.string(), en: z.string() })),
  rows: z.array(z.object({ key: z.string(), label: z.string(), ...statsCounts })),
  total: z.object(statsCounts),
});

/** GET /api/stats/items: the items behind a row. */
export const statsItemsPage = page(
  z.looseObject({
    id: z.uuid(),
    title: z.string(),
    status: z.string(),
    registrationNo: z.string().nullable(),
  }),
);

/** One item of the supervision lists (督办). */
export const supervisionItem = z
  .looseObject({
    id: z.uuid(),
    title: z.string(),
    status: z.string(),
    registrationNo: z.string().nullable(),
    leadDeputyName: z.string().nullable(),
    town: z.string().nullable(),
    sessionYear: z.number().int().nullable(),
    keySupervision: z.boolean(),
    deadlineAt: z.string().nullable(),
    overdue: z.boolean(),
    units: z.array(
      z.object({
        unitId: z.uuid(),
        unitName: z.string(),
        role: z.string(),
        status: z.string(),
        deadlineAt: z.string().nullable(),
      }),
    ),
    urgeCount: z.number().int(),
    lastUrgedAt: z.string().nullable(),
  })
  .meta({ id: 'SupervisionItem' });
/** GET /api/supervision/overdue; /at-risk adds `days`. */
export const supervisionPage = page(supervisionItem).extend({ days: z.number().int().optional() });

export type StatsTable = z.infer<typeof statsTable>;
export type SupervisionItem = z.infer<typeof supervisionItem>;
export type SupervisionPage = z.infer<typeof supervisionPage>;

/** GET /api/stats/trend: one row per month (China time), oldest first. */
export const statsTrend = z.object({
  months: z.number().int(),
  filter: statsTable.shape.filter,
  rows: z.array(
    z.object({
      month: z.string(),
      received: count,
      assigned: count,
      replied: count,
      onTime: count,
      evaluated: count,
      satisfied: count,
      satisfiedRate: rate,
    }),
  ),
});

const todayItem = z.looseObject({
  id: z.uuid(),
  title: z.string(),
  status: z.string(),
  registrationNo: z.string().nullable(),
  leadDeputyName: z.string().nullable(),
  keySupervision: z.boolean(),
  deadlineAt: z.string().nullable(),
  overdue: z.boolean(),
});
const todayList = z.object({ items: z.array(todayItem), total: z.number().int() });
/** GET /api/supervision/today: 今日关注, each list's first items and its total. */
export const supervisionToday = z.object({
  today: z.string(),
  weekEnds: z.string(),
  overdue: todayList,
  dueThisWeek: todayList,
  awaitingConsultation: todayList,
  key: todayList,
});
export type StatsTrend = z.infer<typeof statsTrend>;
export type SupervisionToday = z.infer<typeof supervisionToday>;
