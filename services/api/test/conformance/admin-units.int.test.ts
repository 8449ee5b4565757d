/**
 * Conformance (process.md, "Actors": 承办单位 and their 主要负责人), walked through the API on the
 * running test stack: the admin keeps the units the reviewer assigns to — unique names, renaming,
 * deactivation (撤并) — and marks a unit's principal leader, who signs the replies of key items.
 * Afterwards, what the reviewer and the unit's leader see.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { ApiSession, STRONG_TEST_PASSWORD, waitFor } from '@jianyi/platform/src/testing';

let ds: DataSource;
let admin: ApiSession;
let reviewer: ApiSession;
let wang: ApiSession;
const created = { units: [] as string[], users: [] as string[] };
const tag = randomUUID().slice(0, 8).toUpperCase();

beforeAll(async () => {
  ds = await openDataSource();
  [admin, reviewer, wang] = await Promise.all([
    ApiSession.login('admin'),
    ApiSession.login('reviewer'),
    ApiSession.login('wangjianguo'),
  ]);
});
afterAll(async () => {
  if (ds?.isInitialized) {
    if (created.users.length) {
      await ds.query(`DELETE FROM sessions WHERE user_id = ANY($1::uuid[])`, [created.users]);
      await ds.query(`DELETE FROM users WHERE id = ANY($1::uuid[])`, [created.users]);
    }
    if (created.units.length) await ds.query(`DELETE FROM units WHERE id = ANY($1::uuid[])`, [created.units]);
    await ds.destroy();
  }
});

const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);
async function unit(code: string, name: string) {
  const r = await admin.call('POST', '/api/admin/units', { code, name });
  expect(r.status).toBe(201);
  created.units.push(r.body.id);
  return r.body as { id: string; code: string; name: string; active: boolean };
}
async function accepted() {
  const { body } = await wang.call(
    'POST',
    '/api/suggestions',
    { title: `关于规范城区停车收费的建议 ${tag}`, content: '部分路段停车收费标准不一,建议统一公示。' },
    { 'Idempotency-Key': randomUUID() },
  );
  await wang.call('POST', `/api/suggestions/${body.id}/submit`);
  const status = async () => (await wang.call('GET', `/api/suggestions/${body.id}`)).body.status;
  await waitFor('submitted', async () => (await status()) === 'submitted');
  await reviewer.call('POST', `/api/suggestions/${body.id}/review`, { decision: 'accept' });
  await waitFor('accepted', async () => (await status()) === 'accepted');
  return body.id as string;
}

describe('units kept by the admin (承办单位)', () => {
  it('refuses a second unit with the same name, on create and on rename (409 naming the field)', async () => {
    const a = await unit(`A${tag}`, `测试城管局${tag}`);
    expect(a.active).toBe(true);
    const same = await admin.call('POST', '/api/admin/units', { code: `B${tag}`, name: `测试城管局${tag}` });
    expect(same.status).toBe(409);
    expect(fields(same.body)).toEqual(['name']);
    expect(same.body.errors[0].message).toContain('已被其他承办单位使用');

    const b = await unit(`B${tag}`, `测试住建局${tag}`);
    const clash = await admin.call('PATCH', `/api/admin/units/${b.id}`, { name: `测试城管局${tag}` });
    expect(clash.status).toBe(409);
    expect(fields(clash.body)).toEqual(['name']);

    // A rename: the directory the reviewer assigns from shows the new name; the audit keeps both.
    const renamed = await admin.call('PATCH', `/api/admin/units/${b.id}`, {
      name: `测试住房和城乡建设局${tag}`,
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: b.id, code: `B${tag}`, name: `测试住房和城乡建设局${tag}` });
    const dir = (await reviewer.call('GET', '/api/directory/units')).body.items as {
      id: string;
      name: string;
    }[];
    expect(dir.find((u) => u.id === b.id)?.name).toBe(`测试住房和城乡建设局${tag}`);
    const [row] = await ds.query(
      `SELECT before->>'name' AS before, after->>'name' AS after FROM audit_log WHERE action = 'unit.update' AND entity_id = $1`,
      [b.id],
    );
    expect(row).toEqual({ before: `测试住建局${tag}`, after: `测试住房和城乡建设局${tag}` });

    const nothing = await admin.call('PATCH', `/api/admin/units/${b.id}`, {});
    expect(nothing.status).toBe(422);
    expect((await admin.call('PATCH', `/api/admin/units/${randomUUID()}`, { active: false })).status).toBe(
      404,
    );
    expect((await reviewer.call('PATCH', `/api/admin/units/${b.id}`, { active: false })).status).toBe(403);
  });

  it('a deactivated unit (撤并) is no longer offered or assignable; reactivated, it is again', async () => {
    const u = await unit(`C${tag}`, `测试撤并局${tag}`);
    const off = await admin.call('PATCH', `/api/admin/units/${u.id}`, { active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    // The admin still sees it (marked inactive); the reviewer's directory no longer offers it.
    const all = (await admin.call('GET', '/api/admin/units')).body.items as { id: string; active: boolean }[];
    expect(all.find((x) => x.id === u.id)?.active).toBe(false);
    const dir = (await reviewer.call('GET', '/api/directory/units')).body.items as { id: string }[];
    expect(dir.some((x) => x.id === u.id)).toBe(false);

    const id = await accepted();
    const refused = await reviewer.call('POST', `/api/suggestions/${id}/assign`, {
      mode: 'lead',
      leadUnitId: u.id,
      coUnitIds: [],
    });
    expect(refused.status).toBe(422);
    expect(fields(refused.body)).toEqual(['leadUnitId']);
    expect(refused.body.errors[0].message).toBe(`承办单位已撤并，不能交办:测试撤并局${tag}`);
    expect(refused.body.errors[0].messageEn).toContain('deactivated');
    // Nothing was written: the item is still waiting for assignment.
    expect((await wang.call('GET', `/api/suggestions/${id}`)).body.status).toBe('accepted');

    expect((await admin.call('PATCH', `/api/admin/units/${u.id}`, { active: true })).status).toBe(200);
    const ok = await reviewer.call('POST', `/api/suggestions/${id}/assign`, {
      mode: 'lead',
      leadUnitId: u.id,
      coUnitIds: [],
    });
    expect(ok.status).toBe(200);
  });

  it("marks a unit leader as the unit's principal leader (主要负责人); only unit leaders can be one", async () => {
    const u = await unit(`D${tag}`, `测试水务局${tag}`);
    const mk = async (username: string, role: string) => {
      const r = await admin.call('POST', '/api/admin/users', {
        username,
        password: STRONG_TEST_PASSWORD,
        displayName: username,
        role,
        unitId: u.id,
      });
      expect(r.status).toBe(201);
      created.users.push(r.body.id);
      expect(r.body.principal).toBe(false);
      return r.body.id as string;
    };
    const chief = await mk(`sw.chief.${tag}`.toLowerCase(), 'unit_leader');
    const handler = await mk(`sw.handler.${tag}`.toLowerCase(), 'unit_handler');

    const marked = await admin.call('PATCH', `/api/admin/users/${chief}`, { principal: true });
    expect(marked.status).toBe(200);
    expect(marked.body.principal).toBe(true);
    const me = await ApiSession.login(`sw.chief.${tag}`.toLowerCase(), STRONG_TEST_PASSWORD);
    expect((await me.call('GET', '/api/me')).body.user).toMatchObject({ principal: true, unitId: u.id });

    const wrong = await admin.call('PATCH', `/api/admin/users/${handler}`, { principal: true });
    expect(wrong.status).toBe(422);
    expect(fields(wrong.body)).toEqual(['principal']);
    expect(wrong.body.errors[0].message).toBe('主要负责人:只有单位负责人可以设为主要负责人');

    // A leader moved to handler loses the mark.
    const demoted = await admin.call('PATCH', `/api/admin/users/${chief}`, { role: 'unit_handler' });
    expect(demoted.status).toBe(200);
    expect(demoted.body.principal).toBe(false);
  });
});
