/**
 * Group robots by kind (钉钉 加签, 企业微信 markdown, generic) and each user's preferences per kind of
 * notice, against the real test stack: the admin sets a unit's robot and presses "test" through the
 * API; the running notifier posts notices to real HTTP receivers on loopback. The 钉钉 receiver checks
 * 加签 the way DingTalk does (timestamp within an hour, sign = base64(HMAC-SHA256(secret,
 * `${timestamp}\n${secret}`)) from the query string) and answers errcode 310000 when it does not match.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { hashPassword, openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';
import { World } from './support';

const WANG = demoId('deputy:wang');
const PASSWORD = 'Robot-Test-Pass-2026!';

interface Received {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  verdict: 'ok' | 'sign not match' | 'bad body';
}

/** A robot receiver: 钉钉 (checks 加签) or 企业微信 (checks the markdown shape). */
class RobotReceiver {
  private constructor(
    private server: Server,
    readonly url: string,
    readonly got: Received[],
  ) {}

  static async start(kind: 'dingtalk' | 'wecom', secret: string): Promise<RobotReceiver> {
    const got: Received[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://x');
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          /* bad body */
        }
        let verdict: Received['verdict'] = 'ok';
        if (kind === 'dingtalk') {
          const ts = u.searchParams.get('timestamp') ?? '';
          const sign = u.searchParams.get('sign') ?? '';
          const want = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
          if (!ts || Math.abs(Date.now() - Number(ts)) > 3600_000 || sign !== want)
            verdict = 'sign not match';
          else if (
            body.msgtype !== 'markdown' ||
            typeof (body.markdown as { text?: unknown })?.text !== 'string'
          )
            verdict = 'bad body';
        } else if (
          body.msgtype !== 'markdown' ||
          typeof (body.markdown as { content?: unknown })?.content !== 'string'
        )
          verdict = 'bad body';
        got.push({ path: u.pathname, query: u.searchParams, headers: req.headers, body, verdict });
        const answer =
          verdict === 'ok'
            ? { errcode: 0, errmsg: 'ok' }
            : verdict === 'sign not match'
              ? { errcode: 310000, errmsg: 'sign not match' }
              : { errcode: 40008, errmsg: 'invalid message type' };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as AddressInfo).port;
    const url =
      kind === 'dingtalk'
        ? `http://127.0.0.1:${port}/robot/send?access_token=tok${port}`
        : `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=key-${port}`;
    return new RobotReceiver(server, url, got);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let ds: DataSource;
let world: World;
let admin: ApiSession;
const receivers: RobotReceiver[] = [];

/** A unit user who can sign in (the test's own unit). */
async function unitUser(unitId: string, role = 'unit_handler') {
  const u = await world.user(role, { unitId });
  await ds.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [u.id, await hashPassword(PASSWORD)]);
  return { ...u, session: await ApiSession.login(u.username, PASSWORD) };
}

beforeAll(async () => {
  ds = await openDataSource();
  world = new World(ds);
  admin = await ApiSession.login('admin');
});
afterAll(async () => {
  await Promise.allSettled(receivers.map((r) => r.close()));
  await ds?.destroy();
});

describe('a 钉钉 robot (加签)', () => {
  const secret = `SEC${'d'.repeat(20)}${Date.now()}`;
  let rx: RobotReceiver;
  let unitId: string;

  it('the admin sets it, and the test button sends a signed message and shows what the robot answered', async () => {
    rx = await RobotReceiver.start('dingtalk', secret);
    receivers.push(rx);
    unitId = await world.unit(`钉钉测试局${world.tag}`);
    await unitUser(unitId);

    // A 钉钉 robot needs a secret to sign with.
    const noSecret = await admin.call('PUT', `/api/units/${unitId}/webhook`, {
      url: rx.url,
      kind: 'dingtalk',
    });
    expect(noSecret.status).toBe(422);
    expect(noSecret.body.errors[0].field).toBe('secret');
    const badKind = await admin.call('PUT', `/api/units/${unitId}/webhook`, {
      url: rx.url,
      secret,
      kind: 'slack',
    });
    expect(badKind.status).toBe(422);

    const set = await admin.call('PUT', `/api/units/${unitId}/webhook`, {
      url: rx.url,
      secret,
      kind: 'dingtalk',
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ unitId, kind: 'dingtalk', active: true, hasSecret: true });
    expect(JSON.stringify(set.body)).not.toContain(secret);

    const list = await admin.call('GET', '/api/admin/robots');
    expect(list.status).toBe(200);
    expect(list.body.items.find((r: { unitId: string }) => r.unitId === unitId)).toMatchObject({
      unitName: `钉钉测试局${world.tag}`,
      kind: 'dingtalk',
      hasSecret: true,
    });

    const test = await admin.call('POST', `/api/units/${unitId}/webhook/test`);
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ ok: true, kind: 'dingtalk', status: 200, error: null });
    expect(JSON.parse(test.body.answer)).toEqual({ errcode: 0, errmsg: 'ok' });
    const got = rx.got.at(-1)!;
    expect(got.verdict).toBe('ok');
    expect(got.query.get('access_token')).toBe(`tok${new URL(rx.url).port}`);
    expect(got.body).toMatchObject({ msgtype: 'markdown', markdown: { title: '测试消息' } });
    expect((got.body.markdown as { text: string }).text).toContain(`钉钉测试局${world.tag}`);

    const audit = await ds.query(
      `SELECT after FROM audit_log WHERE action = 'unit.webhook.test' AND entity_id = $1`,
      [unitId],
    );
    expect(audit).toEqual([{ after: expect.objectContaining({ kind: 'dingtalk', ok: true }) }]);
  });

  it('a secret the robot does not know: the test shows 钉钉’s refusal (errcode 310000)', async () => {
    const other = await world.unit(`钉钉错钥局${world.tag}`);
    const set = await admin.call('PUT', `/api/units/${other}/webhook`, {
      url: rx.url,
      secret: `SEC${'x'.repeat(30)}`,
      kind: 'dingtalk',
    });
    expect(set.status).toBe(200);
    const test = await admin.call('POST', `/api/units/${other}/webhook/test`);
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ ok: false, status: 200, error: 'robot answered errcode 310000' });
    expect(test.body.answer).toContain('sign not match');
  });

  it('the secret may be left out when saving again (kept), and a unit without robot answers 409 on test', async () => {
    const again = await admin.call('PUT', `/api/units/${unitId}/webhook`, { url: rx.url, kind: 'dingtalk' });
    expect(again.status).toBe(200);
    const test = await admin.call('POST', `/api/units/${unitId}/webhook/test`);
    expect(test.body.ok).toBe(true);
    const bare = await world.unit(`无机器人局${world.tag}`);
    expect((await admin.call('POST', `/api/units/${bare}/webhook/test`)).status).toBe(409);
  });

  it('the running notifier posts an urge to it, signed, as markdown; a confidential item’s title never reaches it', async () => {
    const s = await world.suggestion(WANG);
    const e = world.event(
      'suggestion.urged',
      { suggestionId: s.id, deputyIds: [WANG], unitIds: [unitId] },
      {
        unitId,
        note: '请于本周内答复',
      },
    );
    await world.publish(e);
    const hook = await waitFor(
      'the urge on the 钉钉 robot',
      async () => rx.got.find((g) => JSON.stringify(g.body).includes(s.title)),
      30_000,
    );
    expect(hook.verdict).toBe('ok');
    expect(hook.body.msgtype).toBe('markdown');
    expect((hook.body.markdown as { title: string }).title).toBe('催办通知');
    expect((hook.body.markdown as { text: string }).text).toContain('请于本周内答复');
    await waitFor('the row marked sent', async () => {
      const r = await ds.query(
        `SELECT status FROM notification_deliveries WHERE event_id = $1 AND channel = 'webhook'`,
        [e.id],
      );
      return r[0]?.status === 'sent';
    });

    const secretTitle = `涉密事项${world.tag}`;
    const c = await world.suggestion(WANG, { title: secretTitle });
    await ds.query(`UPDATE suggestions SET confidential = true WHERE id = $1`, [c.id]);
    const e2 = world.event(
      'suggestion.urged',
      { suggestionId: c.id, deputyIds: [WANG], unitIds: [unitId] },
      {
        unitId,
        note: `涉密催办${world.tag}`,
      },
    );
    await world.publish(e2);
    const hook2 = await waitFor(
      'the confidential notice on the robot',
      async () => rx.got.find((g) => JSON.stringify(g.body).includes(`/suggestions/${c.id}`)),
      30_000,
    );
    expect(hook2.verdict).toBe('ok');
    expect(JSON.stringify(hook2.body)).not.toContain(secretTitle);
    expect(JSON.stringify(hook2.body)).not.toContain(`涉密催办${world.tag}`);
  });
});

describe('a 企业微信 robot', () => {
  it('needs no secret; the test and the notices are markdown as 企业微信 expects', async () => {
    const rx = await RobotReceiver.start('wecom', '');
    receivers.push(rx);
    const unitId = await world.unit(`企微测试局${world.tag}`);
    await unitUser(unitId);
    const set = await admin.call('PUT', `/api/units/${unitId}/webhook`, { url: rx.url, kind: 'wecom' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ kind: 'wecom', hasSecret: false });
    const test = await admin.call('POST', `/api/units/${unitId}/webhook/test`);
    expect(test.body).toMatchObject({ ok: true, kind: 'wecom' });
    expect(rx.got[0]!.body).toEqual({
      msgtype: 'markdown',
      markdown: { content: expect.stringContaining('**【代表建议办理】测试消息**') },
    });
    expect(rx.got[0]!.query.get('key')).toBe(`key-${new URL(rx.url).port}`);

    const s = await world.suggestion(WANG);
    await world.publish(
      world.event(
        'suggestion.urged',
        { suggestionId: s.id, deputyIds: [WANG], unitIds: [unitId] },
        { unitId, note: '请尽快办理' },
      ),
    );
    const hook = await waitFor(
      'the urge on the 企业微信 robot',
      async () => rx.got.find((g) => JSON.stringify(g.body).includes(s.title)),
      30_000,
    );
    expect(hook.verdict).toBe('ok');
    expect((hook.body.markdown as { content: string }).content).toContain('**【代表建议办理】催办通知**');
  });
});

describe('preferences per kind of notice and channel', () => {
  it('a unit user switches robot notices of urging off: the robot hears assignments but not urges; in-app urges stay', async () => {
    const secret = `SEC${'p'.repeat(24)}`;
    const rx = await RobotReceiver.start('dingtalk', secret);
    receivers.push(rx);
    const unitId = await world.unit(`偏好测试局${world.tag}`);
    const u = await unitUser(unitId);
    expect(
      (await admin.call('PUT', `/api/units/${unitId}/webhook`, { url: rx.url, secret, kind: 'dingtalk' }))
        .status,
    ).toBe(200);

    const before = await u.session.call('GET', '/api/me/preferences');
    expect(before.status).toBe(200);
    expect(before.body.categories.urge).toEqual({ in_app: true, email: true, webhook: true });
    expect(before.body.alwaysInApp).toEqual(['urge', 'deadline']);
    const put = await u.session.call('PUT', '/api/me/preferences', {
      email: u.email,
      channels: { in_app: true, email: true, webhook: true },
      digest: true,
      // in_app of urging cannot be switched off: ignored.
      categories: { urge: { webhook: false, email: false, in_app: false }, progress: { in_app: false } },
    });
    expect(put.status).toBe(200);
    expect(put.body.categories.urge).toEqual({ in_app: true, email: false, webhook: false });
    expect(put.body.categories.progress).toEqual({ in_app: false, email: true, webhook: true });
    expect(put.body.categories.assignment).toEqual({ in_app: true, email: true, webhook: true });
    const bad = await u.session.call('PUT', '/api/me/preferences', {
      email: u.email,
      channels: { in_app: true, email: true, webhook: true },
      digest: true,
      categories: { gossip: { email: false } },
    });
    expect(bad.status).toBe(422);
    // Leaving categories out keeps them.
    const keep = await u.session.call('PUT', '/api/me/preferences', {
      email: u.email,
      channels: { in_app: true, email: true, webhook: true },
      digest: false,
    });
    expect(keep.body.categories.urge.webhook).toBe(false);

    const s = await world.suggestion(WANG);
    const urge = world.event(
      'suggestion.urged',
      { suggestionId: s.id, deputyIds: [WANG], unitIds: [unitId] },
      {
        unitId,
        note: '请尽快办理',
      },
    );
    const assigned = world.event(
      'suggestion.assigned',
      { suggestionId: s.id, deputyIds: [WANG], unitIds: [unitId], from: 'accepted', to: 'assigned' },
      { mode: 'separate', unitIds: [unitId], coUnitIds: [], leadUnitId: null },
    );
    await world.publish(urge, assigned);
    await waitFor(
      'the assignment on the robot',
      async () => rx.got.find((g) => (g.body.markdown as { title?: string })?.title === '建议已交办'),
      30_000,
    );
    const rows: { eventId: string; channel: string }[] = await ds.query(
      `SELECT event_id AS "eventId", channel FROM notification_deliveries
       WHERE event_id = ANY($1::uuid[]) AND recipient = ANY($2::text[]) ORDER BY channel`,
      [
        [urge.id, assigned.id],
        [`user:${u.id}`, `unit:${unitId}`],
      ],
    );
    // The urge: neither mail nor robot; the assignment: both.
    expect(rows.filter((r) => r.eventId === urge.id)).toEqual([]);
    expect(rows.filter((r) => r.eventId === assigned.id).map((r) => r.channel)).toEqual(['email', 'webhook']);
    const inApp: { eventId: string }[] = await ds.query(
      `SELECT event_id AS "eventId" FROM notifications WHERE user_id = $1 ORDER BY event_id`,
      [u.id],
    );
    expect(inApp.map((n) => n.eventId).sort()).toEqual([urge.id, assigned.id].sort());
  });
});
