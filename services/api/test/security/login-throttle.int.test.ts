/**
 * Login throttling (issue 10; ASVS V2.2.1) against the running API of the test stack, at its default
 * settings (5 failures lock an account, 30 an address, the first lock 60 s). Each test signs in from
 * an address of its own (X-Forwarded-For, trusted from loopback as the web proxy's), so the locks it
 * causes touch no other test.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { DEMO_PASSWORD } from '@jianyi/platform/src/db/seed';
import { ApiSession, STRONG_TEST_PASSWORD, apiBase } from '@jianyi/platform/src/testing';

let ds: DataSource;
const users: string[] = [];
const addresses: string[] = [];
beforeAll(async () => {
  ds = await openDataSource();
});
afterAll(async () => {
  if (ds?.isInitialized) {
    await ds.query(`DELETE FROM login_throttle WHERE key = ANY($1::varchar[])`, [
      addresses.map((a) => `address:${a}`),
    ]);
    if (users.length) {
      await ds.query(`DELETE FROM notification_deliveries WHERE recipient = ANY($1::varchar[])`, [
        users.map((u) => `user:${u}`),
      ]);
      await ds.query(`DELETE FROM notifications WHERE user_id = ANY($1::uuid[])`, [users]);
      await ds.query(`DELETE FROM sessions WHERE user_id = ANY($1::uuid[])`, [users]);
      await ds.query(`DELETE FROM users WHERE id = ANY($1::uuid[])`, [users]);
    }
    await ds.destroy();
  }
});

/** A documentation address (TEST-NET-3) no other test uses. */
const address = () => {
  const a = `203.0.113.${10 + Math.floor(Math.random() * 240)}`;
  addresses.push(a);
  return a;
};
async function signIn(username: string, password: string, from: string) {
  const res = await fetch(`${apiBase()}/api/auth/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': from,
      'user-agent': 'throttle-test/1.0',
    },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, body: (await res.json()) as any, retryAfter: res.headers.get('retry-after') };
}
const auditRows = (action: string, entityId: string) =>
  ds.query(
    `SELECT actor_user_id, entity_id, after FROM audit_log WHERE action = $1 AND entity_id = $2 ORDER BY id`,
    [action, entityId],
  );

describe('login throttling (登录限制)', () => {
  it('locks an account after 5 failures, even for the right password, and tells its owner', async () => {
    const admin = await ApiSession.login('admin');
    const username = `lock.${randomUUID().slice(0, 8)}`;
    const created = await admin.call('POST', '/api/admin/users', {
      username,
      password: STRONG_TEST_PASSWORD,
      displayName: '锁定测试',
      role: 'supervisor',
      email: `${username}@example.org`,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    users.push(id);
    const from = address();

    for (let n = 1; n <= 5; n++) expect((await signIn(username, 'wrong-password', from)).status).toBe(401);
    const locked = await signIn(username, STRONG_TEST_PASSWORD, address()); // the right password, another address
    expect(locked.status).toBe(429);
    expect(locked.body.title).toMatch(/^登录失败次数过多，请 \d+ 分钟后再试$/);
    expect(locked.body.detail).toMatch(/too many failed sign-ins/);
    expect(Number(locked.retryAfter)).toBeGreaterThan(0);
    expect(Number(locked.retryAfter)).toBeLessThanOrEqual(60);

    // Audited with the client's address and user agent; the lock and the refusal too.
    const failed = await auditRows('auth.login_failed', username);
    expect(failed).toHaveLength(5);
    expect(failed[4]).toMatchObject({
      actor_user_id: id,
      after: { address: from, userAgent: 'throttle-test/1.0', failures: 5 },
    });
    expect(await auditRows('auth.account_locked', id)).toHaveLength(1);
    expect(await auditRows('auth.login_throttled', username)).toHaveLength(1);

    // The owner is told in the app and by mail.
    const [notice] = await ds.query(
      `SELECT title, body FROM notifications WHERE user_id = $1 AND event_type = 'auth.login_locked'`,
      [id],
    );
    expect(notice.title).toBe('账号因多次登录失败已被暂时锁定');
    expect(notice.body).toContain(from);
    const mails = await ds.query(
      `SELECT address, subject FROM notification_deliveries WHERE recipient = $1 AND channel = 'email'`,
      [`user:${id}`],
    );
    expect(mails).toEqual([
      { address: `${username}@example.org`, subject: '账号因多次登录失败已被暂时锁定' },
    ]);

    // Once the lock has passed (here: lifted), the right password works and clears the count.
    await ds.query(`UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE key = $1`, [
      `account:${username}`,
    ]);
    expect((await signIn(username, STRONG_TEST_PASSWORD, from)).status).toBe(200);
    expect(await ds.query(`SELECT 1 FROM login_throttle WHERE key = $1`, [`account:${username}`])).toEqual(
      [],
    );
  });

  it('locks an address after 30 failures over any usernames; never stores a username that is not an account', async () => {
    const from = address();
    const passwordLike = `Pa55w0rd!${randomUUID().slice(0, 6)}`; // typed into the username field by mistake
    for (let n = 1; n <= 30; n++) {
      const r = await signIn(n === 1 ? passwordLike : `nobody.${randomUUID().slice(0, 8)}`, 'x', from);
      expect(r.status).toBe(401);
    }
    // A real account with its right password is refused from that address, and signs in from another.
    expect((await signIn('supervisor', DEMO_PASSWORD, from)).status).toBe(429);
    expect((await signIn('supervisor', DEMO_PASSWORD, address())).status).toBe(200);

    const stored = await ds.query(
      `SELECT entity_id FROM audit_log WHERE action = 'auth.login_failed' AND entity_id = $1`,
      [passwordLike],
    );
    expect(stored).toEqual([]);
    const hashed = await ds.query(
      `SELECT entity_id FROM audit_log WHERE action = 'auth.login_failed' AND after->>'address' = $1 ORDER BY id LIMIT 1`,
      [from],
    );
    expect(hashed[0].entity_id).toMatch(/^unknown:[0-9a-f]{16}$/);
  });
});
