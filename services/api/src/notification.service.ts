/**
 * Use cases of the notification and points API: the caller's in-app notices, their channel
 * preferences, and deputies' 履职积分 (ledger written by the notifier's points consumer).
 */
import type { DataSource } from 'typeorm';
import {
  audit,
  checkWebhookUrl,
  encryptSecret,
  maskWebhookUrl,
  WebhookUrlError,
  type SessionUser,
} from '@jianyi/platform';
import { problems } from './http/problem';

export interface Preferences {
  email: string | null;
  channels: { in_app: true; email: boolean; webhook: boolean };
  digest: boolean;
}

export interface PointsEntry {
  id: string;
  eventId: string;
  rule: string;
  points: number;
  suggestionId: string | null;
  createdAt: string;
  reason: string;
}

const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export class NotificationService {
  constructor(private readonly ds: DataSource) {}

  async list(user: SessionUser, q: { unread: boolean; page: number; pageSize: number }) {
    const where = `user_id = $1 AND channel = 'in_app'${q.unread ? ' AND read_at IS NULL' : ''}`;
    const items = await this.ds.query(
      `SELECT id::text AS id, event_id AS "eventId", event_type AS "eventType", suggestion_id AS "suggestionId", title, body,
              ${iso('created_at')} AS "createdAt", ${iso('read_at')} AS "readAt"
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

  async preferences(user: SessionUser): Promise<Preferences> {
    const rows: {
      email: string | null;
      wantsEmail: boolean | null;
      wantsWebhook: boolean | null;
      digest: boolean | null;
    }[] = await this.ds.query(
      `SELECT u.email, p.email AS "wantsEmail", p.webhook AS "wantsWebhook", p.digest
       FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id WHERE u.id = $1`,
      [user.id],
    );
    const r = rows[0];
    if (!r) throw problems.notFound('user');
    return {
      email: r.email,
      channels: { in_app: true, email: r.wantsEmail ?? true, webhook: r.wantsWebhook ?? true },
      digest: r.digest ?? true,
    };
  }

  async setPreferences(user: SessionUser, p: Preferences, requestId: string | null): Promise<Preferences> {
    const before = await this.preferences(user);
    await this.ds.transaction(async (m) => {
      await m.query(`UPDATE users SET email = $2 WHERE id = $1`, [user.id, p.email]);
      await m.query(
        `INSERT INTO notification_preferences (user_id, email, webhook, digest) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, webhook = EXCLUDED.webhook, digest = EXCLUDED.digest, updated_at = now()`,
        [user.id, p.channels.email, p.channels.webhook, p.digest],
      );
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'preferences.update',
        entityType: 'user',
        entityId: user.id,
        before: { ...before },
        after: { ...p },
        requestId,
      });
    });
    return this.preferences(user);
  }

  async points(deputyId: string): Promise<{ deputyId: string; total: number; entries: PointsEntry[] }> {
    const exists: unknown[] = await this.ds.query(`SELECT 1 FROM deputies WHERE id = $1`, [deputyId]);
    if (!exists.length) throw problems.notFound('deputy');
    const entries: PointsEntry[] = await this.ds.query(
      `SELECT id::text AS id, event_id AS "eventId", rule, points, suggestion_id AS "suggestionId", ${iso('created_at')} AS "createdAt", reason
       FROM points_ledger WHERE deputy_id = $1 ORDER BY occurred_at DESC, id DESC`,
      [deputyId],
    );
    return { deputyId, total: entries.reduce((s, e) => s + e.points, 0), entries };
  }

  async ranking(town: string | undefined) {
    const items = await this.ds.query(
      `SELECT d.id AS "deputyId", d.name, d.town, COALESCE(sum(l.points), 0)::int AS total
       FROM deputies d LEFT JOIN points_ledger l ON l.deputy_id = d.id
       WHERE ($1::text IS NULL OR d.town = $1) GROUP BY d.id ORDER BY total DESC, d.name, d.id`,
      [town ?? null],
    );
    return { items };
  }

  /** A unit's group robot (admin); the secret is never read back, only whether one is set. */
  async webhook(unitId: string) {
    const units: unknown[] = await this.ds.query(`SELECT 1 FROM units WHERE id = $1`, [unitId]);
    if (!units.length) throw problems.notFound('unit');
    const rows: { url: string; active: boolean; updatedAt: string }[] = await this.ds.query(
      `SELECT url, active, ${iso('updated_at')} AS "updatedAt" FROM unit_webhooks WHERE unit_id = $1`,
      [unitId],
    );
    const r = rows[0];
    return r
      ? { unitId, url: maskWebhookUrl(r.url), active: r.active, hasSecret: true, updatedAt: r.updatedAt }
      : { unitId, url: null, active: false, hasSecret: false, updatedAt: null };
  }

  async setWebhook(
    user: SessionUser,
    unitId: string,
    w: { url: string; secret: string; active: boolean },
    requestId: string | null,
  ) {
    const before = await this.webhook(unitId);
    // SSRF: https, an allowed robot host, and no internal address (checked again before each send).
    try {
      await checkWebhookUrl(w.url);
    } catch (e) {
      if (e instanceof WebhookUrlError)
        throw problems.invalid([{ field: 'url', message: e.zh, messageEn: e.en }]);
      throw e;
    }
    await this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO unit_webhooks (unit_id, url, secret, active) VALUES ($1, $2, $3, $4)
         ON CONFLICT (unit_id) DO UPDATE SET url = EXCLUDED.url, secret = EXCLUDED.secret, active = EXCLUDED.active, updated_at = now()`,
        [unitId, w.url, encryptSecret(w.secret), w.active],
      );
      // The secret stays out of the audit log.
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'unit.webhook.set',
        entityType: 'unit',
        entityId: unitId,
        before: { url: before.url, active: before.active },
        after: { url: maskWebhookUrl(w.url), active: w.active, secretChanged: true },
        requestId,
      });
    });
    return this.webhook(unitId);
  }
}
