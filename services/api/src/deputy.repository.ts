/**
 * Deputies (人大代表) as the admin manages them: list with search, create and edit. Every write runs in
 * one transaction with its audit row. Deputies are not deleted: their suggestions keep pointing at them.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { audit } from '@jianyi/platform';
import type { AdminActor } from './admin.service';
import type { deputyCreateBody, deputyListQuery, deputyPatchBody } from './contracts/deputies';

const COLUMNS = `id, name, level, town, delegation, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  (SELECT count(*)::int FROM users u WHERE u.deputy_id = deputies.id) AS accounts`;

export class DeputyRepository {
  constructor(private ds: DataSource) {}

  /** Deputies by town and name (public facts about them), for the co-signer picker. */
  directory(): Promise<{ id: string; name: string; town: string; level: string }[]> {
    return this.ds.query(`SELECT id, name, town, level FROM deputies ORDER BY town, name`);
  }

  async list(q: z.infer<typeof deputyListQuery>): Promise<{ items: unknown[]; total: number }> {
    const params: unknown[] = [];
    let where = 'true';
    if (q.q) {
      params.push(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where = `(name ILIKE $1 ESCAPE '\\' OR town ILIKE $1 ESCAPE '\\' OR delegation ILIKE $1 ESCAPE '\\')`;
    }
    const countParams = [...params];
    params.push(q.pageSize, (q.page - 1) * q.pageSize);
    const [total, items] = await Promise.all([
      this.ds.query(`SELECT count(*)::int AS n FROM deputies WHERE ${where}`, countParams) as Promise<
        { n: number }[]
      >,
      this.ds.query(
        `SELECT ${COLUMNS} FROM deputies WHERE ${where} ORDER BY town, name, id LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      ) as Promise<unknown[]>,
    ]);
    return { items, total: total[0]!.n };
  }

  async create(actor: AdminActor, b: z.infer<typeof deputyCreateBody>): Promise<{ id: string }> {
    return this.ds.transaction(async (m) => {
      const rows: unknown[] = await m.query(
        `INSERT INTO deputies (id, name, level, town, delegation) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [randomUUID(), b.name, b.level, b.town, b.delegation],
      );
      const row = rows[0] as { id: string };
      await audit(m, {
        actorUserId: actor.user.id,
        actorRole: actor.user.role,
        action: 'deputy.create',
        entityType: 'deputy',
        entityId: row.id,
        after: b,
        requestId: actor.requestId ?? null,
      });
      return row;
    });
  }

  /** The deputy after the change, or null when there is no such deputy. */
  async update(actor: AdminActor, id: string, b: z.infer<typeof deputyPatchBody>): Promise<unknown> {
    return this.ds.transaction(async (m) => {
      const before: Record<string, unknown>[] = await m.query(
        `SELECT name, level, town, delegation FROM deputies WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!before[0]) return null;
      // TypeORM answers an UPDATE … RETURNING with [rows, affected].
      const [rows]: [unknown[], number] = await m.query(
        `UPDATE deputies SET name = COALESCE($2, name), level = COALESCE($3, level), town = COALESCE($4, town), delegation = COALESCE($5, delegation)
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, b.name ?? null, b.level ?? null, b.town ?? null, b.delegation ?? null],
      );
      await audit(m, {
        actorUserId: actor.user.id,
        actorRole: actor.user.role,
        action: 'deputy.update',
        entityType: 'deputy',
        entityId: id,
        before: before[0],
        after: b,
        requestId: actor.requestId ?? null,
      });
      return rows[0];
    });
  }
}
