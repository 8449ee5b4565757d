/** The caller's notification preferences (通知偏好): channels, digest, email address and per kind of notice. */
import type { DataSource } from 'typeorm';
import {
  alwaysInApp,
  categoryGrid,
  type CategoryChoices,
  type NoticeCategory,
  type NoticeChannel,
} from '@jianyi/domain';
import { audit, type SessionUser } from '@jianyi/platform';
import { problems } from './http/problem';

export interface Preferences {
  email: string | null;
  channels: { in_app: true; email: boolean; webhook: boolean };
  digest: boolean;
  categories: Record<NoticeCategory, Record<NoticeChannel, boolean>>;
  alwaysInApp: NoticeCategory[];
}

export interface PreferencesInput {
  email: string | null;
  channels: { in_app: true; email: boolean; webhook: boolean };
  digest: boolean;
  categories?: CategoryChoices | undefined;
}

export class PreferenceService {
  constructor(private readonly ds: DataSource) {}

  private async stored(userId: string) {
    const rows: {
      email: string | null;
      wantsEmail: boolean | null;
      wantsWebhook: boolean | null;
      digest: boolean | null;
      categories: CategoryChoices | null;
    }[] = await this.ds.query(
      `SELECT u.email, p.email AS "wantsEmail", p.webhook AS "wantsWebhook", p.digest, p.categories
       FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id WHERE u.id = $1`,
      [userId],
    );
    const r = rows[0];
    if (!r) throw problems.notFound('user');
    return r;
  }

  async preferences(user: SessionUser): Promise<Preferences> {
    const r = await this.stored(user.id);
    return {
      email: r.email,
      channels: { in_app: true, email: r.wantsEmail ?? true, webhook: r.wantsWebhook ?? true },
      digest: r.digest ?? true,
      categories: categoryGrid(r.categories),
      alwaysInApp: [...alwaysInApp],
    };
  }

  async setPreferences(
    user: SessionUser,
    p: PreferencesInput,
    requestId: string | null,
  ): Promise<Preferences> {
    const before = await this.preferences(user);
    const stored = await this.stored(user.id);
    // Only the switched-off choices are stored; an in-app switch of an always-on category is ignored.
    const categories: CategoryChoices = {};
    const source = p.categories ?? stored.categories ?? {};
    for (const [c, chs] of Object.entries(source) as [
      NoticeCategory,
      Partial<Record<NoticeChannel, boolean>>,
    ][]) {
      for (const [ch, on] of Object.entries(chs ?? {}) as [NoticeChannel, boolean | undefined][]) {
        if (on !== false) continue;
        if (ch === 'in_app' && alwaysInApp.includes(c)) continue;
        (categories[c] ??= {})[ch] = false;
      }
    }
    await this.ds.transaction(async (m) => {
      await m.query(`UPDATE users SET email = $2 WHERE id = $1`, [user.id, p.email]);
      await m.query(
        `INSERT INTO notification_preferences (user_id, email, webhook, digest, categories) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, webhook = EXCLUDED.webhook, digest = EXCLUDED.digest,
           categories = EXCLUDED.categories, updated_at = now()`,
        [user.id, p.channels.email, p.channels.webhook, p.digest, JSON.stringify(categories)],
      );
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'preferences.update',
        entityType: 'user',
        entityId: user.id,
        before: {
          email: before.email,
          channels: before.channels,
          digest: before.digest,
          off: stored.categories ?? {},
        },
        after: { email: p.email, channels: p.channels, digest: p.digest, off: categories },
        requestId,
      });
    });
    return this.preferences(user);
  }
}
