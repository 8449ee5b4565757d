/**
 * Security: a confidential (涉密) item never leaves the platform. Driven through the API and the real
 * workflows of the test stack: the reviewer marks an assigned item confidential, a supervisor urges
 * the unit; the running notifier mails a real SMTP server (JIANYI_SMTP_PORT) and posts to a real HTTP
 * receiver (the unit's group robot). Mails, robot posts, stored deliveries and the daily digest carry
 * a generic text with a link, never the title, registration number or the withholding reason; the
 * in-app notice (inside the platform) keeps the full text. The lead deputy's objection to
 * publication is a different fact: it does not make the item confidential.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDateOf } from '@jianyi/domain';
import { config, loadWorkCalendar } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { waitFor } from '@jianyi/platform/src/testing';
import { AuthzWorld, JTJ, type Item } from '../../../api/test/authz-support';
import { digestId, runDigest } from '../../src/digest';
import { createMailer, dispatchDue } from '../../src/dispatcher';
import { HookReceiver, MailSink } from '../support';

const settings = config.notifier;
const mailer = createMailer(settings.smtp);
const WANG_EMAIL = 'wangjianguo@example.test';
const REASON = '涉及尚未公开的城市规划信息';

let world: AuthzWorld;
let sink: MailSink;
let rx: HookReceiver;
let handlerEmail: string;
let item: Item & { title: string; registrationNo: string };

/** Everything about the item that must not leave: title (with its token), registration number, reason. */
const secrets = () => [item.token, item.title, item.registrationNo, REASON, '涉密'];
const leaks = (text: string) => secrets().filter((s) => text.includes(s));

/** Sends the item's due rows now (held rows too: the notice hours are not what this test is about). */
const sendNow = async (eventIds: string[]) =>
  dispatchDue(world.ds, { mailer, settings, eventIds, now: Date.now() + 7 * 86_400_000 });

async function eventIdsOf(type: string): Promise<string[]> {
  const rows: { id: string }[] = await world.ds.query(
    `SELECT event_id AS id FROM outbox WHERE aggregate_id = $1 AND type = $2`,
    [item.id, type],
  );
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  world = await AuthzWorld.open();
  sink = await MailSink.start();
  rx = await HookReceiver.start();
  const [h] = await world.ds.query(`SELECT email FROM users WHERE id = $1`, [demoId('user:jtj.handler')]);
  handlerEmail = h.email;
  const set = await world.as.admin.call('PUT', `/api/units/${JTJ}/webhook`, {
    url: rx.url,
    secret: `robot-secret-${world.tag}`,
  });
  expect(set.status).toBe(200);
  const it = await world.assigned();
  const s = await world.as.reviewer.call('GET', `/api/suggestions/${it.id}`);
  item = { ...it, title: s.body.title, registrationNo: s.body.registrationNo };
  expect(item.registrationNo).toBeTruthy();
});

afterAll(async () => {
  // The demo unit's robot is shared with other tests: switch it off again.
  await world?.as.admin.call('PUT', `/api/units/${JTJ}/webhook`, {
    url: rx.url,
    secret: `robot-secret-${world.tag}`,
    active: false,
  });
  await Promise.allSettled([sink?.close(), rx?.close()]);
  mailer.close();
  await world?.close();
});

describe('a confidential (涉密) item', () => {
  it('mails the deputy the withholding without title, number or reason, with a link; in-app keeps the text', async () => {
    const r = await world.as.reviewer.call('POST', `/api/suggestions/${item.id}/withhold-publication`, {
      reason: REASON,
    });
    expect(r.status).toBe(200);
    const [row] = await world.ds.query(`SELECT confidential FROM suggestions WHERE id = $1`, [item.id]);
    expect(row.confidential).toBe(true);

    const ids = await waitFor('the withholding event', async () => {
      const e = await eventIdsOf('suggestion.publication_withheld');
      return e.length ? e : null;
    });
    await waitFor('the deputy’s delivery row', async () => {
      const n = await world.ds.query(
        `SELECT 1 FROM notification_deliveries WHERE event_id = ANY($1::uuid[]) AND address = $2`,
        [ids, WANG_EMAIL],
      );
      return n.length > 0;
    });
    await sendNow(ids);
    const mail = await waitFor('the mail to the deputy', async () =>
      sink.to(WANG_EMAIL).find((m) => m.text.includes(`/suggestions/${item.id}`)),
    );
    expect(leaks(mail.subject + mail.text)).toEqual([]);
    expect(mail.subject).toBe('【代表建议办理】您有一条新的建议办理通知');
    expect(mail.text).toContain('请登录代表建议办理平台查看');

    // What is stored for sending holds no more than what is sent.
    const stored: { subject: string; body: string }[] = await world.ds.query(
      `SELECT subject, body FROM notification_deliveries WHERE event_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(stored.length).toBeGreaterThan(0);
    for (const d of stored) expect(leaks(d.subject + d.body)).toEqual([]);

    // Inside the platform the deputy reads the full notice.
    const inApp: { body: string }[] = await world.ds.query(
      `SELECT body FROM notifications WHERE event_id = ANY($1::uuid[]) AND user_id = $2`,
      [ids, demoId('user:wangjianguo')],
    );
    expect(inApp[0]?.body).toContain(item.title);
  });

  it("urging the unit: its users' mails and its group robot get the generic text and link only", async () => {
    const r = await world.as.supervisor.call('POST', `/api/suggestions/${item.id}/urge`, {
      note: `请加快办理 ${item.token}`,
    });
    expect(r.status).toBe(200);
    const ids = await waitFor('the urge event', async () => {
      const e = await eventIdsOf('suggestion.urged');
      return e.length ? e : null;
    });
    await waitFor('the robot’s delivery row', async () => {
      const n = await world.ds.query(
        `SELECT 1 FROM notification_deliveries WHERE event_id = ANY($1::uuid[]) AND channel = 'webhook'`,
        [ids],
      );
      return n.length > 0;
    });
    await sendNow(ids);
    const hook = await waitFor('the robot post', async () => rx.hooks.find((h) => h.raw.includes(item.id)));
    expect(leaks(hook.raw)).toEqual([]);
    const payload = JSON.parse(hook.raw);
    expect(payload.text.content).toContain(`/suggestions/${item.id}`);
    expect(payload.event).toEqual({
      id: ids[0],
      suggestionId: item.id,
      occurredAt: expect.any(String),
    });
    const mail = await waitFor('the mail to the unit handler', async () =>
      sink.to(handlerEmail).find((m) => m.text.includes(`/suggestions/${item.id}`)),
    );
    expect(leaks(mail.subject + mail.text)).toEqual([]);
  });

  it("the unit's daily digest leaves the item out (counted, with a link) and names its other items", async () => {
    const calendar = await loadWorkCalendar(world.ds);
    const other = await world.assigned();
    const [o] = await world.ds.query(`SELECT title FROM suggestions WHERE id = $1`, [other.id]);
    // A working day of this test's own in the future: the digest (one per unit and date) is new, and
    // both items, due before it, are listed as overdue by then.
    const today = chinaDateOf(Date.now());
    const date = calendar.addWorkingDays(today, 200 + Math.floor(Math.random() * 400));
    await runDigest(world.ds, { date, calendar, withinWorkingDays: 3, hours: null, unitIds: [JTJ] });
    const rows: { body: string; address: string }[] = await world.ds.query(
      `SELECT body, address FROM notification_deliveries WHERE event_id = $1`,
      [digestId(JTJ, date)],
    );
    expect(rows.map((r) => r.address)).toContain(handlerEmail);
    for (const r of rows) {
      expect(leaks(r.body)).toEqual([]);
      expect(r.body).toContain(o.title);
      expect(r.body).toMatch(/另有 \d+ 件建议即将到期\(内容不在邮件中显示\),请登录平台查看/);
    }
  });
});

describe("the lead deputy's objection to publication (不同意公开)", () => {
  it('withholds publication without making the item confidential: notices keep the title', async () => {
    const it = await world.assigned();
    const [s] = await world.ds.query(`SELECT title FROM suggestions WHERE id = $1`, [it.id]);
    const r = await world.as.leadDeputy.call('POST', `/api/suggestions/${it.id}/withhold-publication`, {
      reason: '涉及个人隐私',
    });
    expect(r.status).toBe(200);
    const ids = await waitFor('the objection event', async () => {
      const e: { id: string; kind: string }[] = await world.ds.query(
        `SELECT event_id AS id, payload->'data'->>'kind' AS kind FROM outbox WHERE aggregate_id = $1 AND type = 'suggestion.publication_withheld'`,
        [it.id],
      );
      return e.length ? e : null;
    });
    expect(ids[0]!.kind).toBe('objection');
    const [row] = await world.ds.query(`SELECT confidential FROM suggestions WHERE id = $1`, [it.id]);
    expect(row.confidential).toBe(false);
    // The reviewer hears of it by mail, with the title (the item is not secret).
    const stored = await waitFor('the reviewer’s delivery row', async () => {
      const d: { subject: string; body: string }[] = await world.ds.query(
        `SELECT subject, body FROM notification_deliveries WHERE event_id = $1 AND channel = 'email'`,
        [ids[0]!.id],
      );
      return d.length ? d : null;
    });
    expect(stored[0]!.body).toContain(s.title);
  });
});
