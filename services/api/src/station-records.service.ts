/**
 * The stations' own records (issue 11): the day's desk (duties and appointments), duty days served
 * (值班履职), station activities (接待日, 问政, 视察, 学习) and training sessions (代表讲堂). Each record is
 * written with its outbox event (points go the usual way: rules.json) and an audit row in one
 * transaction; a duty day is recorded once, an attendee once per activity or session, so no event
 * credits twice.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  activityKindLabels,
  dutySlotLabels,
  type ActivityKind,
  type DutySlot,
  type StationEvent,
} from '@jianyi/domain';
import {
  appendStationOutbox,
  audit,
  isOverseer,
  policyKeyForNewWork,
  type SessionUser,
} from '@jianyi/platform';
import { chinaToday, stationEnvelope, type AppointmentService } from './appointment.service';
import { problems } from './http/problem';
import { isoSql } from './sql';

type Activity = {
  stationId: string;
  kind: ActivityKind;
  day: string;
  title: string;
  summary: string;
  attendeeDeputyIds: string[];
};
type Training = { title: string; day: string; venue: string; speaker: string; deputyIds: string[] };

const field = (f: string, message: string, messageEn: string) =>
  problems.invalid([{ field: f, message, messageEn }]);

export class StationRecordsService {
  constructor(
    private readonly ds: DataSource,
    private readonly appointments: AppointmentService,
  ) {}

  private async policy() {
    return policyKeyForNewWork(this.ds);
  }

  /** The caller's part in a station: its staff, a deputy attached to it, an overseer (reads), or none. */
  async relation(user: SessionUser, stationId: string): Promise<'staff' | 'deputy' | 'overseer' | null> {
    const rows: { staff: boolean; deputy: boolean }[] = await this.ds.query(
      `SELECT EXISTS (SELECT 1 FROM station_staff WHERE station_id = $1 AND user_id = $2) AS staff,
              EXISTS (SELECT 1 FROM station_deputies WHERE station_id = $1 AND deputy_id = $3::uuid) AS deputy
       FROM stations WHERE id = $1`,
      [stationId, user.id, user.deputyId],
    );
    const r = rows[0];
    if (!r) return null;
    if (user.role === 'station_staff' && r.staff) return 'staff';
    if (user.role === 'deputy' && r.deputy) return 'deputy';
    if (isOverseer(user)) return 'overseer';
    return null;
  }

  /** The station's desk for a day: who is on duty (and whether they served), the appointments. */
  async day(user: SessionUser, stationId: string, day: string) {
    const rel = await this.relation(user, stationId);
    if (!rel) throw problems.notFound('station');
    const station: { name: string }[] = await this.ds.query(`SELECT name FROM stations WHERE id = $1`, [
      stationId,
    ]);
    const duties: { slot: DutySlot }[] = await this.ds.query(
      `SELECT du.id, du.deputy_id AS "deputyId", d.name AS "deputyName", du.slot, du.served
       FROM station_duties du JOIN deputies d ON d.id = du.deputy_id
       WHERE du.station_id = $1 AND du.day = $2 ORDER BY CASE du.slot WHEN 'am' THEN 0 WHEN 'day' THEN 1 ELSE 2 END, d.name`,
      [stationId, day],
    );
    return {
      stationId,
      stationName: station[0]!.name,
      day,
      duties: duties.map((d) => ({ ...d, slotLabel: dutySlotLabels[d.slot] })),
      appointments: await this.appointments.list(user, { day, stationId, limit: 200 }),
      canRecord: rel === 'staff' && day <= chinaToday(),
    };
  }

  async dutyDay(dutyId: string): Promise<string | null> {
    const rows: { day: string }[] = await this.ds.query(
      `SELECT day::text AS day FROM station_duties WHERE id = $1`,
      [dutyId],
    );
    return rows[0]?.day ?? null;
  }

  /** 值班履职: the station's staff record (once) whether the deputy on duty served it. */
  async dutyServed(
    user: SessionUser,
    stationId: string,
    dutyId: string,
    served: boolean,
    requestId: string | null,
  ) {
    const rel = await this.relation(user, stationId);
    if (!rel) throw problems.notFound('station');
    if (rel !== 'staff') throw problems.forbidden("only the station's staff record duty days");
    const rows: { deputyId: string; day: string; slot: DutySlot; served: boolean | null }[] =
      await this.ds.query(
        `SELECT deputy_id AS "deputyId", day::text AS day, slot, served FROM station_duties WHERE id = $1 AND station_id = $2`,
        [dutyId, stationId],
      );
    const duty = rows[0];
    if (!duty) throw problems.notFound('duty');
    if (duty.day > chinaToday())
      throw problems.conflict('the duty day has not come yet', '值班日期未到,不能登记');
    const policyVersion = await this.policy();
    await this.ds.transaction(async (m) => {
      const done: unknown[] = await m.query(
        `WITH moved AS (UPDATE station_duties SET served = $2, served_recorded_at = now(), served_recorded_by = $3
         WHERE id = $1 AND served IS NULL RETURNING id) SELECT id FROM moved`,
        [dutyId, served, user.id],
      );
      if (!done.length) throw problems.conflict('the duty day was already recorded', '该值班已登记');
      if (served)
        await this.emit(m, user, policyVersion, {
          type: 'station.duty_served',
          recordId: dutyId,
          data: {
            audience: await this.audience(m, stationId, [duty.deputyId]),
            stationId,
            day: duty.day,
            attendeeDeputyIds: [duty.deputyId],
            deputyId: duty.deputyId,
            slot: duty.slot,
          },
        });
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'station.duty_served',
        entityType: 'station_duty',
        entityId: dutyId,
        after: { served },
        requestId,
      });
    });
  }

  private async audience(m: EntityManager, stationId: string | null, deputyIds: string[]) {
    const staff: { id: string }[] = stationId
      ? await m.query(`SELECT user_id AS id FROM station_staff WHERE station_id = $1 ORDER BY user_id`, [
          stationId,
        ])
      : [];
    return { deputyIds, unitIds: [], userIds: staff.map((s) => s.id) };
  }

  private async emit(
    m: EntityManager,
    user: SessionUser,
    policyVersion: string,
    e: Pick<StationEvent, 'type' | 'recordId' | 'data'>,
  ) {
    await appendStationOutbox(m, { ...e, ...stationEnvelope(user, policyVersion) } as StationEvent);
  }

  /** The deputies among `ids` that exist; the first unknown one's index otherwise. */
  private async unknownDeputy(ids: string[]): Promise<number> {
    const rows: { id: string }[] = await this.ds.query(`SELECT id FROM deputies WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);
    const known = new Set(rows.map((r) => r.id));
    return ids.findIndex((id) => !known.has(id));
  }

  /** Records a station activity (afterwards) with the deputies who attended; staff or a deputy of the station. */
  async recordActivity(user: SessionUser, a: Activity, m: EntityManager, requestId: string | null) {
    const rel = await this.relation(user, a.stationId);
    if (rel !== 'staff' && rel !== 'deputy')
      throw problems.forbidden("only the station's staff and its deputies record its activities");
    if (a.day > chinaToday())
      throw field('day', '日期:活动结束后再登记', 'record an activity after it took place');
    const attendees = [...new Set(a.attendeeDeputyIds)];
    const bad = await this.unknownDeputy(attendees);
    if (bad >= 0) throw field(`attendeeDeputyIds.${bad}`, '参加代表:有代表不存在', 'unknown deputy');
    const id = randomUUID();
    await m.query(
      `INSERT INTO station_activities (id, station_id, kind, day, title, summary, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [id, a.stationId, a.kind, a.day, a.title, a.summary, user.id],
    );
    for (const d of attendees)
      await m.query(`INSERT INTO station_activity_attendees (activity_id, deputy_id) VALUES ($1, $2)`, [
        id,
        d,
      ]);
    await this.emit(m, user, await this.policy(), {
      type: 'station.activity_recorded',
      recordId: id,
      data: {
        audience: await this.audience(m, a.stationId, attendees),
        stationId: a.stationId,
        day: a.day,
        attendeeDeputyIds: attendees,
        kind: a.kind,
      },
    });
    await audit(m, {
      actorUserId: user.id,
      actorRole: user.role,
      action: 'station.activity_recorded',
      entityType: 'station_activity',
      entityId: id,
      after: { ...a, attendeeDeputyIds: attendees },
      requestId,
    });
    return (await this.activities(user, { id }, m))[0]!;
  }

  /** Activities the caller may see: overseers all; staff their stations'; deputies their stations' and those they attended. */
  async activities(
    user: SessionUser,
    q: { id?: string; stationId?: string; deputyId?: string; limit?: number },
    m: EntityManager | DataSource = this.ds,
  ) {
    const scope = isOverseer(user)
      ? 'true'
      : user.role === 'station_staff'
        ? `a.station_id IN (SELECT station_id FROM station_staff WHERE user_id = $1::uuid)`
        : user.role === 'deputy'
          ? `(a.station_id IN (SELECT station_id FROM station_deputies WHERE deputy_id = $2::uuid)
              OR EXISTS (SELECT 1 FROM station_activity_attendees x WHERE x.activity_id = a.id AND x.deputy_id = $2::uuid))`
          : 'false';
    const rows: { kind: ActivityKind }[] = await m.query(
      `SELECT a.id, a.station_id AS "stationId", s.name AS "stationName", a.kind, a.day::text AS day, a.title, a.summary,
              COALESCE(u.display_name, '') AS "recordedByName", ${isoSql('a.created_at')} AS "createdAt",
              COALESCE((SELECT json_agg(json_build_object('id', d.id, 'name', d.name) ORDER BY d.name)
                        FROM station_activity_attendees x JOIN deputies d ON d.id = x.deputy_id WHERE x.activity_id = a.id), '[]') AS attendees
       FROM station_activities a JOIN stations s ON s.id = a.station_id LEFT JOIN users u ON u.id = a.recorded_by
       WHERE ($1::uuid IS NULL OR true) AND ($2::uuid IS NULL OR true) AND ${scope} AND ($3::uuid IS NULL OR a.id = $3) AND ($4::uuid IS NULL OR a.station_id = $4)
         AND ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM station_activity_attendees x WHERE x.activity_id = a.id AND x.deputy_id = $5))
       ORDER BY a.day DESC, a.created_at DESC LIMIT $6`,
      [user.id, user.deputyId, q.id ?? null, q.stationId ?? null, q.deputyId ?? null, q.limit ?? 100],
    );
    return rows.map((r) => ({ ...r, kindLabel: activityKindLabels[r.kind] }));
  }

  /** 代表讲堂: a training session (the reviewer or the admin), with the deputies who attended. */
  async createTraining(user: SessionUser, t: Training, m: EntityManager, requestId: string | null) {
    const exists: unknown[] = await m.query(`SELECT 1 FROM training_sessions WHERE title = $1 AND day = $2`, [
      t.title,
      t.day,
    ]);
    if (exists.length)
      throw problems.conflict('a session with this title on this day exists', '同一天已有同名的培训');
    const id = randomUUID();
    await m.query(
      `INSERT INTO training_sessions (id, title, day, venue, speaker, created_by) VALUES ($1,$2,$3,$4,$5,$6)`,
      [id, t.title, t.day, t.venue, t.speaker, user.id],
    );
    await audit(m, {
      actorUserId: user.id,
      actorRole: user.role,
      action: 'training.created',
      entityType: 'training_session',
      entityId: id,
      after: { title: t.title, day: t.day },
      requestId,
    });
    if (t.deputyIds.length) await this.attend(user, id, t.deputyIds, m, requestId);
    return (await this.trainings({ id }, m))[0]!;
  }

  /**
   * Adds attendance to a session; a deputy already recorded is skipped (so re-recording or re-importing
   * credits nothing twice). One event names the newly recorded deputies. Returns how many were new.
   */
  async attend(
    user: SessionUser,
    sessionId: string,
    deputyIds: string[],
    m: EntityManager,
    requestId: string | null,
  ) {
    const s: { day: string }[] = await m.query(
      `SELECT day::text AS day FROM training_sessions WHERE id = $1`,
      [sessionId],
    );
    if (!s[0]) throw problems.notFound('training session');
    if (s[0].day > chinaToday())
      throw problems.conflict('the session has not taken place yet', '培训尚未举行,不能登记出勤');
    const ids = [...new Set(deputyIds)];
    const bad = await this.unknownDeputy(ids);
    if (bad >= 0) throw field(`deputyIds.${bad}`, '参加代表:有代表不存在', 'unknown deputy');
    const added: { id: string }[] = await m.query(
      `INSERT INTO training_attendance (session_id, deputy_id) SELECT $1, unnest($2::uuid[])
       ON CONFLICT DO NOTHING RETURNING deputy_id AS id`,
      [sessionId, ids],
    );
    if (added.length) {
      const fresh = added.map((a) => a.id).sort();
      await this.emit(m, user, await this.policy(), {
        type: 'station.training_attended',
        recordId: sessionId,
        data: {
          audience: { deputyIds: fresh, unitIds: [], userIds: [] },
          stationId: null,
          day: s[0].day,
          attendeeDeputyIds: fresh,
        },
      });
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'training.attendance',
        entityType: 'training_session',
        entityId: sessionId,
        after: { deputyIds: fresh },
        requestId,
      });
    }
    return added.length;
  }

  async trainings(q: { id?: string }, m: EntityManager | DataSource = this.ds) {
    return m.query(
      `SELECT t.id, t.title, t.day::text AS day, t.venue, t.speaker,
              COALESCE((SELECT json_agg(json_build_object('id', d.id, 'name', d.name) ORDER BY d.name)
                        FROM training_attendance x JOIN deputies d ON d.id = x.deputy_id WHERE x.session_id = t.id), '[]') AS attendees
       FROM training_sessions t WHERE ($1::uuid IS NULL OR t.id = $1) ORDER BY t.day DESC, t.title LIMIT 200`,
      [q.id ?? null],
    ) as Promise<
      {
        id: string;
        title: string;
        day: string;
        venue: string;
        speaker: string;
        attendees: { id: string; name: string }[];
      }[]
    >;
  }
}
