/**
 * 履职档案 (issue 11): everything a deputy did, by year (China time) and term (届): suggestions led and
 * co-signed with their outcomes, constituent messages claimed and answered on time, duty days,
 * appointments, activities and training attended, each with the points it earned (the ledger the
 * points consumer keeps from events, by suggestion or by record), and the totals by source. Read
 * only; the xlsx and PDF exports are drawn from the same view.
 */
import type { DataSource } from 'typeorm';
import {
  activityKindLabels,
  appointmentStatusLabels,
  dutySlotLabels,
  messageStatusLabels,
  statusLabels,
  type ActivityKind,
  type AppointmentStatus,
  type DutySlot,
  type MessageStatus,
  type SuggestionStatus,
} from '@jianyi/domain';
import type { DeputyRecordView } from './contracts/station-records';
import { recordSources } from './contracts/station-records';
import { chinaToday } from './appointment.service';
import { problems } from './http/problem';
import { isoSql } from './sql';

type Source = (typeof recordSources)[number];
export const sourceLabels: Record<Source, string> = {
  suggestions: '代表建议',
  messages: '群众留言办理',
  dutyDays: '家站点值班',
  appointments: '群众约见',
  activities: '家站点活动',
  trainings: '代表讲堂（履职培训）',
};
/** Which section each points rule (policies/points/rules.json) belongs to. */
const ruleSource: Record<string, Source> = {
  message_on_time: 'messages',
  duty_day: 'dutyDays',
  appointment_held: 'appointments',
  activity: 'activities',
  training: 'trainings',
};

const YEAR = (col: string) => `extract(year FROM ${col})::int`;
const CHINA_YEAR = (col: string) => `extract(year FROM ${col} AT TIME ZONE 'Asia/Shanghai')::int`;

export class DeputyRecordService {
  constructor(private readonly ds: DataSource) {}

  async record(deputyId: string, year: number | null): Promise<DeputyRecordView> {
    const q = <T>(sql: string, params: unknown[] = []) => this.ds.query(sql, params) as Promise<T[]>;
    const deputy = (
      await q<DeputyRecordView['deputy']>(
        `SELECT id, name, town, delegation, level FROM deputies WHERE id = $1`,
        [deputyId],
      )
    )[0];
    if (!deputy) throw problems.notFound('deputy');
    const today = chinaToday();
    const p = [deputyId, year];
    const inYear = (expr: string) => `($2::int IS NULL OR ${expr} = $2)`;

    const ledger = await q<{
      rule: string;
      suggestionId: string | null;
      recordId: string | null;
      points: number;
    }>(
      `SELECT rule, suggestion_id AS "suggestionId", record_id AS "recordId", sum(points)::int AS points
       FROM points_ledger WHERE deputy_id = $1 AND ${inYear(CHINA_YEAR('occurred_at'))}
       GROUP BY rule, suggestion_id, record_id`,
      p,
    );
    const bySuggestion = new Map<string, number>();
    const byRecord = new Map<string, number>();
    const bySource = new Map<Source, number>();
    for (const l of ledger) {
      if (l.suggestionId)
        bySuggestion.set(l.suggestionId, (bySuggestion.get(l.suggestionId) ?? 0) + l.points);
      if (l.recordId) byRecord.set(l.recordId, (byRecord.get(l.recordId) ?? 0) + l.points);
      const src = ruleSource[l.rule] ?? 'suggestions';
      bySource.set(src, (bySource.get(src) ?? 0) + l.points);
    }

    const suggestions = await q<{ id: string; status: SuggestionStatus } & Record<string, unknown>>(
      `SELECT s.id, s.title, CASE WHEN s.lead_deputy_id = $1 THEN 'lead' ELSE 'cosigner' END AS role, s.status,
              s.registration_no AS "registrationNo", s.excellent, s.confidential, ${isoSql('s.submitted_at')} AS "submittedAt",
              (SELECT r.category FROM replies r WHERE r.suggestion_id = s.id AND r.sent_at IS NOT NULL ORDER BY r.sent_at DESC LIMIT 1) AS "replyCategory",
              (SELECT e.rating FROM evaluations e WHERE e.suggestion_id = s.id ORDER BY e.created_at DESC LIMIT 1) AS rating
       FROM suggestions s
       WHERE (s.lead_deputy_id = $1 OR EXISTS (SELECT 1 FROM suggestion_cosigners c WHERE c.suggestion_id = s.id AND c.deputy_id = $1))
         AND s.status <> 'draft' AND ${inYear(`COALESCE(s.session_year, ${CHINA_YEAR('s.submitted_at')})`)}
       ORDER BY s.submitted_at DESC NULLS LAST, s.id`,
      p,
    );
    const messages = await q<{ id: string; status: MessageStatus } & Record<string, unknown>>(
      `SELECT m.id, m.tracking_code AS "trackingCode", st.name AS "stationName", m.status,
              ${isoSql('m.claimed_at')} AS "claimedAt", ${isoSql('m.answered_at')} AS "answeredAt", m.on_time AS "onTime"
       FROM messages m LEFT JOIN stations st ON st.id = m.station_id
       WHERE m.claimed_by_deputy_id = $1 AND ${inYear(CHINA_YEAR('m.claimed_at'))}
       ORDER BY m.claimed_at DESC, m.id`,
      p,
    );
    const dutyDays = await q<{ id: string; slot: DutySlot } & Record<string, unknown>>(
      `SELECT du.id, s.name AS "stationName", du.day::text AS day, du.slot, du.served
       FROM station_duties du JOIN stations s ON s.id = du.station_id
       WHERE du.deputy_id = $1 AND du.day <= $3::date AND ${inYear(YEAR('du.day'))}
       ORDER BY du.day DESC, du.slot`,
      [...p, today],
    );
    const appointments = await q<
      { id: string; slot: DutySlot; status: AppointmentStatus } & Record<string, unknown>
    >(
      `SELECT a.id, s.name AS "stationName", a.day::text AS day, a.slot, a.status
       FROM appointments a JOIN stations s ON s.id = a.station_id
       WHERE a.deputy_id = $1 AND ${inYear(YEAR('a.day'))} ORDER BY a.day DESC, a.slot, a.id`,
      p,
    );
    const activities = await q<{ id: string; kind: ActivityKind } & Record<string, unknown>>(
      `SELECT a.id, s.name AS "stationName", a.kind, a.day::text AS day, a.title
       FROM station_activities a JOIN station_activity_attendees x ON x.activity_id = a.id AND x.deputy_id = $1
         JOIN stations s ON s.id = a.station_id
       WHERE ${inYear(YEAR('a.day'))} ORDER BY a.day DESC, a.id`,
      p,
    );
    const trainings = await q<{ id: string } & Record<string, unknown>>(
      `SELECT t.id, t.title, t.day::text AS day
       FROM training_sessions t JOIN training_attendance x ON x.session_id = t.id AND x.deputy_id = $1
       WHERE ${inYear(YEAR('t.day'))} ORDER BY t.day DESC, t.id`,
      p,
    );
    const years = await q<{ year: number }>(
      `SELECT DISTINCT y AS year FROM (
         SELECT COALESCE(s.session_year, ${CHINA_YEAR('s.submitted_at')}) AS y FROM suggestions s
           WHERE s.status <> 'draft' AND (s.lead_deputy_id = $1 OR EXISTS (SELECT 1 FROM suggestion_cosigners c WHERE c.suggestion_id = s.id AND c.deputy_id = $1))
         UNION SELECT ${CHINA_YEAR('claimed_at')} FROM messages WHERE claimed_by_deputy_id = $1
         UNION SELECT ${YEAR('day')} FROM station_duties WHERE deputy_id = $1 AND day <= $2::date
         UNION SELECT ${YEAR('day')} FROM appointments WHERE deputy_id = $1
         UNION SELECT ${YEAR('a.day')} FROM station_activities a JOIN station_activity_attendees x ON x.activity_id = a.id WHERE x.deputy_id = $1
         UNION SELECT ${YEAR('t.day')} FROM training_sessions t JOIN training_attendance x ON x.session_id = t.id WHERE x.deputy_id = $1
         UNION SELECT ${CHINA_YEAR('occurred_at')} FROM points_ledger WHERE deputy_id = $1
       ) y WHERE y IS NOT NULL ORDER BY year DESC`,
      [deputyId, today],
    );
    const periods = await Promise.all(
      years.map(async ({ year: y }) => ({ year: y, term: await this.termOf(y) })),
    );

    const withPoints = <T extends { id: string }>(rows: T[], from: Map<string, number>) =>
      rows.map((r) => ({ ...r, points: from.get(r.id) ?? 0 }));
    const view: DeputyRecordView = {
      deputy,
      year,
      term: year ? await this.termOf(year) : null,
      periods,
      totals: { points: 0, bySource: [] },
      suggestions: withPoints(suggestions, bySuggestion).map((s) => ({
        ...(s as unknown as DeputyRecordView['suggestions'][number]),
        statusLabel: statusLabels[s.status]?.zh ?? s.status,
      })),
      messages: withPoints(messages, byRecord).map((m) => ({
        ...(m as unknown as DeputyRecordView['messages'][number]),
        statusLabel: messageStatusLabels[m.status] ?? m.status,
      })),
      dutyDays: withPoints(dutyDays, byRecord).map(({ slot, ...d }) => ({
        ...(d as unknown as Omit<DeputyRecordView['dutyDays'][number], 'slotLabel'>),
        slotLabel: dutySlotLabels[slot],
      })),
      appointments: withPoints(appointments, byRecord).map(({ slot, ...a }) => ({
        ...(a as unknown as Omit<DeputyRecordView['appointments'][number], 'slotLabel' | 'statusLabel'>),
        slotLabel: dutySlotLabels[slot],
        statusLabel: appointmentStatusLabels[a.status],
      })),
      activities: withPoints(activities, byRecord).map(({ kind, ...a }) => ({
        ...(a as unknown as Omit<DeputyRecordView['activities'][number], 'kindLabel'>),
        kindLabel: activityKindLabels[kind],
      })),
      trainings: withPoints(trainings, byRecord) as unknown as DeputyRecordView['trainings'],
    };
    const counts: Record<Source, number> = {
      suggestions: view.suggestions.length,
      messages: view.messages.filter((m) => m.onTime).length,
      dutyDays: view.dutyDays.filter((d) => d.served).length,
      appointments: view.appointments.filter((a) => a.status === 'held').length,
      activities: view.activities.length,
      trainings: view.trainings.length,
    };
    view.totals.bySource = recordSources.map((source) => ({
      source,
      label: sourceLabels[source],
      count: counts[source],
      points: bySource.get(source) ?? 0,
    }));
    view.totals.points = view.totals.bySource.reduce((s, x) => s + x.points, 0);
    return view;
  }

  /** The term (届) a year falls in: that of the latest session begun by the end of the year. */
  private async termOf(year: number): Promise<number | null> {
    const rows: { term: number }[] = await this.ds.query(
      `SELECT term FROM congress_sessions WHERE extract(year FROM starts_on) <= $1 ORDER BY starts_on DESC LIMIT 1`,
      [year],
    );
    return rows[0]?.term ?? null;
  }
}
