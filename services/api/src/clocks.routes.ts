/**
 * GET /api/me/clocks, 与我有关的期限: every running clock of the calling deputy's items (as lead or
 * co-signer), each with who holds it: the reviewer's pre-review and assignment clocks, each unit's
 * reply deadline, and the deputy's own evaluation deadline (满意度测评). Deputies only. Each item's
 * clocks are what its timeline shows (timeline.service.ts), so the two never disagree.
 */
import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { PolicyRegistry } from '@jianyi/domain';
import { currentUser } from './http/auth';
import { problems } from './http/problem';
import { TimelineService } from './timeline.service';

const OPEN = ['submitted', 'accepted', 'assigned', 'handling', 'replied', 'rehandling'];

export function clockRoutes(ds: DataSource, opts: { policies?: PolicyRegistry } = {}): Router {
  const r = Router();
  const timelines = new TimelineService(ds, opts.policies);

  r.get('/me/clocks', async (req, res) => {
    const user = currentUser(req);
    if (user.role !== 'deputy' || !user.deputyId)
      throw problems.forbidden('only deputies have clocks of their own');
    const items: {
      id: string;
      title: string;
      registrationNo: string | null;
      status: string;
      lead: boolean;
    }[] = await ds.query(
      `SELECT s.id, s.title, s.registration_no AS "registrationNo", s.status, s.lead_deputy_id = $1 AS lead
         FROM suggestions s
         WHERE s.status = ANY($2::varchar[])
           AND (s.lead_deputy_id = $1 OR EXISTS (SELECT 1 FROM suggestion_cosigners c WHERE c.suggestion_id = s.id AND c.deputy_id = $1))
         ORDER BY s.updated_at DESC, s.id`,
      [user.deputyId, OPEN],
    );
    const out = [];
    for (const it of items) {
      const tl = await timelines.timeline(user, it.id);
      if (!tl) continue;
      const clocks = [
        ...(tl.evaluationDeadline
          ? [
              {
                clock: 'evaluation' as const,
                holder: 'deputy' as const,
                unitName: null,
                ...tl.evaluationDeadline,
              },
            ]
          : []),
        ...tl.deadlines.map((d) => ({
          clock:
            d.scope === 'unit'
              ? ('reply' as const)
              : it.status === 'submitted'
                ? ('pre_review' as const)
                : ('assignment' as const),
          holder: d.scope === 'unit' ? ('units' as const) : ('reviewer' as const),
          unitName: d.unitName,
          deadlineAt: d.deadlineAt,
          deadlineDate: d.deadlineDate,
          workingDaysLeft: d.workingDaysLeft,
          overdue: d.overdue,
          level: d.level,
          ...(d.provisional ? { provisional: true } : {}),
        })),
      ].map(({ round: _r, scope: _s, unitId: _u, role: _ro, ...c }: Record<string, unknown>) => c);
      if (clocks.length) out.push({ ...it, clocks });
    }
    res.json({ items: out });
  });
  return r;
}
