/** The caller's notification preferences (通知偏好): channels, digest and email address. */
import type { DataSource } from 'typeorm';
import { audit, type SessionUser } from '@jianyi/platform';
import { problems } from './http/problem';

export interface Preferences {
  email: string | null;
  channels: { in_app: true; email: boolean; webhook: boolean };
  digest: boolean;
}

export class PreferenceService {
  constructor(private readonly ds: DataSource) {}

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
}
