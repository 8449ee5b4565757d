/**
 * The notifier against the real test stack: events go into the outbox, the relay publishes them to
 * Kafka, the running notifier (infra/services.sh) stores in-app notices and deliveries and its
 * dispatcher mails to a real SMTP server on loopback (JIANYI_SMTP_PORT) and posts to a real HTTP
 * receiver. Some cases call the notifier's functions directly with a chosen clock (holding, digest).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import {
  addDays,
  chinaDateOf,
  chinaDayStart,
  parseTimeOfDay,
  parseEvent,
  type WorkCalendar,
} from '@jianyi/domain';
import { loadPolicyRegistry } from '@jianyi/domain/src/policy/load-files';
import { config, createKafka, loadWorkCalendar, openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';
import { digestId, runDigest } from '../src/digest';
import { createMailer, dispatchDue } from '../src/dispatcher';
import { handleEvent } from '../src/notifier';
import { verifyWebhook } from '../src/signing';
import { HookReceiver, MailSink, World } from './support';

const WANG = demoId('deputy:wang');
const WANG_EMAIL = 'wangjianguo@example.test';
const settings = config.notifier;
const policies = loadPolicyRegistry();

let ds: DataSource;
let sink: MailSink;
let world: World;
let calendar: WorkCalendar;
const mailer = createMailer(settings.smtp);
const deps = () => ({ calendar: async () => calendar, policies });
const dispatchOnly = (eventIds: string[], now?: number) =>
  dispatchDue(ds, { mailer, settings, eventIds, ...(now !== undefined ? { now } : {}) });
const deliveries = (
  eventId: string,
): Promise<
  {
    recipient: string;
    channel: string;
    status: string;
    attempts: number;
    deliverAfter: Date;
    lastError: string | null;
  }[]
> =>
  ds.query(
    `SELECT recipient, channel, status, attempts, deliver_after AS "deliverAfter", last_error AS "lastError" FROM notification_deliveries WHERE event_id = $1 ORDER BY recipient, channel`,
    [eventId],
  );

beforeAll(async () => {
  ds = await openDataSource();
  sink = await MailSink.start();
  world = new World(ds);
  calendar = await loadWorkCalendar(ds);
});
afterAll(async () => {
  await sink?.close();
  mailer.close();
  await ds?.destroy();
});

describe('email (SMTP) through the running notifier', () => {
  it('mails the deputy the Chinese notice of an accepted suggestion, once, and stores the in-app notice', async () => {
    const s = await world.suggestion(WANG, { status: 'accepted' });
    const e = world.event(
      'suggestion.accepted',
      { suggestionId: s.id, deputyIds: [WANG], from: 'submitted', to: 'accepted' },
      { registrationNo: '2026-第9001号' },
    );
    await world.publish(e);

    const mail = await waitFor(
      'the acceptance mail',
      async () => sink.to(WANG_EMAIL).find((m) => m.text.includes(s.title)),
      30_000,
    );
    expect(mail.subject).toBe('【代表建议办理】建议已立案');
    expect(mail.text).toContain('王建国:');
    expect(mail.text).toContain(`您的建议「${s.title}」已立案,立案号:2026-第9001号。`);
    // The SMTP server has the mail a moment before the dispatcher commits the row as sent.
    await waitFor('the row marked sent', async () => (await deliveries(e.id))[0]?.status === 'sent');
    expect(await deliveries(e.id)).toMatchObject([
      { recipient: `user:${demoId('user:wangjianguo')}`, channel: 'email', status: 'sent', attempts: 1 },
    ]);
    const inApp = await ds.query(
      `SELECT user_id AS "userId", event_type AS "eventType", title FROM notifications WHERE event_id = $1`,
      [e.id],
    );
    expect(inApp).toEqual([
      { userId: demoId('user:wangjianguo'), eventType: 'suggestion.accepted', title: '建议已立案' },
    ]);
  });
});

describe("webhooks to a unit's group robot", () => {
  let rx: HookReceiver;
  afterAll(async () => {
    await rx?.close();
  });

  it('posts signed JSON, retries after the receiver answers 500, and records the attempts', async () => {
    rx = await HookReceiver.start([500]);
    const unitId = await world.unit('市测试局');
    await world.user('unit_handler', { unitId });
    const secret = `robot-secret-${world.tag}`;
    const admin = await ApiSession.login('admin');
    const bad = await admin.call('PUT', `/api/units/${unitId}/webhook`, {
      url: 'ftp://example.test/x',
      secret: 'short',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((x: { field: string }) => x.field).sort()).toEqual(['secret', 'url']);
    const set = await admin.call('PUT', `/api/units/${unitId}/webhook`, { url: rx.url, secret });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ unitId, url: rx.url, active: true, hasSecret: true });
    expect(JSON.stringify(set.body)).not.toContain(secret);
    const s = await world.suggestion(WANG);
    const e = world.event(
      'suggestion.urged',
      { suggestionId: s.id, deputyIds: [WANG], unitIds: [unitId] },
      { unitId, note: '请于本周内答复' },
    );
    await world.publish(e);

    // The running notifier makes the delivery and tries at once; the receiver answers 500.
    await waitFor('the first attempt', async () => rx.hooks.length >= 1, 30_000);
    const first = await waitFor('the attempt recorded', async () =>
      (await deliveries(e.id)).find((d) => d.channel === 'webhook' && d.attempts >= 1),
    );
    expect(first).toMatchObject({
      recipient: `unit:${unitId}`,
      status: 'pending',
      attempts: 1,
      lastError: 'webhook answered HTTP 500',
    });
    // The retry is due after the backoff; ask for it as of then (the running dispatcher would do the same when the time comes).
    await dispatchOnly([e.id], Date.now() + settings.retryBaseMs + 1000);
    await waitFor('the retry', async () => rx.hooks.length >= 2);

    expect(rx.hooks.map((h) => h.answered)).toEqual([500, 200]);
    for (const h of rx.hooks) {
      expect(
        verifyWebhook(
          secret,
          String(h.headers['x-jianyi-timestamp']),
          h.raw,
          String(h.headers['x-jianyi-signature']),
        ),
      ).toBe(true);
      expect(
        verifyWebhook(
          'wrong-secret',
          String(h.headers['x-jianyi-timestamp']),
          h.raw,
          String(h.headers['x-jianyi-signature']),
        ),
      ).toBe(false);
    }
    const payload = JSON.parse(rx.hooks[1]!.raw);
    expect(payload.msgtype).toBe('text');
    expect(payload.text.content).toContain('【代表建议办理】催办通知');
    expect(payload.text.content).toContain('请于本周内答复');
    expect(payload.event).toMatchObject({ id: e.id, type: 'suggestion.urged', suggestionId: s.id });
    expect(await deliveries(e.id)).toContainEqual(
      expect.objectContaining({ channel: 'webhook', status: 'sent', attempts: 2 }),
    );
  });
});

describe('a restarted consumer', () => {
  it('re-reading the whole topic from the beginning sends nothing twice', async () => {
    const s = await world.suggestion(WANG, { status: 'replied' });
    const e = world.event(
      'suggestion.replied',
      { suggestionId: s.id, deputyIds: [WANG], from: 'handling', to: 'replied' },
      { round: 1 },
    );
    await world.publish(e);
    await waitFor(
      'the first mail',
      async () => sink.to(WANG_EMAIL).some((m) => m.text.includes(s.title)),
      30_000,
    );
    await waitFor('the row marked sent', async () => (await deliveries(e.id))[0]?.status === 'sent');
    const before = {
      rows: await deliveries(e.id),
      inApp: await ds.query(`SELECT count(*)::int AS n FROM notifications WHERE event_id = $1`, [e.id]),
    };

    // A consumer whose offsets are lost (new group, from the beginning) sees every event again.
    const consumer = createKafka(`jianyi-notifier-test-${world.tag}`).consumer({
      groupId: `notifier-restart-${randomUUID()}`,
    });
    let seen = false;
    let created = 0;
    await consumer.connect();
    await consumer.subscribe({ topic: config.kafka.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (!message.value) return;
        const raw = JSON.parse(message.value.toString()) as { type?: string };
        // The topic also carries constituent messages' events (一码通), which have their own handler.
        if (!raw.type?.startsWith('suggestion.')) return; // messages and station records have their own parsers
        const event = parseEvent(raw);
        const r = await handleEvent(ds, event, deps());
        if (event.id === e.id) {
          seen = true;
          created += r.inApp + r.deliveries;
        }
      },
    });
    try {
      await waitFor('the replayed event', async () => seen, 60_000);
    } finally {
      await consumer.disconnect();
    }
    expect(created).toBe(0);
    expect(await handleEvent(ds, e, deps())).toEqual({ inApp: 0, deliveries: 0 });
    await dispatchOnly([e.id], Date.now() + 3_600_000);
    expect(await deliveries(e.id)).toEqual(before.rows);
    expect(
      await ds.query(`SELECT count(*)::int AS n FROM notifications WHERE event_id = $1`, [e.id]),
    ).toEqual(before.inApp);
    expect(sink.to(WANG_EMAIL).filter((m) => m.text.includes(s.title))).toHaveLength(1);
  });
});

describe('working hours', () => {
  it('holds a notice made at 22:00 on a working day until 09:00 of the next working day, and sends it then', async () => {
    // A working day in the future, so the running dispatcher (real clock) cannot send the row early.
    const day = calendar.nextWorkingDay(calendar.nextWorkingDay(chinaDateOf(Date.now())));
    const at = chinaDayStart(day) + parseTimeOfDay('22:00');
    const expected = chinaDayStart(calendar.nextWorkingDay(day)) + parseTimeOfDay('09:00');
    const s = await world.suggestion(WANG, { status: 'closed' });
    const e = world.event('suggestion.closed', {
      suggestionId: s.id,
      deputyIds: [WANG],
      policyVersion: 'national-default@2026.1',
      from: 'replied',
      to: 'closed',
    });

    expect(await handleEvent(ds, e, { ...deps(), now: () => at })).toEqual({ inApp: 1, deliveries: 1 });
    const [row] = await deliveries(e.id);
    expect(new Date(row!.deliverAfter).getTime()).toBe(expected);
    // The in-app notice is stored at once (not interruptive).
    expect(
      await ds.query(`SELECT count(*)::int AS n FROM notifications WHERE event_id = $1`, [e.id]),
    ).toEqual([{ n: 1 }]);

    expect(await dispatchOnly([e.id], at + 3_600_000)).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await dispatchOnly([e.id], expected - 1)).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect((await deliveries(e.id))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(sink.to(WANG_EMAIL).some((m) => m.text.includes(s.title))).toBe(false);

    expect(await dispatchOnly([e.id], expected)).toEqual({ sent: 1, retried: 0, failed: 0 });
    const mail = await waitFor('the held mail', async () =>
      sink.to(WANG_EMAIL).find((m) => m.text.includes(s.title)),
    );
    expect(mail.subject).toBe('【代表建议办理】建议已办结');
  });
});

describe('escalation of an overdue item (超期)', () => {
  it('tells the unit, its leader and every supervisor; reminders go to the unit only', async () => {
    const unitId = await world.unit();
    const handler = await world.user('unit_handler', { unitId });
    const leader = await world.user('unit_leader', { unitId });
    const s = await world.suggestion(WANG);
    const base = { suggestionId: s.id, deputyIds: [WANG], unitIds: [unitId] };
    const red = world.event('suggestion.deadline', base, {
      clock: 'reply',
      level: 'red',
      fraction: null,
      unitId,
      deadlineAt: new Date().toISOString(),
    });
    const reminder = world.event('suggestion.deadline', base, {
      clock: 'reply',
      level: 'reminder',
      fraction: 0.5,
      unitId,
      deadlineAt: new Date().toISOString(),
    });
    await handleEvent(ds, red, deps());
    await handleEvent(ds, reminder, deps());
    const usersOf = async (eventId: string) =>
      (await ds.query(`SELECT user_id AS id FROM notifications WHERE event_id = $1`, [eventId]))
        .map((r: { id: string }) => r.id)
        .sort();
    const supervisors: string[] = (
      await ds.query(`SELECT id FROM users WHERE role = 'supervisor' AND active`)
    ).map((r: { id: string }) => r.id);
    expect(supervisors).toContain(demoId('user:supervisor'));
    expect(await usersOf(red.id)).toEqual([handler.id, leader.id, ...supervisors].sort());
    expect(await usersOf(reminder.id)).toEqual([handler.id, leader.id].sort());
    const title = await ds.query(`SELECT DISTINCT title FROM notifications WHERE event_id = $1`, [red.id]);
    expect(title).toEqual([{ title: '超期督办:答复已超期' }]);
  });
});

describe('preferences', () => {
  it('are respected: email off means no mail, in-app stays; bad input is a 422 naming the field', async () => {
    const deputyId = await world.deputy();
    const user = await world.user('deputy', { deputyId });
    await ds.query(
      `UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = 'wangjianguo') WHERE id = $1`,
      [user.id],
    );
    const api = await ApiSession.login(user.username);
    expect((await api.call('GET', '/api/me/preferences')).body).toMatchObject({
      email: user.email,
      channels: { in_app: true, email: true, webhook: true },
      digest: true,
    });

    const bad = await api.call('PUT', '/api/me/preferences', {
      email: 'not-an-email',
      channels: { in_app: true, email: 'yes', webhook: true },
      digest: true,
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((x: { field: string }) => x.field).sort()).toEqual([
      'channels.email',
      'email',
    ]);
    expect(bad.body.errors.find((x: { field: string }) => x.field === 'email').message).toMatch(/^电子邮箱:/);

    const put = await api.call('PUT', '/api/me/preferences', {
      email: user.email,
      channels: { in_app: true, email: false, webhook: true },
      digest: false,
    });
    expect(put.status).toBe(200);
    expect(put.body.channels.email).toBe(false);

    const s = await world.suggestion(deputyId, { status: 'published' });
    const e = world.event(
      'suggestion.published',
      { suggestionId: s.id, deputyIds: [deputyId], from: 'closed', to: 'published' },
      { confidential: false },
    );
    expect(await handleEvent(ds, e, deps())).toEqual({ inApp: 1, deliveries: 0 });

    // The in-app notice through the API: own only, mark read, unread count.
    const list = await api.call('GET', '/api/notifications?unread=true');
    expect(list.status).toBe(200);
    expect(list.body.unread).toBe(1);
    expect(list.body.items[0]).toMatchObject({
      eventId: e.id,
      eventType: 'suggestion.published',
      suggestionId: s.id,
      title: '答复已公开',
      readAt: null,
    });
    const id = list.body.items[0].id as string;
    const other = await ApiSession.login('lixiuying');
    expect((await other.call('POST', `/api/notifications/${id}/read`)).status).toBe(404);
    expect((await api.call('POST', `/api/notifications/${id}/read`)).status).toBe(204);
    const after = await api.call('GET', '/api/notifications');
    expect(after.body).toMatchObject({ total: 1, unread: 0 });
    expect(after.body.items[0].readAt).not.toBeNull();
    expect((await api.call('GET', '/api/notifications?unread=true')).body).toMatchObject({
      items: [],
      total: 0,
      unread: 0,
    });
  });
});

describe('daily digest per unit', () => {
  it("lists the unit's items due within N working days, once per unit and date, and mails them", async () => {
    const unitId = await world.unit('市数字测试局');
    const handler = await world.user('unit_handler', { unitId, name: '测试经办人' });
    const date = calendar.nextWorkingDay(calendar.nextWorkingDay(chinaDateOf(Date.now())));
    const near = await world.suggestion(WANG, { title: `关于增设路灯的建议 ${world.tag}` });
    const far = await world.suggestion(WANG, { title: `关于修缮祠堂的建议 ${world.tag}` });
    const dueNear = new Date(
      chinaDayStart(calendar.addWorkingDays(date, 2)) + parseTimeOfDay('23:59'),
    ).toISOString();
    const dueFar = new Date(
      chinaDayStart(calendar.addWorkingDays(date, 20)) + parseTimeOfDay('23:59'),
    ).toISOString();
    for (const [s, due] of [
      [near, dueNear],
      [far, dueFar],
    ] as const) {
      await ds.query(
        `INSERT INTO assignments (id, suggestion_id, unit_id, role, round, status, deadline_at) VALUES ($1, $2, $3, 'lead', 1, 'signed_in', $4)`,
        [randomUUID(), s.id, unitId, due],
      );
    }
    const opts = {
      date,
      calendar,
      withinWorkingDays: 3,
      hours: { start: '09:00', end: '17:30' },
      now: chinaDayStart(date) + parseTimeOfDay('08:30'),
      unitIds: [unitId],
    };
    expect(await runDigest(ds, opts)).toEqual({ units: 1, deliveries: 1 });
    expect(await runDigest(ds, opts)).toEqual({ units: 1, deliveries: 0 });
    const id = digestId(unitId, date);
    const [row] = await deliveries(id);
    expect(new Date(row!.deliverAfter).getTime()).toBe(chinaDayStart(date) + parseTimeOfDay('09:00'));

    expect(await dispatchOnly([id], chinaDayStart(date) + parseTimeOfDay('09:00'))).toMatchObject({
      sent: 1,
    });
    const mail = await waitFor('the digest mail', async () =>
      sink.to(handler.email).find((m) => m.subject.includes('每日提醒')),
    );
    expect(mail.subject).toBe(`【代表建议办理】每日提醒:1 件建议即将到期(${date})`);
    expect(mail.text).toContain('市数字测试局');
    expect(mail.text).toContain(`「${near.title}」`);
    expect(mail.text).toContain('剩余 2 个工作日');
    expect(mail.text).not.toContain(far.title);
  });

  it('does not run on a day off', async () => {
    let d = chinaDateOf(Date.now());
    while (calendar.isWorkingDay(d)) d = addDays(d, 1);
    expect(await runDigest(ds, { date: d, calendar, withinWorkingDays: 3, hours: null })).toEqual({
      units: 0,
      deliveries: 0,
    });
  });
});
