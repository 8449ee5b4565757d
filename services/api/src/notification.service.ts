/** Use cases of the caller's in-app notices (站内通知): list, mark one or all read. */
import type { DataSource } from 'typeorm';
import { audit, type SessionUser } from '@jianyi/platform';
import { problems } from './http/problem';
import { isoSql } from './sql';

export class NotificationService {
  constructor(private readonly ds: DataSource) {}

  async list(user: SessionUser, q: { unread: boolean; page: number; pageSize: number }) {
    const where = `user_id = $1 AND channel = 'in_app'${q.unread ? ' AND read_at IS NULL' : ''}`;
    const items = await this.ds.query(
      `SELECT id::text AS id, event_id AS "eventId", event_type AS "eventType", suggestion_id AS "suggestionId", title, body,
              ${isoSql('created_at')} AS "createdAt", ${isoSql('read_at')} AS "readAt"
       FROM notifications WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [user.id, q.pageSize, (q.page - 1) * q.pageSize],
    );
    const counts: { total: number; unread: number }[] = await this.ds.query(
      `SELECT count(*) FILTER (WHERE ${q.unread ? 'read_at IS NULL' : 'true'})::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread
       FROM notifications WHERE user_id = $1 AND channel = 'in_app'`,
      [user.id],
    );
    return { items, total: counts[0]?.total ?? 0, unread: counts[0]?.unread ?? 0 };
  }

  /** Marks one of the caller's notices read; someone else's (or none) is 404. */
  async markRead(user: SessionUser, id: string, requestId: string | null): Promise<void> {
    await this.ds.transaction(async (m) => {
      const rows: { id: string; readAt: string | null }[] = await m.query(
        `SELECT id::text AS id, read_at AS "readAt" FROM notifications WHERE id = $1 AND user_id = $2 AND channel = 'in_app' FOR UPDATE`,
        [id, user.id],
      );
      if (!rows[0]) throw problems.notFound('notification');
      if (rows[0].readAt) return; // already read: nothing changes, nothing to audit
      await m.query(`UPDATE notifications SET read_at = now() WHERE id = $1`, [id]);
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'notification.read',
        entityType: 'notification',
        entityId: id,
        before: { readAt: null },
        after: { read: true },
        requestId,
      });
    });
  }

  async markAllRead(user: SessionUser, requestId: string | null): Promise<void> {
    await this.ds.transaction(async (m) => {
      const rows: { n: number }[] = await m.query(
        `WITH r AS (UPDATE notifications SET read_at = now() WHERE user_id = $1 AND channel = 'in_app' AND read_at IS NULL RETURNING 1)
         SELECT count(*)::int AS n FROM r`,
        [user.id],
      );
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'notification.read_all',
        entityType: 'user',
        entityId: user.id,
        after: { marked: rows[0]?.n ?? 0 },
        requestId,
      });
    });
  }
}
