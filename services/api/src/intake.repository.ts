/**
 * The SQL of constituent intake (一码通) and stations (家站点): QR targets, messages with their abuse
 * limits and visibility, and the admin's stations, duty roster and deputy codes.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { stationKindLabels, type StationKind } from '@jianyi/domain';
import { audit, type SessionUser } from '@jianyi/platform';
import type { StationDetail } from './contracts/intake';

type Q = DataSource | EntityManager;

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

export interface MessageRow {
  stationId: string | null;
  deputyId: string | null;
  category: string;
  content: string;
  name: string | null;
  phone: string | null;
  consent: boolean;
  channel: 'online' | 'offline' | 'open311';
  sourceHash: string | null;
  createdBy: string | null;
  policyVersion: string;
  open311Client?: string | null;
  address?: string | null;
  lat?: number | null;
  long?: number | null;
}

/**
 * Which messages a signed-in user may see: deputies those of their stations, addressed to them or
 * claimed by them; staff those of their stations; units those forwarded to them; overseers all.
 * `$1` user id, `$2` deputy id, `$3` unit id (unit roles only), `$4` role.
 */
const VISIBLE = `(
  $4::text IN ('reviewer','coordinator','supervisor','admin')
  OR ($2::uuid IS NOT NULL AND (m.deputy_id = $2::uuid OR m.claimed_by_deputy_id = $2::uuid
      OR m.station_id IN (SELECT station_id FROM station_deputies WHERE deputy_id = $2::uuid)))
  OR m.station_id IN (SELECT station_id FROM station_staff WHERE user_id = $1::uuid)
  OR ($3::uuid IS NOT NULL AND m.unit_id = $3::uuid))`;
/** Who handles it and so may see the constituent's name and phone: the station's deputies and staff, the addressed deputy. */
const HANDLES = `(
  ($2::uuid IS NOT NULL AND (m.deputy_id = $2::uuid OR m.claimed_by_deputy_id = $2::uuid
      OR m.station_id IN (SELECT station_id FROM station_deputies WHERE deputy_id = $2::uuid)))
  OR m.station_id IN (SELECT station_id FROM station_staff WHERE user_id = $1::uuid))`;
const UNIT_ROLES = new Set(['unit_handler', 'unit_leader']);
const visibilityParams = (u: SessionUser) => [
  u.id,
  u.role === 'deputy' ? u.deputyId : null,
  UNIT_ROLES.has(u.role) ? u.unitId : null,
  u.role,
];

const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
const COLUMNS = `m.id, m.tracking_code AS "trackingCode", m.status, m.category, m.content, m.channel,
  m.station_id AS "stationId", s.name AS "stationName", m.deputy_id AS "deputyId", d.name AS "deputyName",
  m.claimed_by_deputy_id AS "claimedByDeputyId", m.claimed_by_user_id AS "claimedByUserId", cu.display_name AS "claimerName",
  m.unit_id AS "unitId", un.name AS "unitName", m.forward_note AS "forwardNote",
  ${iso('m.created_at')} AS "createdAt", ${iso('m.claim_deadline_at')} AS "claimDeadlineAt", m.claim_overdue AS "claimOverdue",
  ${iso('m.claimed_at')} AS "claimedAt", ${iso('m.forwarded_at')} AS "forwardedAt", ${iso('m.answer_deadline_at')} AS "answerDeadlineAt",
  m.overdue, m.answer, ${iso('m.answered_at')} AS "answeredAt", m.on_time AS "onTime", m.suggestion_id AS "suggestionId",
  ${iso('m.suggestion_answered_at')} AS "suggestionAnsweredAt", m.merged_into_id AS "mergedIntoId",
  (SELECT mi.tracking_code FROM messages mi WHERE mi.id = m.merged_into_id) AS "mergedIntoCode", m.merge_reason AS "mergeReason",
  (SELECT count(*)::int FROM messages mm WHERE mm.merged_into_id = m.id) AS "mergedCount",
  m.rating, m.rating_comment AS "ratingComment",
  CASE WHEN ${HANDLES} THEN m.name END AS name, CASE WHEN ${HANDLES} THEN m.phone END AS phone,
  CASE WHEN ${HANDLES} THEN m.consent_contact END AS "consentContact",
  ARRAY(SELECT sd.deputy_id::text FROM station_deputies sd WHERE sd.station_id = m.station_id) AS "stationDeputyIds",
  ARRAY(SELECT ss.user_id::text FROM station_staff ss WHERE ss.station_id = m.station_id) AS "stationStaffIds"`;
const FROM = `FROM messages m
  LEFT JOIN stations s ON s.id = m.station_id LEFT JOIN deputies d ON d.id = m.deputy_id
  LEFT JOIN users cu ON cu.id = m.claimed_by_user_id LEFT JOIN units un ON un.id = m.unit_id`;

export type MessageRecord = Record<string, unknown> & {
  id: string;
  status: string;
  stationId: string | null;
  deputyId: string | null;
  stationDeputyIds: string[];
  stationStaffIds: string[];
  claimOverdue: boolean;
  claimedByUserId: string | null;
  unitId: string | null;
};

export class IntakeRepository {
  constructor(private ds: DataSource) {}

  // ---- QR targets and the constituent's side ----

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
              d.id AS "deputyId", d.name, NULL AS "stationKind", COALESCE(d.town, '') AS town, '' AS address, '' AS "openingHours"
       FROM deputy_codes c JOIN deputies d ON d.id = c.deputy_id WHERE c.code = $1`,
      [code],
    );
    return deputies[0] ?? null;
  }

  async stationDeputyNames(stationId: string): Promise<string[]> {
    const rows: { name: string }[] = await this.ds.query(
      `SELECT d.name FROM station_deputies sd JOIN deputies d ON d.id = sd.deputy_id WHERE sd.station_id = $1 ORDER BY d.name`,
      [stationId],
    );
    return rows.map((r) => r.name);
  }

  /**
   * Stores a message under a fresh tracking code drawn by `draw`, inside one transaction that first
   * serializes per sender address and per phone and counts their recent messages: `limited` says
   * which limit was reached (nothing stored then).
   */
  async insertMessage(
    m: MessageRow,
    draw: () => string,
    limits: { perAddressPerHour: number; perPhonePerDay: number } | null,
  ): Promise<{ id: string; trackingCode: string } | { limited: 'address' | 'phone' }> {
    return this.ds.transaction(async (tx) => {
      if (m.sourceHash)
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`intake:${m.sourceHash}`]);
      if (m.phone) await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`intake:${m.phone}`]);
      if (limits && m.sourceHash) {
        const r: { n: number }[] = await tx.query(
          `SELECT count(*)::int AS n FROM messages WHERE source_hash = $1 AND created_at > now() - interval '1 hour'`,
          [m.sourceHash],
        );
        if (r[0]!.n >= limits.perAddressPerHour) return { limited: 'address' as const };
      }
      if (limits && m.phone) {
        const r: { n: number }[] = await tx.query(
          `SELECT count(*)::int AS n FROM messages WHERE phone = $1 AND created_at > now() - interval '1 day'`,
          [m.phone],
        );
        if (r[0]!.n >= limits.perPhonePerDay) return { limited: 'phone' as const };
      }
      for (let attempt = 0; ; attempt++) {
        const code = draw();
        const rows: { id: string }[] = await tx.query(
          `INSERT INTO messages (id, tracking_code, station_id, deputy_id, category, content, name, phone, consent_contact, channel, source_hash, policy_version, created_by, open311_client, address, lat, long)
           VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
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
            m.policyVersion,
            m.createdBy,
            m.open311Client ?? null,
            m.address ?? null,
            m.lat ?? null,
            m.long ?? null,
          ],
        );
        if (rows[0]) return { id: rows[0].id, trackingCode: code };
        if (attempt > 5) throw new Error('could not draw a free tracking code');
      }
    });
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

  /**
   * The public view by tracking code: no name, no phone. A merged message (合并办理) keeps its own
   * code, content and date; its progress, answer and suggestion are the surviving message's (never
   * the survivor's code or content).
   */
  async byTrackingCode(code: string): Promise<Record<string, unknown> | null> {
    const own: { id: string; mergedIntoId: string | null }[] = await this.ds.query(
      `SELECT id, merged_into_id AS "mergedIntoId" FROM messages WHERE tracking_code = $1`,
      [code],
    );
    if (!own[0]) return null;
    if (own[0].mergedIntoId) {
      const self: Record<string, unknown>[] = await this.ds.query(
        `SELECT m.id, m.tracking_code AS "trackingCode", m.category, m.content, ${iso('m.created_at')} AS "createdAt",
                s.name AS "stationName", d.name AS "deputyName"
         FROM messages m LEFT JOIN stations s ON s.id = m.station_id LEFT JOIN deputies d ON d.id = m.deputy_id
         WHERE m.id = $1`,
        [own[0].id],
      );
      const survivor = await this.publicRow(`m.id = $1`, own[0].mergedIntoId);
      if (!survivor || !self[0]) return null;
      return {
        ...survivor,
        ...self[0],
        status: 'merged',
        survivorStatus: survivor.status,
        rating: null,
        ratingComment: null,
        merged: true,
      };
    }
    return this.publicRow(`m.id = $1`, own[0].id);
  }

  private async publicRow(where: string, value: string): Promise<Record<string, unknown> | null> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT m.id, m.tracking_code AS "trackingCode", m.status, m.category, m.content, m.channel,
              ${iso('m.created_at')} AS "createdAt", m.answer, ${iso('m.answered_at')} AS "answeredAt",
              m.rating, m.rating_comment AS "ratingComment", s.name AS "stationName", d.name AS "deputyName",
              un.name AS "unitName", cd.name AS "claimerName", sg.registration_no AS "registrationNo", sg.status AS "suggestionStatus",
              ${iso('m.suggestion_answered_at')} AS "suggestionAnsweredAt"
       FROM messages m
       LEFT JOIN stations s ON s.id = m.station_id
       LEFT JOIN deputies d ON d.id = m.deputy_id
       LEFT JOIN units un ON un.id = m.unit_id
       LEFT JOIN deputies cd ON cd.id = m.claimed_by_deputy_id
       LEFT JOIN suggestions sg ON sg.id = m.suggestion_id
       WHERE ${where}`,
      [value],
    );
    return rows[0] ?? null;
  }

  /** The deputy's suggestions a message may join: led by them, not ended (withdrawn, rejected, merged, converted, closed). */
  linkTargets(deputyId: string): Promise<unknown[]> {
    return this.ds.query(
      `SELECT s.id, s.title, s.status, s.registration_no AS "registrationNo",
              (SELECT count(*)::int FROM messages m WHERE m.suggestion_id = s.id) AS messages
       FROM suggestions s
       WHERE s.lead_deputy_id = $1 AND s.status NOT IN ('withdrawn','rejected','merged','converted','closed','published')
       ORDER BY s.updated_at DESC LIMIT 100`,
      [deputyId],
    );
  }

  async linkable(deputyId: string, suggestionId: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `SELECT 1 FROM suggestions WHERE id = $1 AND lead_deputy_id = $2
         AND status NOT IN ('withdrawn','rejected','merged','converted','closed','published')`,
      [suggestionId, deputyId],
    );
    return rows.length > 0;
  }

  /** The survivor of a merge: visible to the user, of the same station (or addressed to the same deputy), not merged itself. */
  async mergeTarget(
    user: SessionUser,
    from: MessageRecord,
    intoId: string,
  ): Promise<'ok' | 'missing' | 'other_station' | 'merged'> {
    const into = await this.visibleMessage(user, intoId);
    if (!into) return 'missing';
    if (into.status === 'merged') return 'merged';
    const same =
      (from.stationId !== null && from.stationId === into.stationId) ||
      (from.stationId === null && from.deputyId !== null && from.deputyId === into.deputyId);
    return same ? 'ok' : 'other_station';
  }

  /**
   * 疑似重复 candidates: the newest messages the user may see from the same station (or to the same
   * deputy when there is no station), not merged, not this one — where a merge may go.
   */
  async mergeCandidates(
    user: SessionUser,
    from: MessageRecord,
    limit = 300,
  ): Promise<{ id: string; trackingCode: string; status: string; content: string; createdAt: string }[]> {
    const same = from.stationId
      ? `m.station_id = $6::uuid`
      : `m.station_id IS NULL AND m.deputy_id = $6::uuid`;
    return this.ds.query(
      `SELECT m.id, m.tracking_code AS "trackingCode", m.status, m.content, ${iso('m.created_at')} AS "createdAt"
       FROM messages m WHERE ${VISIBLE} AND m.id <> $5 AND m.status <> 'merged' AND ${same}
       ORDER BY m.created_at DESC, m.id LIMIT $7`,
      [...visibilityParams(user), from.id, from.stationId ?? from.deputyId, limit],
    );
  }

  // ---- those who handle messages ----

  async visibleMessage(user: SessionUser, id: string): Promise<MessageRecord | null> {
    const rows: MessageRecord[] = await this.ds.query(
      `SELECT ${COLUMNS} ${FROM} WHERE m.id = $5 AND ${VISIBLE}`,
      [...visibilityParams(user), id],
    );
    return rows[0] ?? null;
  }

  async listMessages(
    user: SessionUser,
    q: { status?: string; suggestionId?: string; q?: string; limit: number; offset?: number },
  ): Promise<{ rows: MessageRecord[]; total: number }> {
    const params: unknown[] = [...visibilityParams(user)];
    let where = VISIBLE;
    if (q.status) {
      params.push(q.status);
      where += ` AND m.status = $${params.length}`;
    }
    if (q.suggestionId) {
      params.push(q.suggestionId);
      where += ` AND m.suggestion_id = $${params.length}`;
    }
    if (q.q) {
      // A substring of the content, the tracking code, the station or the unit (LIKE's wildcards escaped).
      params.push(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      const n = params.length;
      where += ` AND (m.content ILIKE $${n} OR m.tracking_code ILIKE $${n} OR s.name ILIKE $${n} OR un.name ILIKE $${n})`;
    }
    const filter = params.length;
    params.push(q.limit, q.offset ?? 0);
    const rows: (MessageRecord & { total?: number })[] = await this.ds.query(
      `SELECT ${COLUMNS}, count(*) OVER ()::int AS total ${FROM} WHERE ${where}
       ORDER BY m.created_at DESC, m.id LIMIT $${filter + 1} OFFSET $${filter + 2}`,
      params,
    );
    let total = rows[0]?.total;
    if (total === undefined)
      total =
        (q.offset ?? 0) > 0
          ? ((
              await this.ds.query(`SELECT count(*)::int AS n ${FROM} WHERE ${where}`, params.slice(0, filter))
            )[0]?.n ?? 0)
          : 0;
    return { rows: rows.map(({ total: _t, ...m }) => m as MessageRecord), total: total ?? 0 };
  }

  /** The stations the user staffs or (as a deputy) sits in. */
  myStations(user: SessionUser): Promise<unknown[]> {
    return this.ds.query(
      `SELECT s.id, s.code, s.name, s.kind, s.town FROM stations s
       WHERE s.active AND (s.id IN (SELECT station_id FROM station_staff WHERE user_id = $1)
         OR ($2::uuid IS NOT NULL AND s.id IN (SELECT station_id FROM station_deputies WHERE deputy_id = $2::uuid)))
       ORDER BY s.name`,
      [user.id, user.role === 'deputy' ? user.deputyId : null],
    );
  }

  async staffs(userId: string, stationId: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `SELECT 1 FROM station_staff ss JOIN stations s ON s.id = ss.station_id AND s.active WHERE ss.station_id = $1 AND ss.user_id = $2`,
      [stationId, userId],
    );
    return rows.length > 0;
  }

  async activeUnit(unitId: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM units WHERE id = $1 AND active`, [unitId]);
    return rows.length > 0;
  }

  // ---- stations (admin) ----

  async listStations(q: {
    q?: string;
    page: number;
    pageSize: number;
  }): Promise<{ items: unknown[]; total: number }> {
    const like = q.q ? `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const where = `($1::text IS NULL OR s.name ILIKE $1 OR s.code ILIKE $1 OR s.town ILIKE $1 OR s.address ILIKE $1)`;
    const total: { n: number }[] = await this.ds.query(
      `SELECT count(*)::int AS n FROM stations s WHERE ${where}`,
      [like],
    );
    const items: unknown[] = await this.ds.query(
      `SELECT s.id, s.code, s.name, s.kind, s.town, s.address, s.opening_hours AS "openingHours", s.active,
              (SELECT count(*)::int FROM station_deputies sd WHERE sd.station_id = s.id) AS deputies,
              (SELECT count(*)::int FROM station_staff ss WHERE ss.station_id = s.id) AS staff,
              (SELECT count(*)::int FROM messages m WHERE m.station_id = s.id) AS messages
       FROM stations s WHERE ${where} ORDER BY s.town, s.name, s.id LIMIT $2 OFFSET $3`,
      [like, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return { items, total: total[0]!.n };
  }

  /** The roster of a station from today on for `days` days (China time), with the deputies' names. */
  dutiesAhead(
    stationId: string,
    days: number,
  ): Promise<{ day: string; slot: string; name: string; deputyId: string }[]> {
    return this.ds.query(
      `SELECT to_char(du.day, 'YYYY-MM-DD') AS day, du.slot, d.name, du.deputy_id AS "deputyId"
       FROM station_duties du JOIN deputies d ON d.id = du.deputy_id
       WHERE du.station_id = $1 AND du.day >= (now() AT TIME ZONE 'Asia/Shanghai')::date
         AND du.day < (now() AT TIME ZONE 'Asia/Shanghai')::date + $2::int
       ORDER BY du.day, CASE du.slot WHEN 'am' THEN 0 WHEN 'day' THEN 1 ELSE 2 END, d.name`,
      [stationId, days],
    );
  }

  /** A deputy's own duties from today on (the next 60 days), by station. */
  myDuties(deputyId: string): Promise<{ stationId: string; day: string; slot: string }[]> {
    return this.ds.query(
      `SELECT du.station_id AS "stationId", to_char(du.day, 'YYYY-MM-DD') AS day, du.slot
       FROM station_duties du
       WHERE du.deputy_id = $1 AND du.day >= (now() AT TIME ZONE 'Asia/Shanghai')::date
         AND du.day < (now() AT TIME ZONE 'Asia/Shanghai')::date + 60
       ORDER BY du.day, du.slot`,
      [deputyId],
    );
  }

  /** Today's date in China time, 'YYYY-MM-DD'. */
  async today(): Promise<string> {
    const r: { d: string }[] = await this.ds.query(
      `SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS d`,
    );
    return r[0]!.d;
  }

  async stationDetail(id: string, q: Q = this.ds): Promise<StationDetail | null> {
    const rows: Record<string, unknown>[] = await q.query(
      `SELECT id, code, name, kind, town, address, opening_hours AS "openingHours", active FROM stations WHERE id = $1`,
      [id],
    );
    const s = rows[0];
    if (!s) return null;
    const deputies = await q.query(
      `SELECT d.id, d.name, d.town FROM station_deputies sd JOIN deputies d ON d.id = sd.deputy_id WHERE sd.station_id = $1 ORDER BY d.name`,
      [id],
    );
    const staff = await q.query(
      `SELECT u.id, u.username, u.display_name AS "displayName" FROM station_staff ss JOIN users u ON u.id = ss.user_id WHERE ss.station_id = $1 ORDER BY u.username`,
      [id],
    );
    const duties = await q.query(
      `SELECT du.deputy_id AS "deputyId", d.name AS "deputyName", to_char(du.day, 'YYYY-MM-DD') AS day, du.slot
       FROM station_duties du JOIN deputies d ON d.id = du.deputy_id
       WHERE du.station_id = $1 AND du.day >= (now() AT TIME ZONE 'Asia/Shanghai')::date - 7 ORDER BY du.day, du.slot`,
      [id],
    );
    return {
      ...(s as Omit<StationDetail, 'kindLabel' | 'deputies' | 'staff' | 'duties'>),
      kindLabel: stationKindLabels[s.kind as StationKind] ?? String(s.kind),
      deputies,
      staff,
      duties,
    };
  }

  /** A code no station and no deputy has yet. */
  private async freeCode(m: Q, draw: () => string): Promise<string> {
    for (;;) {
      const code = draw();
      const used: unknown[] = await m.query(
        `SELECT 1 FROM stations WHERE code = $1 UNION ALL SELECT 1 FROM deputy_codes WHERE code = $1`,
        [code],
      );
      if (!used.length) return code;
    }
  }

  /** Replaces the station's deputies and/or staff; 'deputyIds' / 'staffUserIds' when one is unknown (or not station staff). */
  private async setMembers(
    m: EntityManager,
    id: string,
    deputyIds?: string[],
    staffUserIds?: string[],
  ): Promise<'deputyIds' | 'staffUserIds' | null> {
    if (deputyIds) {
      const found: { n: number }[] = await m.query(
        `SELECT count(*)::int AS n FROM deputies WHERE id = ANY($1::uuid[])`,
        [deputyIds],
      );
      if (found[0]!.n !== new Set(deputyIds).size) return 'deputyIds';
      await m.query(`DELETE FROM station_deputies WHERE station_id = $1`, [id]);
      await m.query(
        `INSERT INTO station_deputies (station_id, deputy_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
        [id, deputyIds],
      );
    }
    if (staffUserIds) {
      const found: { n: number }[] = await m.query(
        `SELECT count(*)::int AS n FROM users WHERE id = ANY($1::uuid[]) AND role = 'station_staff'`,
        [staffUserIds],
      );
      if (found[0]!.n !== new Set(staffUserIds).size) return 'staffUserIds';
      await m.query(`DELETE FROM station_staff WHERE station_id = $1`, [id]);
      await m.query(
        `INSERT INTO station_staff (station_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
        [id, staffUserIds],
      );
    }
    return null;
  }

  /** Creates a station (fresh code), its members and the audit row; `invalid` names a bad member list. */
  async createStation(
    actor: { user: SessionUser; requestId: string | null },
    b: {
      name: string;
      kind: string;
      town: string;
      address: string;
      openingHours: string;
      deputyIds: string[];
      staffUserIds: string[];
    },
    draw: () => string,
  ): Promise<{ station: StationDetail } | { invalid: 'deputyIds' | 'staffUserIds' }> {
    const id = randomUUID();
    return this.ds
      .transaction(async (m) => {
        const code = await this.freeCode(m, draw);
        await m.query(
          `INSERT INTO stations (id, code, name, kind, town, address, opening_hours) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
          [id, code, b.name, b.kind, b.town, b.address, b.openingHours],
        );
        const bad = await this.setMembers(m, id, b.deputyIds, b.staffUserIds);
        if (bad) throw new InvalidMembers(bad);
        await audit(m, {
          actorUserId: actor.user.id,
          actorRole: actor.user.role,
          action: 'station.create',
          entityType: 'station',
          entityId: id,
          after: { ...b, code },
          requestId: actor.requestId,
        });
        return { station: (await this.stationDetail(id, m))! };
      })
      .catch((e: unknown) => {
        if (e instanceof InvalidMembers) return { invalid: e.field };
        throw e;
      });
  }

  async updateStation(
    actor: { user: SessionUser; requestId: string | null },
    id: string,
    b: {
      name?: string;
      kind?: string;
      town?: string;
      address?: string;
      openingHours?: string;
      deputyIds?: string[];
      staffUserIds?: string[];
      active?: boolean;
    },
  ): Promise<{ station: StationDetail | null } | { invalid: 'deputyIds' | 'staffUserIds' }> {
    return this.ds
      .transaction(async (m) => {
        const before = await this.stationDetail(id, m);
        if (!before) return { station: null };
        await m.query(
          `UPDATE stations SET name = COALESCE($2, name), kind = COALESCE($3, kind), town = COALESCE($4, town),
             address = COALESCE($5, address), opening_hours = COALESCE($6, opening_hours), active = COALESCE($7, active)
           WHERE id = $1`,
          [
            id,
            b.name ?? null,
            b.kind ?? null,
            b.town ?? null,
            b.address ?? null,
            b.openingHours ?? null,
            b.active ?? null,
          ],
        );
        const bad = await this.setMembers(m, id, b.deputyIds, b.staffUserIds);
        if (bad) throw new InvalidMembers(bad);
        await audit(m, {
          actorUserId: actor.user.id,
          actorRole: actor.user.role,
          action: 'station.update',
          entityType: 'station',
          entityId: id,
          before: before as unknown as Record<string, unknown>,
          after: b,
          requestId: actor.requestId,
        });
        return { station: await this.stationDetail(id, m) };
      })
      .catch((e: unknown) => {
        if (e instanceof InvalidMembers) return { invalid: e.field };
        throw e;
      });
  }

  /**
   * Replaces the roster from today on (past days stay as the record); `stray` is the index of a duty whose
   * deputy is not attached. A duty the station's staff already recorded (值班履职, served or not) stays
   * whatever the new roster says: its points credit and the deputy's 履职档案 point at it.
   */
  async setDuties(
    actor: { user: SessionUser; requestId: string | null },
    id: string,
    duties: { deputyId: string; day: string; slot: string }[],
  ): Promise<{ station: StationDetail | null } | { stray: number }> {
    return this.ds.transaction(async (m) => {
      const s = await this.stationDetail(id, m);
      if (!s) return { station: null };
      const attached = new Set(s.deputies.map((d) => d.id));
      const stray = duties.findIndex((d) => !attached.has(d.deputyId));
      if (stray >= 0) return { stray };
      await m.query(
        `DELETE FROM station_duties WHERE station_id = $1 AND day >= (now() AT TIME ZONE 'Asia/Shanghai')::date AND served IS NULL`,
        [id],
      );
      for (const d of duties)
        await m.query(
          `INSERT INTO station_duties (id, station_id, deputy_id, day, slot) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`,
          [randomUUID(), id, d.deputyId, d.day, d.slot],
        );
      await audit(m, {
        actorUserId: actor.user.id,
        actorRole: actor.user.role,
        action: 'station.duties',
        entityType: 'station',
        entityId: id,
        after: { duties: duties.length },
        requestId: actor.requestId,
      });
      return { station: await this.stationDetail(id, m) };
    });
  }

  /** Every deputy with their own code (a missing one is made on the way). */
  async deputyCodes(draw: () => string): Promise<unknown[]> {
    await this.ds.transaction(async (m) => {
      const missing: { id: string }[] = await m.query(
        `SELECT d.id FROM deputies d LEFT JOIN deputy_codes c ON c.deputy_id = d.id WHERE c.code IS NULL FOR UPDATE OF d`,
      );
      for (const d of missing)
        await m.query(`INSERT INTO deputy_codes (deputy_id, code) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
          d.id,
          await this.freeCode(m, draw),
        ]);
    });
    return this.ds.query(
      `SELECT d.id, d.name, d.town, c.code FROM deputies d JOIN deputy_codes c ON c.deputy_id = d.id ORDER BY d.town, d.name`,
    );
  }
}

class InvalidMembers extends Error {
  constructor(readonly field: 'deputyIds' | 'staffUserIds') {
    super(field);
  }
}
