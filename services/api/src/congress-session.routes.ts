/**
 * 届次 (congress sessions) for the admin, mounted at /api/admin/sessions after requireUser: list,
 * create, edit the dates or name, delete. A suggestion belongs to the session whose dates contain
 * the day it was submitted (China time), otherwise to 闭会期间; sessions therefore may not overlap.
 * Every write runs in one transaction with its audit row.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { DataSource, EntityManager } from 'typeorm';
import { Role } from '@jianyi/domain';
import { audit } from '@jianyi/platform';
import { requireRole } from './http/auth';
import { HttpProblem, problems } from './http/problem';
import { pathId, validate } from './http/validate';
import {
  congressSessionCreateBody,
  congressSessionLabels,
  congressSessionPatchBody,
} from './contracts/congress-sessions';

/** The day a suggestion was submitted, China time (the same rule as the workflow's assignment clock). */
export const SUBMITTED_DAY = `(s.submitted_at AT TIME ZONE 'Asia/Shanghai')::date`;

const COLUMNS = `cs.id, cs.term, cs.session, cs.name, cs.starts_on::text AS "startsOn", cs.ends_on::text AS "endsOn",
  (SELECT count(*)::int FROM suggestions s WHERE s.submitted_at IS NOT NULL AND ${SUBMITTED_DAY} BETWEEN cs.starts_on AND cs.ends_on) AS suggestions`;

const conflict = (zh: string, en: string, field: string) =>
  new HttpProblem(409, zh, en, [{ field, message: zh, messageEn: en }]);

/** Refuses dates that overlap another session, or a term/session pair that exists (409). */
async function checkFree(
  m: EntityManager,
  s: { id: string; term: number; session: number; startsOn: string; endsOn: string },
) {
  const same: unknown[] = await m.query(
    `SELECT 1 FROM congress_sessions WHERE term = $1 AND session = $2 AND id <> $3`,
    [s.term, s.session, s.id],
  );
  if (same.length)
    throw conflict('该届次已存在', `session ${s.session} of term ${s.term} already exists`, 'session');
  const overlap: { name: string }[] = await m.query(
    `SELECT name FROM congress_sessions WHERE id <> $1 AND starts_on <= $3::date AND ends_on >= $2::date`,
    [s.id, s.startsOn, s.endsOn],
  );
  if (overlap.length)
    throw conflict(`会期与${overlap[0]!.name}重叠`, `the dates overlap ${overlap[0]!.name}`, 'startsOn');
}

export function congressSessionRoutes(ds: DataSource): Router {
  const r = Router();
  const admin = (req: Request) => requireRole(req, Role.admin);
  const one = async (m: EntityManager | DataSource, id: string) =>
    ((await m.query(`SELECT ${COLUMNS} FROM congress_sessions cs WHERE cs.id = $1`, [id])) as unknown[])[0];

  r.get('/', async (req, res) => {
    admin(req);
    const items: unknown[] = await ds.query(
      `SELECT ${COLUMNS} FROM congress_sessions cs ORDER BY cs.starts_on DESC`,
    );
    res.json({ items });
  });

  r.post('/', async (req, res) => {
    const user = admin(req);
    const b = validate(congressSessionCreateBody, req.body, congressSessionLabels);
    const id = randomUUID();
    const name = b.name ?? `第${b.term}届人民代表大会第${b.session}次会议`;
    const out = await ds.transaction(async (m) => {
      await m.query(`LOCK TABLE congress_sessions IN SHARE ROW EXCLUSIVE MODE`);
      await checkFree(m, { id, ...b });
      await m.query(
        `INSERT INTO congress_sessions (id, term, session, name, starts_on, ends_on) VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, b.term, b.session, name, b.startsOn, b.endsOn],
      );
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'congress_session.create',
        entityType: 'congress_session',
        entityId: id,
        after: { ...b, name },
        requestId: req.requestId ?? null,
      });
      return one(m, id);
    });
    res.status(201).json(out);
  });

  r.patch('/:id', async (req, res) => {
    const user = admin(req);
    const id = pathId(req.params.id, 'session');
    const b = validate(congressSessionPatchBody, req.body, congressSessionLabels);
    const out = await ds.transaction(async (m) => {
      await m.query(`LOCK TABLE congress_sessions IN SHARE ROW EXCLUSIVE MODE`);
      const before = (await one(m, id)) as
        { term: number; session: number; name: string; startsOn: string; endsOn: string } | undefined;
      if (!before) throw problems.notFound('session');
      const next = { ...before, ...Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)) };
      if (next.startsOn > next.endsOn)
        throw problems.invalid([
          {
            field: 'endsOn',
            message: '闭幕日期不能早于开幕日期',
            messageEn: 'the session cannot close before it opens',
          },
        ]);
      await checkFree(m, { id, ...next });
      await m.query(`UPDATE congress_sessions SET name = $2, starts_on = $3, ends_on = $4 WHERE id = $1`, [
        id,
        next.name,
        next.startsOn,
        next.endsOn,
      ]);
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'congress_session.update',
        entityType: 'congress_session',
        entityId: id,
        before,
        after: b,
        requestId: req.requestId ?? null,
      });
      return one(m, id);
    });
    res.json(out);
  });

  r.delete('/:id', async (req, res) => {
    const user = admin(req);
    const id = pathId(req.params.id, 'session');
    await ds.transaction(async (m) => {
      const before = await one(m, id);
      if (!before) throw problems.notFound('session');
      await m.query(`DELETE FROM congress_sessions WHERE id = $1`, [id]);
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'congress_session.delete',
        entityType: 'congress_session',
        entityId: id,
        before: before as Record<string, unknown>,
        requestId: req.requestId ?? null,
      });
    });
    res.status(204).end();
  });
  return r;
}
