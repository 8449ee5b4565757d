/**
 * Deputies (人大代表) for the admin (系统管理), mounted at /api/admin/deputies after requireUser:
 * list with search, create and edit. Every write runs in one transaction with its audit row.
 * Deputies are not deleted: their suggestions keep pointing at them.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { DataSource } from 'typeorm';
import { Role } from '@jianyi/domain';
import { audit } from '@jianyi/platform';
import { requireRole } from './http/auth';
import { problems } from './http/problem';
import { pathId, validate } from './http/validate';
import { deputyCreateBody, deputyLabels, deputyListQuery, deputyPatchBody } from './contracts/deputies';

const COLUMNS = `id, name, level, town, delegation, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  (SELECT count(*)::int FROM users u WHERE u.deputy_id = deputies.id) AS accounts`;

export function deputyAdminRoutes(ds: DataSource): Router {
  const r = Router();
  const admin = (req: Request) => requireRole(req, Role.admin);

  r.get('/', async (req, res) => {
    admin(req);
    const q = validate(deputyListQuery, req.query, deputyLabels);
    const params: unknown[] = [];
    let where = 'true';
    if (q.q) {
      params.push(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where = `(name ILIKE $1 ESCAPE '\\' OR town ILIKE $1 ESCAPE '\\' OR delegation ILIKE $1 ESCAPE '\\')`;
    }
    const countParams = [...params];
    params.push(q.pageSize, (q.page - 1) * q.pageSize);
    const [total, items] = await Promise.all([
      ds.query(`SELECT count(*)::int AS n FROM deputies WHERE ${where}`, countParams) as Promise<
        { n: number }[]
      >,
      ds.query(
        `SELECT ${COLUMNS} FROM deputies WHERE ${where} ORDER BY town, name, id LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      ),
    ]);
    res.json({ items, total: total[0]!.n, page: q.page, pageSize: q.pageSize });
  });

  r.post('/', async (req, res) => {
    const user = admin(req);
    const b = validate(deputyCreateBody, req.body, deputyLabels);
    const out = await ds.transaction(async (m) => {
      const rows: unknown[] = await m.query(
        `INSERT INTO deputies (id, name, level, town, delegation) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [randomUUID(), b.name, b.level, b.town, b.delegation],
      );
      const row = rows[0] as { id: string };
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'deputy.create',
        entityType: 'deputy',
        entityId: row.id,
        after: b,
        requestId: req.requestId ?? null,
      });
      return row;
    });
    res.status(201).json(out);
  });

  r.patch('/:id', async (req, res) => {
    const user = admin(req);
    const id = pathId(req.params.id, 'deputy');
    const b = validate(deputyPatchBody, req.body, deputyLabels);
    const out = await ds.transaction(async (m) => {
      const before: Record<string, unknown>[] = await m.query(
        `SELECT name, level, town, delegation FROM deputies WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!before[0]) throw problems.notFound('deputy');
      // TypeORM answers an UPDATE … RETURNING with [rows, affected].
      const [rows]: [unknown[], number] = await m.query(
        `UPDATE deputies SET name = COALESCE($2, name), level = COALESCE($3, level), town = COALESCE($4, town), delegation = COALESCE($5, delegation)
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, b.name ?? null, b.level ?? null, b.town ?? null, b.delegation ?? null],
      );
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'deputy.update',
        entityType: 'deputy',
        entityId: id,
        before: before[0],
        after: b,
        requestId: req.requestId ?? null,
      });
      return rows[0];
    });
    res.json(out);
  });
  return r;
}
