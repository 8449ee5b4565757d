/**
 * Issue 12 routes: likely duplicates while drafting and at pre-review, recommended units at assignment,
 * the recommendation's agreement with the reviewers, and the units' remit texts (admin).
 */
import { Router } from 'express';
import { roleSets } from '@jianyi/domain';
import type { DataSource } from 'typeorm';
import { isOverseer } from '@jianyi/platform';
import { currentUser } from './http/auth';
import { problems } from './http/problem';
import { pathId, validate } from './http/validate';
import { agreementQuery, similarQuery, unitRemitBody } from './contracts/text';
import { TextService } from './text.service';
import { SuggestionRepository } from './suggestion.repository';
import { UnitRepository } from './unit.repository';

const ASSIGNERS: readonly string[] = roleSets.assigners;

export function textRoutes(ds: DataSource, svc = new TextService(ds)): Router {
  const r = Router();
  const suggestions = new SuggestionRepository(ds);
  const units = new UnitRepository(ds);

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
    const s = await suggestions.submittedText(id);
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
    res.json({ items: await units.remits() });
  });
  r.put('/admin/unit-remits/:id', async (req, res) => {
    const user = currentUser(req);
    if (user.role !== 'admin') throw problems.forbidden('admin only');
    const unitId = pathId(req.params.id, 'unit');
    const b = validate(unitRemitBody, req.body);
    const row = await units.setRemit({ user, requestId: req.requestId ?? null }, unitId, b.remit);
    if (!row) throw problems.notFound('unit');
    res.json(row);
  });
  return r;
}
