/**
 * Constituent intake (一码通): codes, targets (a station's or a deputy's QR code), new messages with
 * their rate limits, who may see a message and its personal data, and the workflow calls.
 */
import { createHmac, randomInt } from 'node:crypto';
import {
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowUpdateFailedError,
  ApplicationFailure,
  type Client,
} from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { CODE_ALPHABET, TRACKING_CODE_LENGTH, type Actor, type MessageCategory } from '@jianyi/domain';
import { config, policyInForce, type SessionUser } from '@jianyi/platform';
import { messageWorkflowId, type MessageWorkflowInput } from '@jianyi/workflows';
import { HttpProblem, problems } from './http/problem';

export function randomCode(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}
export const TARGET_CODE_LENGTH = 6;

const intEnv = (name: string, fallback: number) => {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};
/** Abuse limits of the public form: messages per sender address per hour, per phone number per day. */
export const intakeLimits = () => ({
  perAddressPerHour: intEnv('JIANYI_INTAKE_PER_ADDRESS_HOUR', 5),
  perPhonePerDay: intEnv('JIANYI_INTAKE_PER_PHONE_DAY', 3),
  maxBodyBytes: 16 * 1024,
});

/** The address is kept only as a keyed hash (enough to count, not to recover it). */
export function sourceHash(ip: string): string {
  const key = process.env.JIANYI_INTAKE_HASH_KEY ?? 'jianyi-intake';
  return createHmac('sha256', key).update(ip).digest('hex');
}

export const actorOf = (u: SessionUser): Actor => ({
  userId: u.id,
  role: u.role as Actor['role'],
  name: u.displayName,
  unitId: u.unitId,
  deputyId: u.deputyId,
});

export interface Target {
  code: string;
  kind: 'station' | 'deputy';
  stationId: string | null;
  deputyId: string | null;
  name: string;
  stationKind: string | null;
  town: string;
  address: string;
  openingHours: string;
}

export interface NewMessage {
  stationId: string | null;
  deputyId: string | null;
  category: MessageCategory;
  content: string;
  name: string | null;
  phone: string | null;
  consent: boolean;
  channel: 'online' | 'offline' | 'open311';
  sourceHash: string | null;
  createdBy: SessionUser | null;
  open311Client?: string | null;
}

/**
 * Which messages a signed-in user may see: deputies those of their stations, addressed to them or
 * claimed by them; staff those of their stations; units those forwarded to them; overseers all.
 * `$1` is the user id, `$2` the deputy id, `$3` the unit id.
 */
export const VISIBLE = `(
  $4::text IN ('reviewer','coordinator','supervisor','admin')
  OR ($2::uuid IS NOT NULL AND (m.deputy_id = $2::uuid OR m.claimed_by_deputy_id = $2::uuid
      OR m.station_id IN (SELECT station_id FROM station_deputies WHERE deputy_id = $2::uuid)))
  OR m.station_id IN (SELECT station_id FROM station_staff WHERE user_id = $1::uuid)
  OR ($3::uuid IS NOT NULL AND m.unit_id = $3::uuid))`;
/** Who handles it and so may see the constituent's name and phone: the station's deputies and staff, the addressed deputy. */
export const HANDLES = `(
  ($2::uuid IS NOT NULL AND (m.deputy_id = $2::uuid OR m.claimed_by_deputy_id = $2::uuid
      OR m.station_id IN (SELECT station_id FROM station_deputies WHERE deputy_id = $2::uuid)))
  OR m.station_id IN (SELECT station_id FROM station_staff WHERE user_id = $1::uuid))`;
export const visibilityParams = (u: SessionUser) => [u.id, u.deputyId, u.unitId, u.role];

export class IntakeService {
  constructor(
    private ds: DataSource,
    private temporal: Client,
  ) {}

  async target(code: string): Promise<Target | null> {
    const stations: Target[] = await this.ds.query(
      `SELECT code, 'station' AS kind, id AS "stationId", NULL AS "deputyId", name, kind AS "stationKind", town, address, opening_hours AS "openingHours"
       FROM stations WHERE code = $1 AND active`,
      [code],
    );
    if (stations[0]) return stations[0];
    const deputies: Target[] = await this.ds.query(
      `SELECT c.code, 'deputy' AS kind,
              (SELECT sd.station_id FROM station_deputies sd JOIN stations s ON s.id = sd.station_id AND s.active WHERE sd.deputy_id = d.id ORDER BY s.created_at LIMIT 1) AS "stationId",
              d.id AS "deputyId", d.name, NULL AS "stationKind", d.town, '' AS address, '' AS "openingHours"
       FROM deputy_codes c JOIN deputies d ON d.id = c.deputy_id WHERE c.code = $1`,
      [code],
    );
    return deputies[0] ?? null;
  }

  /** Stores the message with a fresh tracking code and starts its workflow `message-<id>`. */
  async create(m: NewMessage): Promise<{ id: string; trackingCode: string }> {
    const policyVersion = process.env.JIANYI_POLICY_VERSION ?? (await policyInForce(this.ds)).policyKey;
    const { id, trackingCode } = await this.ds.transaction(async (tx) => {
      // Serialize per sender so two requests at once cannot both slip under the limit.
      if (m.sourceHash)
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`intake:${m.sourceHash}`]);
      if (m.phone) await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`intake:${m.phone}`]);
      if (m.channel !== 'offline') await this.checkLimitsIn(tx, m.sourceHash, m.phone);
      for (let attempt = 0; ; attempt++) {
        const code = randomCode(TRACKING_CODE_LENGTH);
        const rows: { id: string }[] = await tx.query(
          `INSERT INTO messages (id, tracking_code, station_id, deputy_id, category, content, name, phone, consent_contact, channel, source_hash, open311_client, policy_version, created_by)
           VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
           ON CONFLICT (tracking_code) DO NOTHING RETURNING id`,
          [
            code,
            m.stationId,
            m.deputyId,
            m.category,
            m.content,
            m.name || null,
            m.phone || null,
            m.consent,
            m.channel,
            m.sourceHash,
            m.open311Client ?? null,
            policyVersion,
            m.createdBy?.id ?? null,
          ],
        );
        if (rows[0]) return { id: rows[0].id, trackingCode: code };
        if (attempt > 5) throw new Error('could not draw a free tracking code');
      }
    });
    const input: MessageWorkflowInput = {
      version: 1,
      messageId: id,
      stationId: m.stationId,
      policyVersion,
      deputyIds: await this.deputiesFor(m.stationId, m.deputyId),
      staffUserIds: await this.staffFor(m.stationId),
      receivedAt: new Date().toISOString(),
      channel: m.channel,
      category: m.category,
      receivedBy: m.createdBy ? actorOf(m.createdBy) : null,
    };
    await this.temporal.workflow.start('messageWorkflow', {
      taskQueue: config.temporal.taskQueue,
      workflowId: messageWorkflowId(id),
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    return { id, trackingCode };
  }

  /** Refuses (429) a sender address or phone number over its limit (inside the creating transaction). */
  private async checkLimitsIn(
    tx: { query: DataSource['query'] },
    hash: string | null,
    phone: string | null,
  ): Promise<void> {
    const l = intakeLimits();
    if (hash) {
      const r: { n: number }[] = await tx.query(
        `SELECT count(*)::int AS n FROM messages WHERE source_hash = $1 AND created_at > now() - interval '1 hour'`,
        [hash],
      );
      if (r[0]!.n >= l.perAddressPerHour) throw tooMany('address');
    }
    if (phone) {
      const r: { n: number }[] = await tx.query(
        `SELECT count(*)::int AS n FROM messages WHERE phone = $1 AND created_at > now() - interval '1 day'`,
        [phone],
      );
      if (r[0]!.n >= l.perPhonePerDay) throw tooMany('phone');
    }
  }

  /** The addressed deputy first, then today's duty deputy (值班代表), then the station's other deputies. */
  async deputiesFor(stationId: string | null, deputyId: string | null): Promise<string[]> {
    const rows: { id: string }[] = stationId
      ? await this.ds.query(
          `SELECT sd.deputy_id AS id FROM station_deputies sd
           LEFT JOIN station_duties du ON du.station_id = sd.station_id AND du.deputy_id = sd.deputy_id
             AND du.day = (now() AT TIME ZONE 'Asia/Shanghai')::date
           WHERE sd.station_id = $1
           GROUP BY sd.deputy_id ORDER BY bool_or(du.id IS NOT NULL) DESC, sd.deputy_id`,
          [stationId],
        )
      : [];
    return [...new Set([...(deputyId ? [deputyId] : []), ...rows.map((r) => r.id)])];
  }

  async staffFor(stationId: string | null): Promise<string[]> {
    if (!stationId) return [];
    const rows: { id: string }[] = await this.ds.query(
      `SELECT s.user_id AS id FROM station_staff s JOIN users u ON u.id = s.user_id AND u.active WHERE s.station_id = $1 ORDER BY s.user_id`,
      [stationId],
    );
    return rows.map((r) => r.id);
  }

  /** Runs an update on the message's workflow; refusals become 403/409 problem documents. */
  async update<T>(messageId: string, run: (h: ReturnType<Client['workflow']['getHandle']>) => Promise<T>) {
    try {
      return await run(this.temporal.workflow.getHandle(messageWorkflowId(messageId)));
    } catch (err) {
      const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
      if (cause instanceof ApplicationFailure) {
        const [zh, en] = (cause.message ?? '').split(' / ');
        if (cause.type === 'Forbidden')
          throw new HttpProblem(403, zh ?? '无权执行此操作', en ?? cause.message);
        if (cause.type === 'WrongState')
          throw new HttpProblem(409, zh ?? '当前状态不允许此操作', en ?? cause.message);
      }
      if (err && typeof err === 'object' && (err as { name?: string }).name === 'WorkflowNotFoundError')
        throw problems.conflict('the message is no longer in a running process', '该留言的办理流程已结束');
      throw err;
    }
  }
}

function tooMany(what: 'address' | 'phone'): HttpProblem {
  return new HttpProblem(
    429,
    what === 'address' ? '提交过于频繁,请稍后再试' : '该手机号今日留言次数已达上限,请明天再试',
    what === 'address'
      ? 'too many messages from this address; try again later'
      : 'too many messages with this phone number today',
    [],
  );
}
