/**
 * Deputies (人大代表) as the admin manages them: list with search, create and edit. Every write runs in
 * one transaction with its audit row. Deputies are not deleted: their suggestions keep pointing at them.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { audit } from '@jianyi/platform';
import type { AdminActor } from './admin.service';
import { Filters, pageOf } from './sql';
import type { deputyCreateBody, deputyListQuery, deputyPatchBody } from './contracts/deputies';

const COLUMNS = `id, name, level, town, delegation, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  (SELECT count(*)::int FROM users u WHERE u.deputy_id = deputies.id) AS accounts`;

/** The indexed expression of the deputy search (migration AdminListSearch). */
const DEPUTY_SEARCH = `name || ' ' || town || ' ' || delegation`;

export class DeputyRepository {
  constructor(private ds: DataSource) {}

  /** Deputies by town and name (public facts about them), for the co-signer picker. */
  async directory(q: { q?: string; limit?: number } = {}): Promise<{
    items: { id: string; name: string; town: string; level: string }[];
    total: number;
  }> {
    if (q.q === undefined && q.limit === undefined) {
      const items = await this.ds.query(`SELECT id, name, town, level FROM deputies ORDER BY town, name, id`);
      return { items, total: items.length };
    }
    const filters = new Filters().search(q.q, DEPUTY_SEARCH, ['name', 'town', 'delegation']);
    return pageOf(this.ds, {
      select: 'id, name, town, level',
      from: 'deputies',
      filters,
      orderBy: 'town, name, id',
      page: 1,
      pageSize: q.limit ?? 50,
    });
  }

  list(q: z.infer<typeof deputyListQuery>): Promise<{ items: unknown[]; total: number }> {
    const filters = new Filters()
      .add(q.level, (p) => `level = ${p}`)
      .add(q.delegation, (p) => `delegation = ${p}`)
      .add(q.town, (p) => `town = ${p}`)
      .search(q.q, DEPUTY_SEARCH, ['name', 'town', 'delegation']);
    return pageOf(this.ds, { select: COLUMNS, from: 'deputies', filters, orderBy: 'town, name, id', ...q });
  }

  /** The delegations with their number of deputies (an index-only scan of idx_deputies_delegation). */
  delegations(): Promise<{ delegation: string; deputies: number }[]> {
    return this.ds.query(
      `SELECT delegation, count(*)::int AS deputies FROM deputies WHERE delegation <> '' GROUP BY delegation ORDER BY delegation`,
    );
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
