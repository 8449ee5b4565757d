/**
 * The SQL of Open311 GeoReport v2: registered clients (api_key, kept only as its SHA-256) and the
 * public list of service requests, which are the constituent messages received through Open311
 * (never those written on the QR page or on paper: their senders were not told the text is public).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { audit, type SessionUser } from '@jianyi/platform';

export const keyHash = (key: string) => createHash('sha256').update(key).digest('hex');
/** A fresh api_key: 32 random bytes, readable in a URL or a form. */
export const newApiKey = () => `o311_${randomBytes(32).toString('base64url')}`;

export interface Open311Client {
  id: string;
  name: string;
  stationId: string;
}

/** A message as Open311 shows it (before masking): the surviving message's progress when merged. */
export interface RequestRow {
  id: string;
  category: string;
  content: string;
  name: string | null;
  phone: string | null;
  status: string;
  closed: boolean;
  merged: boolean;
  answer: string | null;
  unitName: string | null;
  stationName: string | null;
  suggestionAnswered: boolean;
  requestedAt: string;
  updatedAt: string;
  expectedAt: string | null;
  address: string | null;
  lat: number | null;
  long: number | null;
}

const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

export interface RequestFilter {
  ids?: string[];
  serviceCode?: string;
  from?: string;
  to?: string;
  statuses?: ('open' | 'closed')[];
  limit: number;
}

type Actor = { user: SessionUser; requestId: string | null };

export class Open311Repository {
  constructor(private ds: DataSource) {}

  /** The active client holding this key, whose station is active; null for anything else. */
  async clientByKey(apiKey: string): Promise<Open311Client | null> {
    // TypeORM answers an UPDATE … RETURNING as [rows, affected count].
    const [rows] = (await this.ds.query(
      `UPDATE open311_clients c SET last_used_at = now()
       FROM stations s WHERE s.id = c.station_id AND s.active AND c.active AND c.key_hash = $1
       RETURNING c.id, c.name, c.station_id AS "stationId"`,
      [keyHash(apiKey)],
    )) as [Open311Client[], number];
    return rows[0] ?? null;
  }

  async requests(f: RequestFilter): Promise<RequestRow[]> {
    const params: unknown[] = [];
    const where: string[] = [`m.channel = 'open311'`];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.ids) where.push(`m.id = ANY(${p(f.ids)}::uuid[])`);
    else {
      if (f.serviceCode) where.push(`m.category = ${p(f.serviceCode)}`);
      if (f.from) where.push(`m.created_at >= ${p(f.from)}::timestamptz`);
      if (f.to) where.push(`m.created_at <= ${p(f.to)}::timestamptz`);
      if (!f.from && !f.to) where.push(`m.created_at > now() - interval '90 days'`);
    }
    const outer =
      f.statuses && !f.ids
        ? `WHERE (CASE WHEN x.closed THEN 'closed' ELSE 'open' END) = ANY(${p(f.statuses)}::text[])`
        : '';
    return this.ds.query(
      `SELECT * FROM (
         SELECT m.id, m.category, m.content, m.name, m.phone, COALESCE(sv.status, m.status) AS status,
                (COALESCE(sv.status, m.status) IN ('answered','rated','closed')
                  OR COALESCE(sv.suggestion_answered_at, m.suggestion_answered_at) IS NOT NULL) AS closed,
                (m.merged_into_id IS NOT NULL) AS merged,
                COALESCE(sv.answer, m.answer) AS answer, un.name AS "unitName", s.name AS "stationName",
                (COALESCE(sv.suggestion_answered_at, m.suggestion_answered_at) IS NOT NULL) AS "suggestionAnswered",
                ${iso('m.created_at')} AS "requestedAt", ${iso('GREATEST(m.updated_at, COALESCE(sv.updated_at, m.updated_at))')} AS "updatedAt",
                ${iso(`CASE WHEN COALESCE(sv.status, m.status) = 'forwarded' THEN COALESCE(sv.answer_deadline_at, m.answer_deadline_at)
                            WHEN COALESCE(sv.status, m.status) = 'pending_claim' THEN COALESCE(sv.claim_deadline_at, m.claim_deadline_at) END`)} AS "expectedAt",
                m.address, m.lat, m.long, m.created_at
         FROM messages m
         LEFT JOIN messages sv ON sv.id = m.merged_into_id
         LEFT JOIN units un ON un.id = COALESCE(sv.unit_id, m.unit_id)
         LEFT JOIN stations s ON s.id = m.station_id
         WHERE ${where.join(' AND ')}
       ) x ${outer}
       ORDER BY x.created_at DESC, x.id LIMIT ${p(f.limit)}`,
      params,
    );
  }

  // ---- the admin's registration of clients ----

  private clientSql = `SELECT c.id, c.name, c.station_id AS "stationId", s.name AS "stationName", c.active,
      ${iso('c.created_at')} AS "createdAt", ${iso('c.last_used_at')} AS "lastUsedAt",
      (SELECT count(*)::int FROM messages m WHERE m.open311_client = c.id) AS requests
    FROM open311_clients c JOIN stations s ON s.id = c.station_id`;

  listClients(): Promise<Record<string, unknown>[]> {
    return this.ds.query(`${this.clientSql} ORDER BY c.created_at DESC, c.id`);
  }

  private async client(id: string, q = this.ds.manager): Promise<Record<string, unknown> | null> {
    const rows: Record<string, unknown>[] = await q.query(`${this.clientSql} WHERE c.id = $1`, [id]);
    return rows[0] ?? null;
  }

  private async stationExists(q: DataSource['manager'], id: string): Promise<boolean> {
    return ((await q.query(`SELECT 1 FROM stations WHERE id = $1`, [id])) as unknown[]).length > 0;
  }

  /** Registers a client of a station; the api_key is answered once (only its hash is stored). */
  async createClient(
    actor: Actor,
    b: { name: string; stationId: string },
  ): Promise<Record<string, unknown> | 'no_station'> {
    return this.ds.transaction(async (m) => {
      if (!(await this.stationExists(m, b.stationId))) return 'no_station';
      const id = randomUUID();
      const apiKey = newApiKey();
      await m.query(`INSERT INTO open311_clients (id, name, key_hash, station_id) VALUES ($1, $2, $3, $4)`, [
        id,
        b.name,
        keyHash(apiKey),
        b.stationId,
      ]);
      await audit(m, {
        actorUserId: actor.user.id,
        actorRole: actor.user.role,
        action: 'open311.client.create',
        entityType: 'open311_client',
        entityId: id,
        after: { name: b.name, stationId: b.stationId },
        requestId: actor.requestId,
      });
      return { ...(await this.client(id, m))!, apiKey };
    });
  }

  async updateClient(
    actor: Actor,
    id: string,
    b: { name?: string; stationId?: string; active?: boolean; rotateKey?: boolean },
  ): Promise<Record<string, unknown> | 'no_station' | null> {
    return this.ds.transaction(async (m) => {
      const before = await this.client(id, m);
      if (!before) return null;
      if (b.stationId && !(await this.stationExists(m, b.stationId))) return 'no_station';
      const apiKey = b.rotateKey ? newApiKey() : null;
      await m.query(
        `UPDATE open311_clients SET name = COALESCE($2, name), station_id = COALESCE($3, station_id),
           active = COALESCE($4, active), key_hash = COALESCE($5, key_hash) WHERE id = $1`,
        [id, b.name ?? null, b.stationId ?? null, b.active ?? null, apiKey ? keyHash(apiKey) : null],
      );
      await audit(m, {
        actorUserId: actor.user.id,
        actorRole: actor.user.role,
        action: 'open311.client.update',
        entityType: 'open311_client',
        entityId: id,
        before,
        after: { name: b.name, stationId: b.stationId, active: b.active, rotateKey: b.rotateKey === true },
        requestId: actor.requestId,
      });
      return { ...(await this.client(id, m))!, apiKey };
    });
  }
}
