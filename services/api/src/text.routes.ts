/**
 * Issue 12 routes: likely duplicates while drafting and at pre-review, recommended units at assignment,
 * the recommendation's agreement with the reviewers, and the units' remit texts (admin).
 */
import { Router } from 'express';
import { roleSets } from '@jianyi/domain';
import type { DataSource } from 'typeorm';
import { audit } from '@jianyi/platform';
import { currentUser } from './http/auth';
import { problems } from './http/problem';
import { pathId, validate } from './http/validate';
import { agreementQuery, similarQuery, unitRemitBody } from './contracts/text';
import { TextService } from './text.service';
import { isOverseer } from './stats.repository';

const ASSIGNERS: readonly string[] = roleSets.assigners;

export function textRoutes(ds: DataSource, svc = new TextService(ds)): Router {
  const r = Router();

  /** While drafting: items that look like the same proposal (title and a few lines are enough). */
  r.get('/suggestions/similar', async (req, res) => {
    const user = currentUser(req);
    if (user.role !== 'deputy' && !isOverseer(user))
      throw problems.forbidden('not a role that drafts or reviews');
    const q = validate(similarQuery, req.query);
    if (q.title.length + q.content.length < 4) return void res.json({ items: [] });
    res.json({ items: await svc.similar(user, q.title, q.content) });
  });

  /** At pre-review: the likely duplicates of one item, side by side. */
  r.get('/suggestions/:id/similar', async (req, res) => {
    const user = currentUser(req);
    if (!isOverseer(user)) throw problems.forbidden('only reviewers compare items');
    const id = pathId(req.params.id, 'suggestion');
    const rows: { title: string; content: string }[] = await ds.query(
      `SELECT title, content FROM suggestions WHERE id = $1 AND status <> 'draft'`,
      [id],
    );
    const s = rows[0];
    if (!s) throw problems.notFound('suggestion');
    res.json({
      items: await svc.similar(user, s.title, s.content, { excludeId: id }),
      content: s.content,
    });
  });

  /** At assignment: the three likeliest lead units and co-handlers with a reason each. */
  r.get('/suggestions/:id/recommended-units', async (req, res) => {
    const user = currentUser(req);
    if (!ASSIGNERS.includes(user.role)) throw problems.forbidden('only the reviewer or coordinator assigns');
    const out = await svc.recommend(pathId(req.params.id, 'suggestion'));
    if (!out) throw problems.notFound('suggestion');
    res.json(out);
  });

  r.get('/stats/recommendation-agreement', async (req, res) => {
    const user = currentUser(req);
    if (!isOverseer(user)) throw problems.forbidden('only reviewers, coordinators, supervisors and admins');
    res.json(await svc.agreement(validate(agreementQuery, req.query).days));
  });

  r.get('/admin/unit-remits', async (req, res) => {
    if (currentUser(req).role !== 'admin') throw problems.forbidden('admin only');
    res.json({ items: await ds.query(`SELECT id, code, name, remit FROM units ORDER BY code`) });
  });
  r.put('/admin/unit-remits/:id', async (req, res) => {
    const user = currentUser(req);
    if (user.role !== 'admin') throw problems.forbidden('admin only');
    const unitId = pathId(req.params.id, 'unit');
    const b = validate(unitRemitBody, req.body);
    const rows: { id: string; code: string; name: string; remit: string }[] = await ds.transaction(
      async (m) => {
        const before: { remit: string }[] = await m.query(
          `SELECT remit FROM units WHERE id = $1 FOR UPDATE`,
          [unitId],
        );
        if (!before[0]) return [];
        await m.query(`UPDATE units SET remit = $2 WHERE id = $1`, [unitId, b.remit]);
        const after = await m.query(`SELECT id, code, name, remit FROM units WHERE id = $1`, [unitId]);
        await audit(m, {
          actorUserId: user.id,
          actorRole: user.role,
          action: 'unit.remit_updated',
          entityType: 'unit',
          entityId: unitId,
          before: before[0],
          after: { remit: b.remit },
          requestId: req.requestId ?? null,
        });
        return after;
      },
    );
    if (!rows[0]) throw problems.notFound('unit');
    res.json(rows[0]);
  });
  return r;
}
