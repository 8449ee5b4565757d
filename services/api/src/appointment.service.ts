/**
 * 约见 (issue 11): a constituent, or the station's staff for them, books an appointment with a deputy
 * on one of the station's duty slots; the deputy confirms or declines with a reason; the constituent
 * follows it with the tracking code; the staff record afterwards whether the meeting took place. Each
 * step writes the appointment, its outbox event (notices and points go the usual way) and, for staff
 * and deputies, an audit row, in one transaction. Name and phone are personal data: only the deputy
 * asked for and the station's staff read them.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  appointmentStatusLabels,
  chinaDateOf,
  dutySlotLabels,
  isWellFormedCode,
  normalizeCode,
  plainAppointmentProgress,
  type Actor,
  type AppointmentStatus,
  type DutySlot,
  type StationEvent,
} from '@jianyi/domain';
import {
  appendStationOutbox,
  audit,
  config,
  isOverseer,
  policyKeyForNewWork,
  type SessionUser,
} from '@jianyi/platform';
import { TRACKING_CODE_LENGTH } from '@jianyi/domain';
import type { AppointmentView } from './contracts/station-records';
import { HttpProblem, problems } from './http/problem';
import { randomCode, type IntakeService } from './intake.service';
import { isoSql } from './sql';

export const chinaToday = () => chinaDateOf(Date.now());

export interface NewAppointment {
  stationId: string | null;
  deputyId: string;
  day: string;
  slot: DutySlot;
  topic: string;
  name: string | null;
  phone: string;
  channel: 'online' | 'staff';
  sourceHash: string | null;
  createdBy: SessionUser | null;
  requestId: string | null;
}

interface Row {
  id: string;
  trackingCode: string;
  stationId: string;
  stationName: string;
  address: string;
  deputyId: string;
  deputyName: string;
  day: string;
  slot: DutySlot;
  topic: string;
  channel: string;
  status: AppointmentStatus;
  declineReason: string | null;
  decidedAt: string | null;
  attendanceAt: string | null;
  createdAt: string;
  name: string | null;
  phone: string;
  staffUserIds: string[];
}

const SELECT = `SELECT a.id, a.tracking_code AS "trackingCode", a.station_id AS "stationId", s.name AS "stationName",
    s.address, a.deputy_id AS "deputyId", d.name AS "deputyName", a.day::text AS day, a.slot, a.topic, a.channel,
    a.status, a.decline_reason AS "declineReason", ${isoSql('a.decided_at')} AS "decidedAt",
    ${isoSql('a.attendance_at')} AS "attendanceAt", ${isoSql('a.created_at')} AS "createdAt", a.name, a.phone,
    COALESCE((SELECT array_agg(ss.user_id::text) FROM station_staff ss WHERE ss.station_id = a.station_id), '{}') AS "staffUserIds"
  FROM appointments a JOIN stations s ON s.id = a.station_id JOIN deputies d ON d.id = a.deputy_id`;

const slotTaken = () =>
  new HttpProblem(409, '该时段已被预约', 'the deputy already has an appointment on this slot', [
    { field: 'slot', message: '时段:该代表此时段已有约见,请选择其他时段', messageEn: 'this slot is taken' },
  ]);
const field = (f: string, message: string, messageEn: string) =>
  problems.invalid([{ field: f, message, messageEn }]);

function tooMany(what: 'address' | 'phone'): HttpProblem {
  return new HttpProblem(
    429,
    what === 'address' ? '提交过于频繁，请稍后再试' : '该手机号今日预约次数已达上限，请明天再试',
    what === 'address'
      ? 'too many appointments from this address; try again later'
      : 'too many appointments with this phone number today',
  );
}

/** What every station event carries besides its type, record and data. */
export const stationEnvelope = (user: SessionUser | null, policyVersion: string) => ({
  id: randomUUID(),
  version: 1 as const,
  occurredAt: new Date().toISOString(),
  actor: actorOf(user),
  policyVersion,
});

export const actorOf = (u: SessionUser | null): Actor =>
  u
    ? { userId: u.id, role: u.role as Actor['role'], name: u.displayName, deputyId: u.deputyId }
    : { userId: null, role: null, name: '群众' };

export class AppointmentService {
  constructor(
    private readonly ds: DataSource,
    private readonly intake: IntakeService,
  ) {}

  /** The duty slots from today on for 30 days of a station's (or a deputy's) QR target, free or taken. */
  async slots(code: string) {
    const t = await this.intake.target(code);
    const items = await this.ds.query(
      `SELECT du.station_id AS "stationId", s.name AS "stationName", du.deputy_id AS "deputyId", d.name AS "deputyName",
              du.day::text AS day, du.slot,
              NOT EXISTS (SELECT 1 FROM appointments a WHERE a.deputy_id = du.deputy_id AND a.day = du.day
                          AND a.slot = du.slot AND a.status IN ('requested', 'confirmed')) AS available
       FROM station_duties du JOIN stations s ON s.id = du.station_id AND s.active
         JOIN station_deputies sd ON sd.station_id = du.station_id AND sd.deputy_id = du.deputy_id
         JOIN deputies d ON d.id = du.deputy_id
       WHERE du.day BETWEEN $3::date AND $3::date + 30
         AND (($1::uuid IS NOT NULL AND $2::uuid IS NULL AND du.station_id = $1) OR ($2::uuid IS NOT NULL AND du.deputy_id = $2))
       ORDER BY du.day, CASE du.slot WHEN 'am' THEN 0 WHEN 'day' THEN 1 ELSE 2 END, d.name`,
      [t.kind === 'station' ? t.stationId : null, t.kind === 'deputy' ? t.deputyId : null, chinaToday()],
    );
    return {
      items: (items as { slot: DutySlot }[]).map((i) => ({ ...i, slotLabel: dutySlotLabels[i.slot] })),
    };
  }

  /**
   * Books a slot: the deputy must be on duty then (at the target's station, or any station for a
   * deputy's own code), from today on. One live appointment per deputy and slot (the unique index
   * answers a race with 409 too).
   */
  async create(a: NewAppointment): Promise<{ id: string; trackingCode: string }> {
    if (a.day < chinaToday()) throw field('day', '日期:不能早于今天', 'the day is in the past');
    const duty: { stationId: string }[] = await this.ds.query(
      `SELECT du.station_id AS "stationId" FROM station_duties du JOIN stations s ON s.id = du.station_id AND s.active
         JOIN station_deputies sd ON sd.station_id = du.station_id AND sd.deputy_id = du.deputy_id
       WHERE du.deputy_id = $1 AND du.day = $2 AND du.slot = $3 AND ($4::uuid IS NULL OR du.station_id = $4)
       ORDER BY du.station_id LIMIT 1`,
      [a.deputyId, a.day, a.slot, a.stationId],
    );
    const stationId = duty[0]?.stationId;
    if (!stationId)
      throw field('slot', '时段:该代表此时段不在本站值班', 'the deputy is not on duty at this station then');
    const policyVersion = await policyKeyForNewWork(this.ds);
    try {
      return await this.ds.transaction(async (m) => {
        if (a.channel === 'online') await this.limit(m, a);
        const id = randomUUID();
        const trackingCode = randomCode(TRACKING_CODE_LENGTH);
        await m.query(
          `INSERT INTO appointments (id, tracking_code, station_id, deputy_id, day, slot, topic, name, phone, channel, source_hash, created_by)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
          [
            id,
            trackingCode,
            stationId,
            a.deputyId,
            a.day,
            a.slot,
            a.topic,
            a.name,
            a.phone,
            a.channel,
            a.sourceHash,
            a.createdBy?.id ?? null,
          ],
        );
        await this.emit(m, 'station.appointment_requested', a.createdBy, policyVersion, {
          id,
          stationId,
          deputyId: a.deputyId,
          day: a.day,
          slot: a.slot,
        });
        if (a.createdBy)
          await audit(m, {
            actorUserId: a.createdBy.id,
            actorRole: a.createdBy.role,
            action: 'appointment.booked',
            entityType: 'appointment',
            entityId: id,
            after: { stationId, deputyId: a.deputyId, day: a.day, slot: a.slot },
            requestId: a.requestId,
          });
        return { id, trackingCode };
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw slotTaken();
      throw err;
    }
  }

  /** The public form's abuse limits, counted under a lock so two concurrent requests cannot both pass. */
  private async limit(m: EntityManager, a: NewAppointment) {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('jianyi.appointment-limits'))`);
    if (a.sourceHash) {
      const r: { n: number }[] = await m.query(
        `SELECT count(*)::int AS n FROM appointments WHERE source_hash = $1 AND created_at > now() - interval '1 hour'`,
        [a.sourceHash],
      );
      if (r[0]!.n >= config.intake.perAddressPerHour) throw tooMany('address');
    }
    const p: { n: number }[] = await m.query(
      `SELECT count(*)::int AS n FROM appointments WHERE phone = $1 AND channel = 'online' AND created_at > now() - interval '1 day'`,
      [a.phone],
    );
    if (p[0]!.n >= config.intake.perPhonePerDay) throw tooMany('phone');
  }

  /** Whether the user is staff of the (active) station. */
  staffs(userId: string, stationId: string): Promise<unknown[]> {
    return this.ds.query(
      `SELECT 1 FROM station_staff ss JOIN stations s ON s.id = ss.station_id AND s.active WHERE ss.station_id = $1 AND ss.user_id = $2`,
      [stationId, userId],
    );
  }

  /** The constituent's view by tracking code (no name, no phone); 404 for anything unknown or malformed. */
  async track(raw: string | undefined) {
    const code = normalizeCode(raw ?? '');
    if (!isWellFormedCode(code)) throw problems.notFound('code');
    const rows: Row[] = await this.ds.query(`${SELECT} WHERE a.tracking_code = $1`, [code]);
    const r = rows[0];
    if (!r) throw problems.notFound('code');
    return {
      trackingCode: r.trackingCode,
      status: r.status,
      statusLabel: appointmentStatusLabels[r.status],
      progress: plainAppointmentProgress(r.status, r.declineReason),
      stationName: r.stationName,
      address: r.address,
      deputyName: r.deputyName,
      day: r.day,
      slot: r.slot,
      slotLabel: dutySlotLabels[r.slot],
      topic: r.topic,
      declineReason: r.declineReason,
      createdAt: r.createdAt,
    };
  }

  /** Who the caller is to this appointment: its deputy, the station's staff, an overseer (reads only), or nobody. */
  private relation(user: SessionUser, r: Row): 'deputy' | 'staff' | 'overseer' | null {
    if (user.role === 'deputy' && user.deputyId === r.deputyId) return 'deputy';
    if (user.role === 'station_staff' && r.staffUserIds.includes(user.id)) return 'staff';
    if (isOverseer(user)) return 'overseer';
    return null;
  }

  present(user: SessionUser, r: Row): AppointmentView {
    const rel = this.relation(user, r);
    const personal = rel === 'deputy' || rel === 'staff';
    const allowed: AppointmentView['allowedActions'] = [];
    if (rel === 'deputy' && r.status === 'requested') allowed.push('confirm', 'decline');
    if (rel === 'deputy' && r.status === 'confirmed') allowed.push('decline');
    if (rel === 'staff' && r.status === 'confirmed' && r.day <= chinaToday()) allowed.push('attendance');
    return {
      id: r.id,
      trackingCode: r.trackingCode,
      stationId: r.stationId,
      stationName: r.stationName,
      deputyId: r.deputyId,
      deputyName: r.deputyName,
      day: r.day,
      slot: r.slot,
      topic: r.topic,
      channel: r.channel,
      status: r.status,
      declineReason: r.declineReason,
      decidedAt: r.decidedAt,
      attendanceAt: r.attendanceAt,
      createdAt: r.createdAt,
      slotLabel: dutySlotLabels[r.slot],
      statusLabel: appointmentStatusLabels[r.status],
      name: personal ? r.name : null,
      phone: personal ? r.phone : null,
      allowedActions: allowed,
    };
  }

  /** The appointments the caller may see: the deputy's own, the station staff's stations', all for overseers. */
  async list(user: SessionUser, q: { day?: string; stationId?: string; status?: string; limit?: number }) {
    const scope =
      user.role === 'deputy'
        ? `a.deputy_id = $1::uuid`
        : user.role === 'station_staff'
          ? `a.station_id IN (SELECT station_id FROM station_staff WHERE user_id = $2::uuid)`
          : isOverseer(user)
            ? 'true'
            : 'false';
    const rows: Row[] = await this.ds.query(
      // $1 and $2 typed even where the scope does not use them.
      `${SELECT} WHERE ($1::uuid IS NULL OR true) AND ($2::uuid IS NULL OR true) AND ${scope} AND ($3::date IS NULL OR a.day = $3) AND ($4::uuid IS NULL OR a.station_id = $4)
         AND ($5::text IS NULL OR a.status = $5)
       ORDER BY a.day DESC, CASE a.slot WHEN 'am' THEN 0 WHEN 'day' THEN 1 ELSE 2 END, a.created_at DESC LIMIT $6`,
      [user.deputyId, user.id, q.day ?? null, q.stationId ?? null, q.status ?? null, q.limit ?? 100],
    );
    return rows.map((r) => this.present(user, r));
  }

  /** One appointment the caller may see (404 otherwise, so an id reveals nothing). */
  async row(user: SessionUser, id: string): Promise<Row> {
    const rows: Row[] = await this.ds.query(`${SELECT} WHERE a.id = $1`, [id]);
    const r = rows[0];
    if (!r || !this.relation(user, r)) throw problems.notFound('appointment');
    return r;
  }

  async view(user: SessionUser, id: string) {
    return this.present(user, await this.row(user, id));
  }

  /** The deputy confirms a requested appointment. */
  async confirm(user: SessionUser, id: string, requestId: string | null) {
    const r = await this.row(user, id);
    if (this.relation(user, r) !== 'deputy') throw problems.forbidden('only the deputy asked for confirms');
    await this.move(user, r, ['requested'], 'confirmed', requestId, {});
  }

  /** The deputy declines (also a confirmed one they can no longer keep), with the reason the constituent reads. */
  async decline(user: SessionUser, id: string, reason: string, requestId: string | null) {
    const r = await this.row(user, id);
    if (this.relation(user, r) !== 'deputy') throw problems.forbidden('only the deputy asked for declines');
    await this.move(user, r, ['requested', 'confirmed'], 'declined', requestId, { reason });
  }

  /** The station's staff record afterwards whether the meeting took place (once). */
  async attendance(user: SessionUser, id: string, held: boolean, requestId: string | null) {
    const r = await this.row(user, id);
    if (this.relation(user, r) !== 'staff')
      throw problems.forbidden("only the station's staff record attendance");
    if (r.status === 'confirmed' && r.day > chinaToday())
      throw problems.conflict('the appointment has not taken place yet', '约见日期未到,不能登记见面情况');
    await this.move(user, r, ['confirmed'], held ? 'held' : 'missed', requestId, {});
  }

  private async move(
    user: SessionUser,
    r: Row,
    from: AppointmentStatus[],
    to: AppointmentStatus,
    requestId: string | null,
    extra: { reason?: string },
  ) {
    const policyVersion = await policyKeyForNewWork(this.ds);
    await this.ds.transaction(async (m) => {
      const decided = to === 'confirmed' || to === 'declined';
      // A bare UPDATE answers TypeORM's [rows, affected]; the CTE answers the updated rows themselves.
      const moved: unknown[] = await m.query(
        `WITH moved AS (UPDATE appointments SET status = $2::varchar, updated_at = now(),
           decline_reason = CASE WHEN $2::varchar = 'declined' THEN $3::text ELSE decline_reason END,
           decided_at = CASE WHEN $4::boolean THEN now() ELSE decided_at END,
           decided_by = CASE WHEN $4::boolean THEN $5::uuid ELSE decided_by END,
           attendance_at = CASE WHEN $4::boolean THEN attendance_at ELSE now() END,
           attendance_by = CASE WHEN $4::boolean THEN attendance_by ELSE $5::uuid END
         WHERE id = $1 AND status = ANY($6::text[]) RETURNING id) SELECT id FROM moved`,
        [r.id, to, extra.reason ?? null, decided, user.id, from],
      );
      if (!moved.length)
        throw problems.conflict(
          `the appointment is ${r.status}, not ${from.join(' or ')}`,
          `约见${appointmentStatusLabels[r.status]},不能再办理此操作`,
        );
      const type = (
        {
          confirmed: 'station.appointment_confirmed',
          declined: 'station.appointment_declined',
          held: 'station.appointment_held',
          missed: 'station.appointment_missed',
        } as const
      )[to as 'confirmed' | 'declined' | 'held' | 'missed'];
      await this.emit(m, type, user, policyVersion, { ...r, reason: extra.reason });
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: `appointment.${to}`,
        entityType: 'appointment',
        entityId: r.id,
        before: { status: r.status },
        after: { status: to, ...(extra.reason ? { reason: extra.reason } : {}) },
        requestId,
      });
    });
  }

  private async emit(
    m: EntityManager,
    type: Extract<StationEvent['type'], `station.appointment_${string}`>,
    user: SessionUser | null,
    policyVersion: string,
    a: { id: string; stationId: string; deputyId: string; day: string; slot: DutySlot; reason?: string },
  ) {
    const staff: { id: string }[] = await m.query(
      `SELECT ss.user_id AS id FROM station_staff ss JOIN users u ON u.id = ss.user_id AND u.active WHERE ss.station_id = $1 ORDER BY ss.user_id`,
      [a.stationId],
    );
    const data = {
      audience: { deputyIds: [a.deputyId], unitIds: [], userIds: staff.map((s) => s.id) },
      stationId: a.stationId,
      day: a.day,
      deputyId: a.deputyId,
      slot: a.slot,
      // Only a meeting that took place earns the deputy points (rules.json: appointment_held).
      attendeeDeputyIds: type === 'station.appointment_held' ? [a.deputyId] : [],
    };
    const base = { ...stationEnvelope(user, policyVersion), recordId: a.id };
    await appendStationOutbox(
      m,
      type === 'station.appointment_declined'
        ? { ...base, type, data: { ...data, reason: a.reason ?? '' } }
        : { ...base, type, data },
    );
  }
}
