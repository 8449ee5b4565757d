/**
 * Stations (家站点) for the admin, mounted at /api/admin/stations: list, create, edit (kind, town,
 * address, opening hours, attached deputies, staff users), the duty roster (值班表), and the
 * deputies' own codes. Every write runs in one transaction with its audit row.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { DataSource, EntityManager } from 'typeorm';
import { Role, stationKindLabels, type StationKind } from '@jianyi/domain';
import { audit } from '@jianyi/platform';
import { dutiesBody, stationBody, stationPatch } from './contracts/intake';
import { requireRole } from './http/auth';
import { problems } from './http/problem';
import { randomCode, TARGET_CODE_LENGTH } from './intake.service';
import { parseIntake } from './intake-public.routes';

/** A code no station and no deputy has yet. */
async function freeCode(m: EntityManager | DataSource): Promise<string> {
  for (;;) {
    const code = randomCode(TARGET_CODE_LENGTH);
    const used: unknown[] = await m.query(
      `SELECT 1 FROM stations WHERE code = $1 UNION ALL SELECT 1 FROM deputy_codes WHERE code = $1`,
      [code],
    );
    if (!used.length) return code;
  }
}

export async function stationDetail(ds: DataSource | EntityManager, id: string) {
  const rows: Record<string, unknown>[] = await ds.query(
    `SELECT id, code, name, kind, town, address, opening_hours AS "openingHours", active FROM stations WHERE id = $1`,
    [id],
  );
  const s = rows[0];
  if (!s) return null;
  const [deputies, staff, duties] = await Promise.all([
    ds.query(
      `SELECT d.id, d.name, d.town FROM station_deputies sd JOIN deputies d ON d.id = sd.deputy_id WHERE sd.station_id = $1 ORDER BY d.name`,
      [id],
    ),
    ds.query(
      `SELECT u.id, u.username, u.display_name AS "displayName" FROM station_staff ss JOIN users u ON u.id = ss.user_id WHERE ss.station_id = $1 ORDER BY u.username`,
      [id],
    ),
    ds.query(
      `SELECT du.deputy_id AS "deputyId", d.name AS "deputyName", to_char(du.day, 'YYYY-MM-DD') AS day, du.slot
       FROM station_duties du JOIN deputies d ON d.id = du.deputy_id
       WHERE du.station_id = $1 AND du.day >= (now() AT TIME ZONE 'Asia/Shanghai')::date - 7 ORDER BY du.day, du.slot`,
      [id],
    ),
  ]);
  return { ...s, kindLabel: stationKindLabels[s.kind as StationKind], deputies, staff, duties };
}

export function stationAdminRoutes(ds: DataSource): Router {
  const r = Router();
  const admin = (req: Request) => requireRole(req, Role.admin);

  const setMembers = async (m: EntityManager, id: string, deputyIds?: string[], staffUserIds?: string[]) => {
    if (deputyIds) {
      const found: { n: number }[] = await m.query(
        `SELECT count(*)::int AS n FROM deputies WHERE id = ANY($1::uuid[])`,
        [deputyIds],
      );
      if (found[0]!.n !== new Set(deputyIds).size)
        throw problems.invalid([
          { field: 'deputyIds', message: '进站代表:有代表不存在', messageEn: 'unknown deputy' },
        ]);
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
      if (found[0]!.n !== new Set(staffUserIds).size)
        throw problems.invalid([
          {
            field: 'staffUserIds',
            message: '站点工作人员:须为“站点工作人员”角色的用户',
            messageEn: 'each staff user must exist and have the station_staff role',
          },
        ]);
      await m.query(`DELETE FROM station_staff WHERE station_id = $1`, [id]);
      await m.query(
        `INSERT INTO station_staff (station_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
        [id, staffUserIds],
      );
    }
  };

  r.get('/', async (req, res) => {
    admin(req);
    const rows: unknown[] = await ds.query(
      `SELECT s.id, s.code, s.name, s.kind, s.town, s.address, s.opening_hours AS "openingHours", s.active,
              (SELECT count(*)::int FROM station_deputies sd WHERE sd.station_id = s.id) AS deputies,
              (SELECT count(*)::int FROM station_staff ss WHERE ss.station_id = s.id) AS staff,
              (SELECT count(*)::int FROM messages m WHERE m.station_id = s.id) AS messages
       FROM stations s ORDER BY s.town, s.name`,
    );
    res.json({ items: rows });
  });

  /** Every deputy with their own code (a missing one is made on the way). */
  r.get('/deputy-codes', async (req, res) => {
    admin(req);
    await ds.transaction(async (m) => {
      const missing: { id: string }[] = await m.query(
        `SELECT d.id FROM deputies d LEFT JOIN deputy_codes c ON c.deputy_id = d.id WHERE c.code IS NULL FOR UPDATE OF d`,
      );
      for (const d of missing)
        await m.query(`INSERT INTO deputy_codes (deputy_id, code) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
          d.id,
          await freeCode(m),
        ]);
    });
    const rows: unknown[] = await ds.query(
      `SELECT d.id, d.name, d.town, c.code FROM deputies d JOIN deputy_codes c ON c.deputy_id = d.id ORDER BY d.town, d.name`,
    );
    res.json({ items: rows });
  });

  r.get('/:id', async (req, res) => {
    admin(req);
    if (!z.uuid().safeParse(req.params.id).success) throw problems.notFound('station');
    const s = await stationDetail(ds, String(req.params.id));
    if (!s) throw problems.notFound('station');
    res.json(s);
  });

  r.post('/', async (req, res) => {
    const user = admin(req);
    const b = parseIntake(stationBody, req.body);
    const id = randomUUID();
    const out = await ds.transaction(async (m) => {
      const code = await freeCode(m);
      await m.query(
        `INSERT INTO stations (id, code, name, kind, town, address, opening_hours) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
        [id, code, b.name, b.kind, b.town, b.address, b.openingHours],
      );
      await setMembers(m, id, b.deputyIds, b.staffUserIds);
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'station.create',
        entityType: 'station',
        entityId: id,
        after: { ...b, code },
        requestId: req.requestId ?? null,
      });
      return stationDetail(m, id);
    });
    res.status(201).json(out);
  });

  r.patch('/:id', async (req, res) => {
    const user = admin(req);
    const id = String(req.params.id);
    if (!z.uuid().safeParse(id).success) throw problems.notFound('station');
    const b = parseIntake(stationPatch, req.body);
    const out = await ds.transaction(async (m) => {
      const before = await stationDetail(m, id);
      if (!before) throw problems.notFound('station');
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
      await setMembers(m, id, b.deputyIds, b.staffUserIds);
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'station.update',
        entityType: 'station',
        entityId: id,
        before: before as Record<string, unknown>,
        after: b,
        requestId: req.requestId ?? null,
      });
      return stationDetail(m, id);
    });
    res.json(out);
  });

  /** Replaces the roster from today on with the given duties (past days are kept as the record). */
  r.put('/:id/duties', async (req, res) => {
    const user = admin(req);
    const id = String(req.params.id);
    if (!z.uuid().safeParse(id).success) throw problems.notFound('station');
    const b = parseIntake(dutiesBody, req.body);
    const out = await ds.transaction(async (m) => {
      const s = await stationDetail(m, id);
      if (!s) throw problems.notFound('station');
      const attached = new Set((s.deputies as { id: string }[]).map((d) => d.id));
      const stray = b.duties.findIndex((d) => !attached.has(d.deputyId));
      if (stray >= 0)
        throw problems.invalid([
          {
            field: `duties.${stray}.deputyId`,
            message: '值班表:值班代表须为本站进站代表',
            messageEn: 'the deputy on duty must be attached to this station',
          },
        ]);
      await m.query(
        `DELETE FROM station_duties WHERE station_id = $1 AND day >= (now() AT TIME ZONE 'Asia/Shanghai')::date`,
        [id],
      );
      for (const d of b.duties)
        await m.query(
          `INSERT INTO station_duties (id, station_id, deputy_id, day, slot) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`,
          [randomUUID(), id, d.deputyId, d.day, d.slot],
        );
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'station.duties',
        entityType: 'station',
        entityId: id,
        after: { duties: b.duties.length },
        requestId: req.requestId ?? null,
      });
      return stationDetail(m, id);
    });
    res.json(out);
  });
  return r;
}
