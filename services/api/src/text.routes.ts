/**
 * Issue 12 routes: likely duplicates while drafting and at pre-review, recommended units at assignment,
 * the recommendation's agreement with the reviewers, and the units' remit texts (admin).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { DataSource } from 'typeorm';
import { audit } from '@jianyi/platform';
import { currentUser } from './http/auth';
import { problems } from './http/problem';
import { validate } from './http/validate';
import { agreementQuery, similarQuery, unitRemitBody } from './contracts/text';
import { TextService } from './text.service';

const uuid = z.uuid();

const DRAFTERS_AND_REVIEWERS = ['deputy', 'reviewer', 'coordinator', 'supervisor', 'admin'];
const ASSIGNERS = ['reviewer', 'coordinator'];

export function textRoutes(ds: DataSource, svc = new TextService(ds)): Router {
  const r = Router();

  /** While drafting: items that look like the same proposal (title and a few lines are enough). */
  r.get('/suggestions/similar', async (req, res) => {
    const user = currentUser(req);
    if (!DRAFTERS_AND_REVIEWERS.includes(user.role))
      throw problems.forbidden('not a role that drafts or reviews');
    const q = validate(similarQuery, req.query);
    if (q.title.length + q.content.length < 4) return void res.json({ items: [] });
    res.json({ items: await svc.similar(user, q.title, q.content) });
  });

  /** At pre-review: the likely duplicates of one item, side by side. */
  r.get('/suggestions/:id/similar', async (req, res) => {
    const user = currentUser(req);
    if (!['reviewer', 'coordinator', 'supervisor', 'admin'].includes(user.role))
      throw problems.forbidden('only reviewers compare items');
    if (!uuid.safeParse(req.params.id).success) throw problems.notFound('suggestion');
    const rows: { title: string; content: string }[] = await ds.query(
      `SELECT title, content FROM suggestions WHERE id = $1 AND status <> 'draft'`,
      [req.params.id],
    );
    const s = rows[0];
    if (!s) throw problems.notFound('suggestion');
    res.json({
      items: await svc.similar(user, s.title, s.content, { excludeId: req.params.id }),
      content: s.content,
    });
  });

  /** At assignment: the three likeliest lead units and co-handlers with a reason each. */
  r.get('/suggestions/:id/recommended-units', async (req, res) => {
    const user = currentUser(req);
    if (!ASSIGNERS.includes(user.role)) throw problems.forbidden('only the reviewer or coordinator assigns');
    if (!uuid.safeParse(req.params.id).success) throw problems.notFound('suggestion');
    const out = await svc.recommend(req.params.id);
    if (!out) throw problems.notFound('suggestion');
    res.json(out);
  });

  r.get('/stats/recommendation-agreement', async (req, res) => {
    const user = currentUser(req);
    if (!['reviewer', 'coordinator', 'supervisor', 'admin'].includes(user.role))
      throw problems.forbidden('only reviewers, coordinators, supervisors and admins');
    res.json(await svc.agreement(validate(agreementQuery, req.query).days));
  });

  r.get('/admin/unit-remits', async (req, res) => {
    if (currentUser(req).role !== 'admin') throw problems.forbidden('admin only');
    res.json({ items: await ds.query(`SELECT id, code, name, remit FROM units ORDER BY code`) });
  });
  r.put('/admin/unit-remits/:id', async (req, res) => {
    const user = currentUser(req);
    if (user.role !== 'admin') throw problems.forbidden('admin only');
    if (!uuid.safeParse(req.params.id).success) throw problems.notFound('unit');
    const b = validate(unitRemitBody, req.body);
    const rows: { id: string; code: string; name: string; remit: string }[] = await ds.transaction(
      async (m) => {
        const before: { remit: string }[] = await m.query(
          `SELECT remit FROM units WHERE id = $1 FOR UPDATE`,
          [req.params.id],
        );
        if (!before[0]) return [];
        await m.query(`UPDATE units SET remit = $2 WHERE id = $1`, [req.params.id, b.remit]);
        const after = await m.query(`SELECT id, code, name, remit FROM units WHERE id = $1`, [req.params.id]);
        await audit(m, {
          actorUserId: user.id,
          actorRole: user.role,
          action: 'unit.remit_updated',
          entityType: 'unit',
          entityId: req.params.id,
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
