/**
 * The daily digest (每日提醒) per handling unit: the unit's open assignments whose deadline falls
 * within N working days (or has passed), mailed to the unit's users who keep the digest on. One
 * digest per unit and date: its deliveries carry an event id derived from (unit, date), so running
 * the digest twice on a day (a restart, two notifier processes) sends nothing twice.
 */
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  chinaDayEnd,
  chinaDayStart,
  chinaDateOf,
  parseTimeOfDay,
  type CalendarDate,
  type WorkCalendar,
  type WorkingHours,
} from '@jianyi/domain';
import { holdUntil } from './schedule';
import { config } from '@jianyi/platform';
import { digestText, emailSubject, emailText, type DigestItem } from './templates';

export const DIGEST_EVENT_TYPE = 'digest.daily';

/** A stable UUID for the digest of one unit on one date: the dedupe key (unit + date). */
export function digestId(unitId: string, date: CalendarDate): string {
  const h = createHash('sha256').update(`jianyi-digest:${unitId}:${date}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface DigestOptions {
  date: CalendarDate;
  calendar: WorkCalendar;
  withinWorkingDays: number;
  hours: WorkingHours | null;
  /** When the digest is made; defaults to now. Its deliveries are held to working hours like any notice. */
  now?: number;
  /** Only these units (tests). */
  unitIds?: string[];
  /** The web app's address for the inbox link (config.web.publicUrl by default). */
  publicUrl?: string;
}

export interface DigestResult {
  units: number;
  deliveries: number;
}

export async function runDigest(ds: DataSource, opts: DigestOptions): Promise<DigestResult> {
  if (!opts.calendar.isWorkingDay(opts.date)) return { units: 0, deliveries: 0 };
  const cutoff = chinaDayEnd(opts.calendar.addWorkingDays(opts.date, opts.withinWorkingDays));
  const rows: {
    unitId: string;
    unitName: string;
    title: string;
    registrationNo: string | null;
    deadlineAt: Date;
    confidential: boolean;
  }[] = await ds.query(
    `SELECT a.unit_id AS "unitId", un.name AS "unitName", s.title, s.registration_no AS "registrationNo", a.deadline_at AS "deadlineAt", s.confidential
     FROM assignments a JOIN suggestions s ON s.id = a.suggestion_id AND s.round = a.round JOIN units un ON un.id = a.unit_id
     WHERE a.status IN ('pending', 'signed_in') AND a.deadline_at IS NOT NULL AND a.deadline_at <= $1
       AND s.status IN ('assigned', 'handling', 'rehandling') AND ($2::uuid[] IS NULL OR a.unit_id = ANY($2::uuid[]))
     ORDER BY a.unit_id, a.deadline_at, s.id`,
    [new Date(cutoff).toISOString(), opts.unitIds ?? null],
  );
  const byUnit = new Map<string, { name: string; items: DigestItem[]; confidential: number }>();
  for (const r of rows) {
    const deadline = new Date(r.deadlineAt).toISOString();
    const entry = byUnit.get(r.unitId) ?? { name: r.unitName, items: [], confidential: 0 };
    byUnit.set(r.unitId, entry);
    // A mail leaves the platform: a confidential (涉密) item is counted, never named.
    if (r.confidential) {
      entry.confidential += 1;
      continue;
    }
    entry.items.push({
      title: r.title,
      registrationNo: r.registrationNo,
      deadlineAt: deadline,
      daysLeft: opts.calendar.workingDaysLeft(opts.date, chinaDateOf(deadline)),
    });
  }
  const now = opts.now ?? Date.now();
  // Made before the day's working hours (e.g. a digest run at 08:30), it goes out when they start.
  const due = new Date(
    holdUntil(opts.calendar, Math.max(now, chinaDayStart(opts.date)), opts.hours),
  ).toISOString();
  let deliveries = 0;
  const inbox = `${(opts.publicUrl ?? config.web.publicUrl).replace(/\/+$/, '')}/`;
  for (const [unitId, { name, items, confidential }] of byUnit) {
    const users: { id: string; name: string; email: string }[] = await ds.query(
      `SELECT u.id, u.display_name AS name, u.email FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id
       WHERE u.active AND u.unit_id = $1 AND u.email IS NOT NULL AND COALESCE(p.digest, true) ORDER BY u.id`,
      [unitId],
    );
    const text = digestText(name, opts.date, items, { count: confidential, link: inbox });
    for (const u of users) {
      const r: unknown[] = await ds.query(
        `INSERT INTO notification_deliveries (event_id, event_type, recipient, channel, address, suggestion_id, subject, body, deliver_after, next_attempt_at)
         VALUES ($1, $2, $3, 'email', $4, NULL, $5, $6, $7, $7)
         ON CONFLICT (event_id, recipient, channel) DO NOTHING RETURNING id`,
        [
          digestId(unitId, opts.date),
          DIGEST_EVENT_TYPE,
          `user:${u.id}`,
          u.email,
          emailSubject(text).slice(0, 200),
          emailText(text, u.name),
          due,
        ],
      );
      deliveries += r.length;
    }
  }
  return { units: byUnit.size, deliveries };
}

/** True when the digest of `date` should run at `now`: a working day, at or after `digestAt` China time. */
export function digestDue(calendar: WorkCalendar, now: number, digestAt: string): CalendarDate | null {
  const date = chinaDateOf(now);
  if (!calendar.isWorkingDay(date)) return null;
  return now >= chinaDayStart(date) + parseTimeOfDay(digestAt) ? date : null;
}
