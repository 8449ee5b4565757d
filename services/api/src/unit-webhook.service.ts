/** A unit's group robot (群机器人: generic signed webhook, 钉钉 or 企业微信), set and tested by the admin. */
import type { DataSource } from 'typeorm';
import { robotKindLabels, robotKinds, type RobotKind } from '@jianyi/domain';
import {
  audit,
  checkWebhookUrl,
  config,
  decryptSecret,
  encryptSecret,
  maskWebhookUrl,
  postRobot,
  RobotError,
  WebhookUrlError,
  type SessionUser,
} from '@jianyi/platform';
import { problems } from './http/problem';
import { isoSql } from './sql';

const asKind = (k: string): RobotKind =>
  (robotKinds as readonly string[]).includes(k) ? (k as RobotKind) : 'generic';

interface StoredRobot {
  url: string;
  secret: string;
  active: boolean;
  kind: string;
  updatedAt: string;
}

export class UnitWebhookService {
  constructor(private readonly ds: DataSource) {}

  private async unitExists(unitId: string) {
    const units: unknown[] = await this.ds.query(`SELECT 1 FROM units WHERE id = $1`, [unitId]);
    if (!units.length) throw problems.notFound('unit');
  }

  private async stored(unitId: string): Promise<StoredRobot | undefined> {
    const rows: StoredRobot[] = await this.ds.query(
      `SELECT url, secret, active, kind, ${isoSql('updated_at')} AS "updatedAt" FROM unit_webhooks WHERE unit_id = $1`,
      [unitId],
    );
    return rows[0];
  }

  private view(unitId: string, r: StoredRobot | undefined) {
    return r
      ? {
          unitId,
          url: maskWebhookUrl(r.url),
          active: r.active,
          hasSecret: r.secret !== '',
          kind: asKind(r.kind),
          updatedAt: r.updatedAt,
        }
      : { unitId, url: null, active: false, hasSecret: false, kind: 'generic' as RobotKind, updatedAt: null };
  }

  /** A unit's group robot (admin); the secret is never read back, only whether one is set. */
  async webhook(unitId: string) {
    await this.unitExists(unitId);
    return this.view(unitId, await this.stored(unitId));
  }

  /** Every unit with its robot (the admin's robots page). */
  async list() {
    const rows: (StoredRobot & { unitId: string; unitName: string; unitActive: boolean; has: boolean })[] =
      await this.ds.query(
        `SELECT un.id AS "unitId", un.name AS "unitName", un.active AS "unitActive", w.unit_id IS NOT NULL AS has,
                w.url, w.secret, w.active, w.kind, ${isoSql('w.updated_at')} AS "updatedAt"
         FROM units un LEFT JOIN unit_webhooks w ON w.unit_id = un.id ORDER BY un.name, un.id`,
      );
    return {
      items: rows.map((r) => ({
        ...this.view(r.unitId, r.has ? r : undefined),
        unitName: r.unitName,
        unitActive: r.unitActive,
      })),
    };
  }

  async setWebhook(
    user: SessionUser,
    unitId: string,
    w: { url: string; secret?: string | undefined; active: boolean; kind: RobotKind },
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
    const old = await this.stored(unitId);
    // Left out: the stored secret stays. A generic or 钉钉 robot cannot sign without one.
    const secret = w.secret !== undefined ? encryptSecret(w.secret) : (old?.secret ?? '');
    if (!secret && w.kind !== 'wecom')
      throw problems.invalid([
        {
          field: 'secret',
          message: `签名密钥:${robotKindLabels[w.kind].zh}需要签名密钥`,
          messageEn: `a ${w.kind} robot needs a signing secret`,
        },
      ]);
    await this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO unit_webhooks (unit_id, url, secret, active, kind) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (unit_id) DO UPDATE SET url = EXCLUDED.url, secret = EXCLUDED.secret, active = EXCLUDED.active,
           kind = EXCLUDED.kind, updated_at = now()`,
        [unitId, w.url, secret, w.active, w.kind],
      );
      // The secret stays out of the audit log.
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'unit.webhook.set',
        entityType: 'unit',
        entityId: unitId,
        before: { url: before.url, active: before.active, kind: before.kind },
        after: {
          url: maskWebhookUrl(w.url),
          active: w.active,
          kind: w.kind,
          secretChanged: w.secret !== undefined,
        },
        requestId,
      });
    });
    return this.webhook(unitId);
  }

  /**
   * Sends a signed test message (测试消息) to the unit's robot now, whether or not it is active, and
   * answers what the robot said. No item content is sent. Audited.
   */
  async test(user: SessionUser, unitId: string, requestId: string | null) {
    await this.unitExists(unitId);
    const r = await this.stored(unitId);
    if (!r) throw problems.conflict('the unit has no robot yet', '该单位尚未设置群机器人');
    const kind = asKind(r.kind);
    const units: { name: string }[] = await this.ds.query(`SELECT name FROM units WHERE id = $1`, [unitId]);
    const now = Date.now();
    let result: { ok: boolean; status: number | null; answer: string; error: string | null };
    try {
      const a = await postRobot(
        kind,
        r.url,
        r.secret ? decryptSecret(r.secret) : null,
        {
          title: '测试消息',
          text: `这是代表建议办理平台发给「${units[0]?.name ?? ''}」群机器人的测试消息,收到即表示设置正确。`,
          event: { type: 'robot.test', occurredAt: new Date(now).toISOString() },
        },
        { timeoutMs: config.notifier.webhookTimeoutMs, now },
      );
      result = { ok: true, status: a.status, answer: a.answer, error: null };
    } catch (e) {
      if (!(e instanceof RobotError)) throw e;
      result = { ok: false, status: e.status, answer: e.answer, error: e.message };
    }
    await audit(this.ds.manager, {
      actorUserId: user.id,
      actorRole: user.role,
      action: 'unit.webhook.test',
      entityType: 'unit',
      entityId: unitId,
      before: null,
      after: { kind, ok: result.ok, status: result.status, error: result.error },
      requestId,
    });
    return { kind, ...result };
  }
}
