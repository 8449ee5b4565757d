/**
 * From a status event to notices. In-app notices are stored at once (they do not interrupt anyone,
 * so working hours do not apply). Email and webhook notices become rows of notification_deliveries
 * that the dispatcher sends when due: at once inside working hours, else at the start of the next
 * working day (the policy's notice hours on the DB calendar). Every row is unique by (event,
 * recipient, channel), so a consumer that sees an event again (a restart before its offset was
 * committed, a replay from the beginning) creates nothing new and therefore sends nothing twice.
 */
import type { DataSource } from 'typeorm';
import {
  DEFAULT_POLICY_KEY,
  noticeCategoryOf,
  wantsNotice,
  type CategoryChoices,
  type PolicyRegistry,
  type SuggestionEvent,
  type WorkCalendar,
  type WorkingHours,
} from '@jianyi/domain';
import { recipientPlan } from './recipients';
import { holdUntil } from './schedule';
import { config } from '@jianyi/platform';
import {
  confidentialNoticeText,
  emailSubject,
  emailText,
  itemLink,
  noticeText,
  webhookPayload,
} from './templates';

export interface NotifyDeps {
  /** The working-day calendar (loaded from PostgreSQL, cached by the caller). */
  calendar: () => Promise<WorkCalendar>;
  policies: PolicyRegistry;
  /** Clock; tests pass a fixed instant. */
  now?: () => number;
  /** The web app's address for links (config.web.publicUrl by default). */
  publicUrl?: string;
}

/** The notice hours of the policy the item runs under (the default policy's when unknown). */
export function noticeHours(policies: PolicyRegistry, policyVersion: string): WorkingHours | null {
  const p = policies.find(policyVersion) ?? policies.find(DEFAULT_POLICY_KEY);
  return p ? p.reminders.noticeHours : { start: '09:00', end: '17:30' };
}

interface RecipientRow {
  id: string;
  name: string;
  email: string | null;
  unitId: string | null;
  wantsEmail: boolean;
  wantsWebhook: boolean;
  categories: CategoryChoices;
}

export interface NotifyResult {
  inApp: number;
  deliveries: number;
}

export async function handleEvent(
  ds: DataSource,
  event: SuggestionEvent,
  deps: NotifyDeps,
): Promise<NotifyResult> {
  const rows: { title: string; registrationNo: string | null; confidential: boolean }[] = await ds.query(
    `SELECT title, registration_no AS "registrationNo", confidential FROM suggestions WHERE id = $1`,
    [event.suggestionId],
  );
  if (!rows[0]) return { inApp: 0, deliveries: 0 };
  const plan = recipientPlan(event);
  const users: RecipientRow[] = await ds.query(
    `SELECT u.id, u.display_name AS name, u.email, u.unit_id AS "unitId",
            COALESCE(p.email, true) AS "wantsEmail", COALESCE(p.webhook, true) AS "wantsWebhook",
            COALESCE(p.categories, '{}'::jsonb) AS categories
     FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id
     WHERE u.active AND (u.deputy_id = ANY($1::uuid[]) OR u.unit_id = ANY($2::uuid[])
       OR (u.role = 'unit_leader' AND u.unit_id = ANY($3::uuid[])) OR u.role = ANY($4::text[]) OR u.id = ANY($5::uuid[]))
       AND u.id IS DISTINCT FROM $6::uuid
     ORDER BY u.id`,
    [plan.deputyIds, plan.unitIds, plan.unitLeaderUnitIds, plan.roles, plan.userIds, event.actor.userId],
  );
  const unitIds = [
    ...new Set([
      ...event.data.audience.unitIds,
      ...plan.webhookUnitIds,
      ...('unitId' in event.data && event.data.unitId ? [event.data.unitId] : []),
    ]),
  ];
  const units: { id: string; name: string; url: string | null; active: boolean | null }[] = unitIds.length
    ? await ds.query(
        `SELECT un.id, un.name, w.url, w.active FROM units un LEFT JOIN unit_webhooks w ON w.unit_id = un.id WHERE un.id = ANY($1::uuid[])`,
        [unitIds],
      )
    : [];
  const text = noticeText(event, {
    title: rows[0].title,
    registrationNo: rows[0].registrationNo,
    unitNames: Object.fromEntries(units.map((u) => [u.id, u.name])),
  });

  // What leaves the platform (mail, third-party robots) for a confidential (涉密) item: the current
  // mark is read for every event, so every notice after the reviewer's decision is covered.
  const confidential = rows[0].confidential;
  const outside = confidential
    ? confidentialNoticeText(itemLink(deps.publicUrl ?? config.web.publicUrl, event.suggestionId))
    : text;

  const now = deps.now?.() ?? Date.now();
  const due = new Date(
    holdUntil(await deps.calendar(), now, noticeHours(deps.policies, event.policyVersion)),
  ).toISOString();

  // Each user's choice per kind of notice (通知类别) and channel, on top of the channel's own switch.
  const category = noticeCategoryOf(event.type);
  const inAppUsers = users.filter((u) => wantsNotice(u.categories, category, 'in_app'));

  return ds.transaction(async (m) => {
    const inApp: unknown[] = inAppUsers.length
      ? await m.query(
          `INSERT INTO notifications (event_id, user_id, channel, event_type, suggestion_id, title, body)
           SELECT $1, unnest($2::uuid[]), 'in_app', $3, $4, $5, $6
           ON CONFLICT (event_id, user_id, channel) DO NOTHING RETURNING id`,
          [event.id, inAppUsers.map((u) => u.id), event.type, event.suggestionId, text.title, text.body],
        )
      : [];
    const deliveries: {
      recipient: string;
      channel: string;
      address: string;
      subject: string;
      body: string;
    }[] = [];
    for (const u of users) {
      if (u.wantsEmail && u.email && wantsNotice(u.categories, category, 'email')) {
        deliveries.push({
          recipient: `user:${u.id}`,
          channel: 'email',
          address: u.email,
          subject: emailSubject(outside),
          body: emailText(outside, u.name),
        });
      }
    }
    // A unit's group robot is posted to once per event when at least one of its users here keeps webhooks on.
    for (const unit of units) {
      if (!plan.webhookUnitIds.includes(unit.id) || !unit.url || !unit.active) continue;
      if (
        !users.some(
          (u) => u.unitId === unit.id && u.wantsWebhook && wantsNotice(u.categories, category, 'webhook'),
        )
      )
        continue;
      deliveries.push({
        recipient: `unit:${unit.id}`,
        channel: 'webhook',
        address: unit.url,
        subject: outside.title,
        body: JSON.stringify(webhookPayload(event, outside, { confidential })),
      });
    }
    let created = 0;
    for (const d of deliveries) {
      const r: unknown[] = await m.query(
        `INSERT INTO notification_deliveries (event_id, event_type, recipient, channel, address, suggestion_id, subject, body, deliver_after, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
         ON CONFLICT (event_id, recipient, channel) DO NOTHING RETURNING id`,
        [
          event.id,
          event.type,
          d.recipient,
          d.channel,
          d.address,
          event.suggestionId,
          d.subject.slice(0, 200),
          d.body,
          due,
        ],
      );
      created += r.length;
    }
    return { inApp: inApp.length, deliveries: created };
  });
}
