/**
 * Password rules, self-service change and an admin's reset (issue 10; ASVS V2.1, V2.5), walked through
 * the running API as the admin and as the user, with what every other session of the user sees.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { ApiSession, STRONG_TEST_PASSWORD } from '@jianyi/platform/src/testing';

let ds: DataSource;
let admin: ApiSession;
const users: string[] = [];
beforeAll(async () => {
  ds = await openDataSource();
  admin = await ApiSession.login('admin');
});
afterAll(async () => {
  if (ds?.isInitialized) {
    if (users.length) {
      await ds.query(`DELETE FROM sessions WHERE user_id = ANY($1::uuid[])`, [users]);
      await ds.query(`DELETE FROM users WHERE id = ANY($1::uuid[])`, [users]);
    }
    await ds.destroy();
  }
});

const fields = (b: { errors?: { field: string }[] }) => (b.errors ?? []).map((e) => e.field);
const newUser = (username: string, password: string) =>
  admin.call('POST', '/api/admin/users', {
    username,
    password,
    displayName: '密码测试员',
    role: 'supervisor',
  });
const audits = async (action: string, id: string) =>
  (await ds.query(`SELECT 1 FROM audit_log WHERE action = $1 AND entity_id = $2`, [action, id])).length;

describe('password rules (密码规则)', () => {
  it('refuses short, common and name-based passwords for a new account, naming the field', async () => {
    const username = `pw.${randomUUID().slice(0, 8)}`;
    const short = await newUser(username, 'Sh0rt-pw!');
    expect(short.status).toBe(422);
    expect(short.body.errors[0]).toMatchObject({ field: 'password', message: '密码:至少 12 个字' });
    const common = await newUser(username, 'password1234');
    expect(fields(common.body)).toEqual(['password']);
    expect(common.body.errors[0].message).toBe('密码:过于常见或容易猜测，请使用更长、更不规则的密码');
    const own = await newUser(username, `${username}-2026!`);
    expect(common.status).toBe(422);
    expect(own.body.errors[0].message).toBe('密码:不能包含用户名或姓名');
    expect(await ds.query(`SELECT 1 FROM users WHERE username = $1`, [username])).toEqual([]);
  });
});

describe('changing and resetting a password', () => {
  it('a user changes their own password: other sessions end, this one stays; the old password stops working', async () => {
    const username = `pw.${randomUUID().slice(0, 8)}`;
    const created = await newUser(username, STRONG_TEST_PASSWORD);
    expect(created.status).toBe(201);
    users.push(created.body.id);
    const here = await ApiSession.login(username, STRONG_TEST_PASSWORD);
    const elsewhere = await ApiSession.login(username, STRONG_TEST_PASSWORD);

    const wrong = await here.call('POST', '/api/auth/password', {
      currentPassword: 'not-my-password',
      newPassword: 'Quiet-River-Stone-58',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0]).toMatchObject({ field: 'currentPassword', message: '当前密码:不正确' });
    const weak = await here.call('POST', '/api/auth/password', {
      currentPassword: STRONG_TEST_PASSWORD,
      newPassword: 'qwertyuiop123',
    });
    expect(fields(weak.body)).toEqual(['newPassword']);

    const ok = await here.call('POST', '/api/auth/password', {
      currentPassword: STRONG_TEST_PASSWORD,
      newPassword: 'Quiet-River-Stone-58',
    });
    expect(ok.status).toBe(204);
    expect((await here.call('GET', '/api/me')).status).toBe(200);
    expect((await elsewhere.call('GET', '/api/me')).status).toBe(401);
    await expect(ApiSession.login(username, STRONG_TEST_PASSWORD)).rejects.toThrow(/401/);
    expect((await ApiSession.login(username, 'Quiet-River-Stone-58')) instanceof ApiSession).toBe(true);
    expect(await audits('auth.password_changed', created.body.id)).toBe(1);
  });

  it("an admin's reset signs the user out and forces a change before anything else", async () => {
    const username = `pw.${randomUUID().slice(0, 8)}`;
    const created = await newUser(username, STRONG_TEST_PASSWORD);
    const id = created.body.id as string;
    users.push(id);
    const before = await ApiSession.login(username, STRONG_TEST_PASSWORD);

    expect((await before.call('POST', `/api/admin/users/${id}/password-reset`)).status).toBe(403); // not an admin
    const reset = await admin.call('POST', `/api/admin/users/${id}/password-reset`);
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({
      temporaryPassword: expect.stringMatching(/^[\w-]{16}$/),
      mustChangePassword: true,
    });
    expect((await before.call('GET', '/api/me')).status).toBe(401); // signed out everywhere
    expect(await audits('user.password_reset', id)).toBe(1);
    expect(
      JSON.stringify(
        await ds.query(
          `SELECT after FROM audit_log WHERE action = 'user.password_reset' AND entity_id = $1`,
          [id],
        ),
      ),
    ).not.toContain(reset.body.temporaryPassword);

    const temp = await ApiSession.login(username, reset.body.temporaryPassword);
    const me = await temp.call('GET', '/api/me');
    expect(me.body.user.mustChangePassword).toBe(true);
    const blocked = await temp.call('GET', '/api/notifications');
    expect(blocked.status).toBe(403);
    expect(blocked.body.title).toBe('请先修改密码');
    expect(
      (
        await temp.call('POST', '/api/auth/password', {
          currentPassword: reset.body.temporaryPassword,
          newPassword: 'Amber-Field-Comet-71',
        })
      ).status,
    ).toBe(204);
    expect((await temp.call('GET', '/api/notifications')).status).toBe(200);
    expect((await temp.call('GET', '/api/me')).body.user.mustChangePassword).toBe(false);
    expect((await admin.call('POST', `/api/admin/users/${randomUUID()}/password-reset`)).status).toBe(404);
  });
});
