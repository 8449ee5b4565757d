import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import cookieParser from 'cookie-parser';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { DEMO_PASSWORD, demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession } from '@jianyi/platform/src/testing';
import { adminRoutes } from '../src/admin.routes';
import { authRoutes } from '../src/auth.routes';
import { requireUser } from '../src/http/auth';
import { errorHandler } from '../src/http/problem';

// The admin router is not mounted in app.ts yet, so this test mounts it on an app of its own, on an
// ephemeral port, with a real DataSource (the stack's PostgreSQL). The database is shared with other
// tests and the dev stack: every row this file creates is removed again in afterAll.
let ds: DataSource;
let server: Server;
let base: string;
const unexpected: unknown[] = [];

const created = {
  users: [] as string[],
  units: [] as string[],
  policyChoices: [] as string[],
  seededDays: [] as string[],
};
const TEST_YEAR = 2099; // calendar overrides are written in a year nothing else uses
const SEED_YEAR = 2004; // the oldest year chinese-days has; nothing else reads it

beforeAll(async () => {
  ds = await openDataSource();
  const app = express();
  app.use(express.json());
  app.use(cookieParser());
  app.use('/api/auth', authRoutes(ds));
  app.use('/api', requireUser(ds));
  app.use('/api/admin', adminRoutes(ds));
  app.use(
    errorHandler({
      error: (o: unknown) => {
        unexpected.push(o);
      },
    }),
  );
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (ds?.isInitialized) {
    if (created.users.length) {
      await ds.query(`DELETE FROM sessions WHERE user_id = ANY($1::uuid[])`, [created.users]);
      await ds.query(`DELETE FROM users WHERE id = ANY($1::uuid[])`, [created.users]);
    }
    if (created.units.length) await ds.query(`DELETE FROM units WHERE id = ANY($1::uuid[])`, [created.units]);
    if (created.policyChoices.length)
      await ds.query(`DELETE FROM policy_choices WHERE id = ANY($1::bigint[])`, [created.policyChoices]);
    await ds.query(
      `DELETE FROM work_calendar_days WHERE day >= make_date($1::int, 1, 1) AND day < make_date($1::int + 1, 1, 1)`,
      [TEST_YEAR],
    );
    if (created.seededDays.length)
      await ds.query(
        `DELETE FROM work_calendar_days WHERE source = 'chinese-days' AND day = ANY($1::date[])`,
        [created.seededDays],
      );
    await ds.destroy();
  }
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  expect(unexpected).toEqual([]); // no 500s along the way
});

async function login(username: string, password = DEMO_PASSWORD): Promise<ApiSession> {
  const s = new ApiSession(base);
  const r = await s.call('POST', '/api/auth/login', { username, password });
  if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return s;
}
const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field).sort();
const errorOf = (body: { errors?: { field: string; message: string; messageEn: string }[] }, field: string) =>
  body.errors?.find((e) => e.field === field);

async function auditRows(
  action: string,
  entityId: string,
): Promise<{ actor_user_id: string; actor_role: string; before: any; after: any }[]> {
  return ds.query(
    `SELECT actor_user_id, actor_role, before, after FROM audit_log WHERE action = $1 AND entity_id = $2 ORDER BY id`,
    [action, entityId],
  );
}

const adminId = demoId('user:admin');

describe('access', () => {
  it('requires a session', async () => {
    const anon = new ApiSession(base);
    expect((await anon.call('GET', '/api/admin/units')).status).toBe(401);
  });

  it('refuses every admin route to reviewer, deputy and unit roles with 403, writing nothing', async () => {
    const policyRowsBefore: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM policy_choices`);
    for (const username of [
      'reviewer',
      'wangjianguo',
      'jtj.handler',
      'jtj.leader',
      'coordinator',
      'supervisor',
    ]) {
      const s = await login(username);
      const calls: [string, string, unknown?][] = [
        ['GET', '/api/admin/calendar?year=2026'],
        ['PUT', `/api/admin/calendar/${TEST_YEAR}-01-05`, { kind: 'holiday' }],
        ['POST', '/api/admin/calendar/seed', { fromYear: SEED_YEAR, toYear: SEED_YEAR }],
        ['GET', '/api/admin/policies'],
        ['GET', '/api/admin/policy'],
        ['PUT', '/api/admin/policy', { policyKey: 'city-x@2026.1' }],
        ['GET', '/api/admin/units'],
        ['POST', '/api/admin/units', { code: `X${randomUUID().slice(0, 8)}`, name: '不该建成的单位' }],
        ['GET', '/api/admin/users'],
        [
          'POST',
          '/api/admin/users',
          {
            username: `nope.${randomUUID().slice(0, 8)}`,
            password: 'long-enough-1',
            displayName: '不该建成',
            role: 'reviewer',
          },
        ],
        ['PATCH', `/api/admin/users/${adminId}`, { active: false }],
      ];
      for (const [method, path, body] of calls) {
        const r = await s.call(method, path, body);
        expect(r.status, `${username} ${method} ${path}`).toBe(403);
        expect(r.headers.get('content-type')).toContain('application/problem+json');
      }
    }
    const policyRowsAfter: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM policy_choices`);
    expect(policyRowsAfter[0]!.n).toBe(policyRowsBefore[0]!.n);
    expect(await ds.query(`SELECT 1 FROM work_calendar_days WHERE day = $1`, [`${TEST_YEAR}-01-05`])).toEqual(
      [],
    );
    expect(await ds.query(`SELECT 1 FROM users WHERE display_name = '不该建成'`)).toEqual([]);
  });

  it('lets the admin in', async () => {
    const admin = await login('admin');
    expect((await admin.call('GET', '/api/admin/units')).status).toBe(200);
    expect((await admin.call('GET', '/api/admin/policy')).status).toBe(200);
  });
});

describe('calendar', () => {
  it('validates the day and the kind, naming each field in Chinese and English', async () => {
    const admin = await login('admin');
    const r = await admin.call('PUT', `/api/admin/calendar/${TEST_YEAR}-02-30`, { kind: 'party' });
    expect(r.status).toBe(422);
    expect(fields(r.body)).toEqual(['day', 'kind']);
    expect(errorOf(r.body, 'day')!.message).toMatch(/^日期:/);
    expect(errorOf(r.body, 'kind')!.message).toBe('日期类型:取值不在允许范围内');
    expect(errorOf(r.body, 'kind')!.messageEn.length).toBeGreaterThan(0);
    const missing = await admin.call('PUT', `/api/admin/calendar/${TEST_YEAR}-03-02`, {});
    expect(missing.status).toBe(422);
    expect(errorOf(missing.body, 'kind')!.message).toBe('日期类型:必填');
    const year = await admin.call('GET', '/api/admin/calendar?year=abc');
    expect(year.status).toBe(422);
    expect(fields(year.body)).toEqual(['year']);
  });

  it('sets, lists, changes and clears an override, auditing each change', async () => {
    const admin = await login('admin');
    const day = `${TEST_YEAR}-01-05`;
    const set = await admin.call('PUT', `/api/admin/calendar/${day}`, { kind: 'holiday', name: '测试假日' });
    expect(set.status).toBe(200);
    expect(set.body.row).toMatchObject({
      day,
      kind: 'holiday',
      name: '测试假日',
      source: 'admin',
      updatedBy: adminId,
    });
    const list = await admin.call('GET', `/api/admin/calendar?year=${TEST_YEAR}`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ year: TEST_YEAR, seeded: false });
    expect(list.body.days).toEqual([
      expect.objectContaining({ day, kind: 'holiday', name: '测试假日', source: 'admin' }),
    ]);

    expect((await admin.call('PUT', `/api/admin/calendar/${day}`, { kind: 'normal' })).status).toBe(200);
    expect((await admin.call('GET', `/api/admin/calendar?year=${TEST_YEAR}`)).body.days).toEqual([]);

    const rows = await auditRows('calendar.set_day', day);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const [first, second] = rows.slice(-2);
    expect(first).toMatchObject({
      actor_user_id: adminId,
      actor_role: 'admin',
      before: null,
      after: { kind: 'holiday', name: '测试假日', source: 'admin' },
    });
    expect(second).toMatchObject({ before: { kind: 'holiday' }, after: null });
  });

  it('seeds from chinese-days idempotently and refuses years without data', async () => {
    const admin = await login('admin');
    const existing: { day: string }[] = await ds.query(
      `SELECT day::text AS day FROM work_calendar_days WHERE day >= make_date($1::int, 1, 1) AND day < make_date($1::int + 1, 1, 1)`,
      [SEED_YEAR],
    );
    const first = await admin.call('POST', '/api/admin/calendar/seed', {
      fromYear: SEED_YEAR,
      toYear: SEED_YEAR,
    });
    expect(first.status).toBe(200);
    const after: { day: string }[] = await ds.query(
      `SELECT day::text AS day FROM work_calendar_days WHERE source = 'chinese-days' AND day >= make_date($1::int, 1, 1) AND day < make_date($1::int + 1, 1, 1)`,
      [SEED_YEAR],
    );
    const had = new Set(existing.map((r) => r.day));
    created.seededDays.push(...after.map((r) => r.day).filter((d) => !had.has(d)));
    expect(after.length).toBeGreaterThan(0);
    expect(first.body.coverage).toEqual({ from: `${SEED_YEAR}-01-01`, to: `${SEED_YEAR}-12-31` });

    const second = await admin.call('POST', '/api/admin/calendar/seed', {
      fromYear: SEED_YEAR,
      toYear: SEED_YEAR,
    });
    expect(second.body).toMatchObject({ inserted: 0, updated: 0, removed: 0 });
    const listed = await admin.call('GET', `/api/admin/calendar?year=${SEED_YEAR}`);
    expect(listed.body.seeded).toBe(true);
    expect(listed.body.days.find((d: { day: string }) => d.day === `${SEED_YEAR}-10-01`)).toMatchObject({
      kind: 'holiday',
      source: 'chinese-days',
    });
    expect((await auditRows('calendar.seed', `${SEED_YEAR}-${SEED_YEAR}`)).at(-1)).toMatchObject({
      actor_user_id: adminId,
      after: { inserted: 0, updated: 0 },
    });

    const none = await admin.call('POST', '/api/admin/calendar/seed', { fromYear: 2090, toYear: 2091 });
    expect(none.status).toBe(422);
    expect(fields(none.body)).toEqual(['fromYear']);
    const backwards = await admin.call('POST', '/api/admin/calendar/seed', { fromYear: 2026, toYear: 2025 });
    expect(backwards.status).toBe(422);
    expect(fields(backwards.body)).toEqual(['toYear']);
    const missing = await admin.call('POST', '/api/admin/calendar/seed', {});
    expect(fields(missing.body)).toEqual(['fromYear', 'toYear']);
    expect(errorOf(missing.body, 'fromYear')!.message).toBe('起始年份:必填');
  });
});

describe('policy', () => {
  it('lists the policies with the one in force and marks test-only ones', async () => {
    const admin = await login('admin');
    const r = await admin.call('GET', '/api/admin/policies');
    expect(r.status).toBe(200);
    const keys = r.body.items.map((p: { key: string }) => p.key);
    expect(keys).toEqual(expect.arrayContaining(['national-default@2026.1', 'city-x@2026.1', 'test-fast@1']));
    expect(r.body.items.find((p: { key: string }) => p.key === 'test-fast@1')).toMatchObject({
      testOnly: true,
      jurisdiction: { level: 'test' },
    });
    expect(r.body.items.find((p: { key: string }) => p.key === 'city-x@2026.1')).toMatchObject({
      testOnly: false,
      name: 'X市人大代表建议办理规则',
      jurisdiction: { level: 'city', name: 'X市人大常委会' },
    });
    expect(
      r.body.items.filter((p: { inForce: boolean }) => p.inForce).map((p: { key: string }) => p.key),
    ).toEqual([r.body.inForce]);
  });

  it('refuses unknown and test-only policies, naming policyKey', async () => {
    const admin = await login('admin');
    for (const policyKey of ['test-fast@1', 'nowhere@1', '']) {
      const r = await admin.call('PUT', '/api/admin/policy', { policyKey });
      expect(r.status, policyKey).toBe(422);
      expect(fields(r.body)).toEqual(['policyKey']);
      expect(errorOf(r.body, 'policyKey')!.message).toMatch(/^办理规则:/);
    }
    expect((await admin.call('PUT', '/api/admin/policy', {})).status).toBe(422);
  });

  it('puts a policy in force, records the choice and audits it', async () => {
    const admin = await login('admin');
    const before = (await admin.call('GET', '/api/admin/policy')).body;
    expect(before.policyKey).toEqual(expect.any(String));
    const r = await admin.call('PUT', '/api/admin/policy', { policyKey: 'city-x@2026.1' });
    expect(r.status).toBe(200);
    created.policyChoices.push(r.body.choiceId);
    expect(r.body).toMatchObject({ policyKey: 'city-x@2026.1', chosen: true, chosenBy: adminId });
    const now = await admin.call('GET', '/api/admin/policy');
    expect(now.body).toMatchObject({
      policyKey: 'city-x@2026.1',
      chosen: true,
      policy: { key: 'city-x@2026.1', inForce: true },
    });
    const rows: { policy_key: string; chosen_by: string }[] = await ds.query(
      `SELECT policy_key, chosen_by FROM policy_choices WHERE id = $1`,
      [r.body.choiceId],
    );
    expect(rows).toEqual([{ policy_key: 'city-x@2026.1', chosen_by: adminId }]);
    expect((await auditRows('policy.choose', 'city-x@2026.1')).at(-1)).toMatchObject({
      actor_user_id: adminId,
      before: { policyKey: before.policyKey },
      after: { policyKey: 'city-x@2026.1', choiceId: r.body.choiceId },
    });
    // Put back what was in force for the rest of the shared stack.
    await ds.query(`DELETE FROM policy_choices WHERE id = ANY($1::bigint[])`, [created.policyChoices]);
    created.policyChoices.length = 0;
    expect((await admin.call('GET', '/api/admin/policy')).body.policyKey).toBe(before.policyKey);
  });
});

describe('units', () => {
  it('creates a unit, refuses a duplicate code with 409 and validates fields', async () => {
    const admin = await login('admin');
    const code = `T${randomUUID().slice(0, 8).toUpperCase()}`;
    const name = `测试局${code}`;
    const r = await admin.call('POST', '/api/admin/units', { code, name });
    expect(r.status).toBe(201);
    created.units.push(r.body.id);
    expect(r.body).toMatchObject({ code, name, active: true });
    const dup = await admin.call('POST', '/api/admin/units', { code, name: `另一个${name}` });
    expect(dup.status).toBe(409);
    expect(fields(dup.body)).toEqual(['code']);
    const bad = await admin.call('POST', '/api/admin/units', { code: '', name: '' });
    expect(bad.status).toBe(422);
    expect(fields(bad.body)).toEqual(['code', 'name']);
    expect(errorOf(bad.body, 'code')!.message).toBe('单位代码:不能为空');
    const list = await admin.call('GET', '/api/admin/units');
    expect(list.body.items.filter((u: { code: string }) => u.code === code)).toHaveLength(1);
    expect((await auditRows('unit.create', r.body.id))[0]).toMatchObject({
      actor_user_id: adminId,
      before: null,
      after: { code, name },
    });
  });
});

describe('users', () => {
  const uname = () => `t.${randomUUID().slice(0, 8)}`;

  it('validates fields and the links each role needs, naming the field', async () => {
    const admin = await login('admin');
    const empty = await admin.call('POST', '/api/admin/users', {});
    expect(empty.status).toBe(422);
    expect(fields(empty.body)).toEqual(['displayName', 'password', 'role', 'username']);
    const short = await admin.call('POST', '/api/admin/users', {
      username: uname(),
      password: 'short',
      displayName: '测试',
      role: 'reviewer',
    });
    expect(fields(short.body)).toEqual(['password']);
    expect(errorOf(short.body, 'password')!.message).toBe('密码:至少 12 个字');
    const badRole = await admin.call('POST', '/api/admin/users', {
      username: uname(),
      password: 'long-enough-1',
      displayName: '测试',
      role: 'king',
    });
    expect(fields(badRole.body)).toEqual(['role']);
    const noUnit = await admin.call('POST', '/api/admin/users', {
      username: uname(),
      password: 'long-enough-1',
      displayName: '测试',
      role: 'unit_handler',
    });
    expect(noUnit.status).toBe(422);
    expect(fields(noUnit.body)).toEqual(['unitId']);
    expect(errorOf(noUnit.body, 'unitId')!.message).toMatch(/^承办单位:/);
    const ghostUnit = await admin.call('POST', '/api/admin/users', {
      username: uname(),
      password: 'long-enough-1',
      displayName: '测试',
      role: 'unit_leader',
      unitId: randomUUID(),
    });
    expect(fields(ghostUnit.body)).toEqual(['unitId']);
    const noDeputy = await admin.call('POST', '/api/admin/users', {
      username: uname(),
      password: 'long-enough-1',
      displayName: '测试',
      role: 'deputy',
    });
    expect(fields(noDeputy.body)).toEqual(['deputyId']);
    const strayUnit = await admin.call('POST', '/api/admin/users', {
      username: uname(),
      password: 'long-enough-1',
      displayName: '测试',
      role: 'reviewer',
      unitId: demoId('unit:JTJ'),
    });
    expect(fields(strayUnit.body)).toEqual(['unitId']);
    expect(await ds.query(`SELECT 1 FROM users WHERE display_name = '测试'`)).toEqual([]);
  });

  it('creates a user with an argon2id hash who can then log in; never returns the hash', async () => {
    const admin = await login('admin');
    const username = uname();
    const password = 'Str0ng-enough';
    const r = await admin.call('POST', '/api/admin/users', {
      username,
      password,
      displayName: '测试经办人',
      role: 'unit_handler',
      unitId: demoId('unit:JTJ'),
      email: `${username}@example.test`,
    });
    expect(r.status).toBe(201);
    created.users.push(r.body.id);
    expect(r.body).toMatchObject({
      username,
      displayName: '测试经办人',
      role: 'unit_handler',
      unitId: demoId('unit:JTJ'),
      deputyId: null,
      active: true,
    });
    expect(JSON.stringify(r.body)).not.toMatch(/password|argon2/i);
    const rows: { password_hash: string }[] = await ds.query(
      `SELECT password_hash FROM users WHERE id = $1`,
      [r.body.id],
    );
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);

    const dup = await admin.call('POST', '/api/admin/users', {
      username,
      password,
      displayName: '重名',
      role: 'reviewer',
    });
    expect(dup.status).toBe(409);
    expect(fields(dup.body)).toEqual(['username']);

    const me = await login(username, password);
    expect((await me.call('GET', '/api/admin/units')).status).toBe(403); // signed in, but not an admin

    const list = await admin.call('GET', `/api/admin/users?q=${encodeURIComponent(username)}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((u: { id: string }) => u.id)).toEqual([r.body.id]);
    const all = await admin.call('GET', '/api/admin/users?pageSize=200');
    expect(JSON.stringify(all.body)).not.toMatch(/password|argon2/i);
    expect(all.body.total).toBeGreaterThanOrEqual(13);

    const audited = await auditRows('user.create', r.body.id);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      actor_user_id: adminId,
      actor_role: 'admin',
      before: null,
      after: { username, role: 'unit_handler' },
    });
    expect(JSON.stringify(audited[0])).not.toMatch(/password|argon2/i);
  });

  it('updates a user, signs a deactivated user out, and does not let an admin deactivate or demote themselves', async () => {
    const admin = await login('admin');
    const username = uname();
    const password = 'Str0ng-enough';
    const created1 = await admin.call('POST', '/api/admin/users', {
      username,
      password,
      displayName: '测试审查员',
      role: 'reviewer',
    });
    expect(created1.status).toBe(201);
    const id = created1.body.id as string;
    created.users.push(id);
    const session = await login(username, password);

    const renamed = await admin.call('PATCH', `/api/admin/users/${id}`, {
      displayName: '测试审查员(改)',
      role: 'coordinator',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ displayName: '测试审查员(改)', role: 'coordinator', active: true });
    const toUnit = await admin.call('PATCH', `/api/admin/users/${id}`, { role: 'unit_handler' });
    expect(toUnit.status).toBe(422);
    expect(fields(toUnit.body)).toEqual(['unitId']);

    const off = await admin.call('PATCH', `/api/admin/users/${id}`, { active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await session.call('GET', '/api/admin/units')).status).toBe(401); // its session is gone
    expect((await new ApiSession(base).call('POST', '/api/auth/login', { username, password })).status).toBe(
      401,
    );

    const audited = await auditRows('user.update', id);
    expect(audited.map((a) => [a.before.active, a.after.active])).toEqual([
      [true, true],
      [true, false],
    ]);
    expect(audited[0]).toMatchObject({
      before: { role: 'reviewer', displayName: '测试审查员' },
      after: { role: 'coordinator', displayName: '测试审查员(改)' },
    });

    const self = await admin.call('PATCH', `/api/admin/users/${adminId}`, { active: false });
    expect(self.status).toBe(422);
    expect(fields(self.body)).toEqual(['active']);
    const demote = await admin.call('PATCH', `/api/admin/users/${adminId}`, { role: 'reviewer' });
    expect(fields(demote.body)).toEqual(['role']);
    const stillAdmin: { active: boolean; role: string }[] = await ds.query(
      `SELECT active, role FROM users WHERE id = $1`,
      [adminId],
    );
    expect(stillAdmin).toEqual([{ active: true, role: 'admin' }]);

    expect((await admin.call('PATCH', `/api/admin/users/${randomUUID()}`, { active: true })).status).toBe(
      404,
    );
    expect((await admin.call('PATCH', `/api/admin/users/not-a-uuid`, { active: true })).status).toBe(404);
    expect((await admin.call('PATCH', `/api/admin/users/${id}`, {})).status).toBe(422);
  });
});
