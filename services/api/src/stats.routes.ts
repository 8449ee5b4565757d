/**
 * Statistics (办理统计) and supervision (督办) lists, mounted at /api after requireUser:
 * - GET /api/stats?by=unit|town|session&sessionYear=&unitId=&town=  — counts and rates per group;
 * - GET /api/stats/items?by=&key=&…                                 — the items behind a row (drill-down);
 * - GET /api/supervision/overdue, /api/supervision/at-risk?days=N   — items to urge (催办 is POST /api/suggestions/:id/urge).
 * Reviewers, coordinators, supervisors and admins see all; a unit's users only their own unit.
 */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { actsForUnit, isOverseer, loadWorkCalendar, ownUnit } from '@jianyi/platform';
import { addDays, chinaDateOf, dayOfWeek, isDeadlineProvisional } from '@jianyi/domain';
import { currentUser } from './http/auth';
import { problems } from './http/problem';
import { validate } from './http/validate';
import {
  statsItemsQuery,
  statsQuery,
  statsTrendQuery,
  supervisionQuery,
  supervisionTodayQuery,
} from './contracts/stats';
import { StatsRepository, rateDefinitions, type StatsFilter } from './stats.repository';
import { messageStatsQuery } from './contracts/intake';
import { messageStats, messageStatsDefinitions } from './message-stats';

/** Overseers and unit users may read statistics; a unit user's filter is forced to their unit. */
export function statsScope(req: Parameters<typeof currentUser>[0], f: StatsFilter): StatsFilter {
  const user = currentUser(req);
  const own = ownUnit(user);
  if (!isOverseer(user) && !own) throw problems.forbidden(`role "${user.role}" may not read statistics`);
  if (own && f.unitId && !actsForUnit(user, f.unitId))
    throw problems.forbidden('a unit may only read its own figures');
  return own ? { ...f, unitId: own } : f;
}

export function statsRoutes(ds: DataSource): Router {
  const repo = new StatsRepository(ds);
  const r = Router();

  r.get('/stats', async (req, res) => {
    const q = validate(statsQuery, req.query);
    const f = statsScope(req, {
      sessionYear: q.sessionYear,
      session: q.session,
      unitId: q.unitId,
      town: q.town,
    });
    const out = await repo.stats(q.by, f);
    res.json({ by: q.by, filter: f, definitions: rateDefinitions, ...out });
  });

  r.get('/stats/trend', async (req, res) => {
    const q = validate(statsTrendQuery, req.query);
    const f = statsScope(req, {
      sessionYear: q.sessionYear,
      session: q.session,
      unitId: q.unitId,
      town: q.town,
    });
    res.json({ months: q.months, filter: f, rows: await repo.trend(q.months, f) });
  });

  /** 群众留言统计: overseers only (a unit's users see their forwarded messages in their inbox). */
  r.get('/stats/messages', async (req, res) => {
    const user = currentUser(req);
    if (!isOverseer(user))
      throw problems.forbidden(`role "${user.role}" may not read the message statistics`);
    const q = validate(messageStatsQuery, req.query);
    res.json({ ...(await messageStats(ds, q)), definitions: messageStatsDefinitions });
  });

  r.get('/stats/items', async (req, res) => {
    const q = validate(statsItemsQuery, req.query);
    const f = statsScope(req, {
      sessionYear: q.sessionYear,
      session: q.session,
      unitId: q.unitId,
      town: q.town,
    });
    const { items, total } = await repo.items(q.by, q.key, q.q, f, q.pageSize, (q.page - 1) * q.pageSize);
    res.json({ items, total, page: q.page, pageSize: q.pageSize });
  });

  const supervision =
    (kind: 'overdue' | 'at-risk') =>
    async (req: Parameters<typeof currentUser>[0], res: import('express').Response) => {
      const user = currentUser(req);
      if (!isOverseer(user) && !ownUnit(user))
        throw problems.forbidden(`role "${user.role}" may not read the supervision lists`);
      const q = validate(supervisionQuery, req.query);
      const calendar = await loadWorkCalendar(ds);
      const {
        items: rows,
        total,
        totalExact,
      } = await repo.supervision(user, kind, {
        calendar,
        withinWorkingDays: q.days,
        unitId: q.unitId,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      const items = rows.map((it) => {
        const units = it.units.map((u) => ({
          ...u,
          deadlineProvisional: isDeadlineProvisional(calendar, u.deadlineAt, u.assignedAt ?? null),
        }));
        return {
          ...it,
          units,
          deadlineProvisional: isDeadlineProvisional(
            calendar,
            it.deadlineAt,
            units
              .map((u) => u.assignedAt)
              .filter((x): x is string => !!x)
              .sort()[0] ?? null,
          ),
        };
      });
      res.json({
        items,
        total,
        totalExact,
        page: q.page,
        pageSize: q.pageSize,
        ...(kind === 'at-risk' ? { days: q.days } : {}),
      });
    };
  // 今日关注: the supervisor's landing page (overseers): overdue, due by the end of this week (working
  // days left through Sunday, China time), awaiting consultation (再次不满意, no summary yet), key items.
  r.get('/supervision/today', async (req, res) => {
    const user = currentUser(req);
    if (!isOverseer(user)) throw problems.forbidden(`role "${user.role}" may not read the supervision lists`);
    const q = validate(supervisionTodayQuery, req.query);
    const calendar = await loadWorkCalendar(ds);
    const today = chinaDateOf(Date.now());
    const sunday = addDays(today, (7 - dayOfWeek(today)) % 7);
    const daysLeft = Math.max(1, calendar.workingDaysBetween(today, sunday));
    const [overdue, dueThisWeek, extra] = await Promise.all([
      repo.supervision(user, 'overdue', { calendar, limit: q.limit, offset: 0 }),
      repo.supervision(user, 'at-risk', { calendar, withinWorkingDays: daysLeft, limit: q.limit, offset: 0 }),
      repo.today(q.limit),
    ]);
    res.json({
      today,
      weekEnds: sunday,
      overdue: { items: overdue.items, total: overdue.total },
      dueThisWeek: { items: dueThisWeek.items, total: dueThisWeek.total },
      awaitingConsultation: extra.awaitingConsultation,
      key: extra.key,
    });
  });
  r.get('/supervision/overdue', supervision('overdue'));
  r.get('/supervision/at-risk', supervision('at-risk'));
  return r;
}
