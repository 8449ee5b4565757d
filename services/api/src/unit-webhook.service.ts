/** A unit's group robot (企业微信/钉钉-style webhook: URL and signing secret), set by the admin. */
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
import { isoSql } from './sql';

export class UnitWebhookService {
  constructor(private readonly ds: DataSource) {}

  /** A unit's group robot (admin); the secret is never read back, only whether one is set. */
  async webhook(unitId: string) {
    const units: unknown[] = await this.ds.query(`SELECT 1 FROM units WHERE id = $1`, [unitId]);
    if (!units.length) throw problems.notFound('unit');
    const rows: { url: string; active: boolean; updatedAt: string }[] = await this.ds.query(
      `SELECT url, active, ${isoSql('updated_at')} AS "updatedAt" FROM unit_webhooks WHERE unit_id = $1`,
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
