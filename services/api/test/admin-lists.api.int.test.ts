import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, STRONG_TEST_PASSWORD } from '@jianyi/platform/src/testing';
import { AdminService } from '../src/admin.service';
import { DeputyRepository } from '../src/deputy.repository';

// The admin's lists (users, units, deputies; issue 15) as the admin pages them: server-side pages
// with totals and a stable order, the keyword in Chinese names, login names, unit codes and the
// deputies' delegation and town, the filters a mature product has, and 422 naming the field for bad
// input. Every row this file makes is removed again in afterAll (the database is shared).
let ds: DataSource;
let admin: ApiSession;
const t = randomUUID().slice(0, 6);
const made = { users: [] as string[], units: [] as string[], deputies: [] as string[] };

type Page<T> = { items: T[]; total: number; page: number; pageSize: number };
type User = {
  id: string;
  username: string;
  displayName: string;
  role: string;
  active: boolean;
  unitName: string | null;
};

beforeAll(async () => {
  ds = await openDataSource();
  admin = await ApiSession.login('admin');
});

afterAll(async () => {
  if (!ds?.isInitialized) return;
  await ds.query(`DELETE FROM sessions WHERE user_id = ANY($1::uuid[])`, [made.users]);
  await ds.query(`DELETE FROM users WHERE id = ANY($1::uuid[])`, [made.users]);
  await ds.query(`DELETE FROM units WHERE id = ANY($1::uuid[])`, [made.units]);
  await ds.query(`DELETE FROM deputies WHERE id = ANY($1::uuid[])`, [made.deputies]);
  await ds.destroy();
});

async function get<T>(path: string): Promise<Page<T>> {
  const r = await admin.call('GET', path);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as Page<T>;
}
/** Every page of a list, one after the other. */
async function allPages<T>(path: string, pageSize: number): Promise<T[][]> {
  const first = await get<T>(`${path}&pageSize=${pageSize}`);
  const pages = [first.items];
  for (let p = 2; p <= Math.ceil(first.total / pageSize); p++)
    pages.push((await get<T>(`${path}&pageSize=${pageSize}&page=${p}`)).items);
  return pages;
}
/** Each bad query answers 422 naming its field, with the field's Chinese label and an English message. */
async function expect422(path: string, cases: [query: string, field: string, label: string][]) {
  for (const [query, f, zh] of cases) {
    const r = await admin.call('GET', `${path}?${query}`);
    expect(r.status, query).toBe(422);
    expect(field(r), query).toEqual([f]);
    expect(r.body.errors[0].message, query).toMatch(new RegExp(`^${zh}:`));
    expect(r.body.errors[0].messageEn, query).toBeTruthy();
  }
}
const field = (r: { body: { errors?: { field: string; message: string; messageEn: string }[] } }) =>
  r.body.errors?.map((e) => e.field);

describe('users (/api/admin/users)', () => {
  const NAMES = ['周', '吴', '郑', '王', '冯', '陈', '褚', '卫', '蒋', '沈', '韩', '杨'];
  beforeAll(async () => {
    // 23 accounts of one test 科室: 12 handlers of a new unit and 11 deputies' reviewers, one with a
    // name of its own to find.
    const unit = await admin.call('POST', '/api/admin/units', {
      code: `L${t}`,
      name: `列表测试局${t}`,
      kind: 'vertical',
    });
    expect(unit.status).toBe(201);
    made.units.push(unit.body.id);
    for (let i = 0; i < 23; i++) {
      const handler = i < 12;
      const r = await admin.call('POST', '/api/admin/users', {
        username: `lst${t}.${String(i).padStart(2, '0')}`,
        password: STRONG_TEST_PASSWORD,
        displayName: i === 21 ? `欧阳${t}娜` : `${NAMES[i % NAMES.length]}测${t}`,
        role: handler ? 'unit_handler' : 'reviewer',
        unitId: handler ? unit.body.id : null,
        email: i === 5 ? `mail${t}@example.cn` : null,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      made.users.push(r.body.id);
    }
  });

  it('pages by login name with a total: pages neither overlap nor skip, whatever the page size', async () => {
    for (const size of [5, 10, 23]) {
      const pages = await allPages<User>(`/api/admin/users?q=lst${t}`, size);
      const names = pages.flat().map((u) => u.username);
      expect(names).toHaveLength(23);
      expect(new Set(names).size).toBe(23);
      expect(names).toEqual([...names].sort());
    }
    const second = await get<User>(`/api/admin/users?q=lst${t}&pageSize=10&page=2`);
    expect(second).toMatchObject({ total: 23, page: 2, pageSize: 10 });
    expect(second.items.map((u) => u.username)).toEqual(
      Array.from({ length: 10 }, (_, i) => `lst${t}.${String(10 + i).padStart(2, '0')}`),
    );
    // Past the last page: an empty page, the same total.
    expect(await get<User>(`/api/admin/users?q=lst${t}&pageSize=10&page=9`)).toMatchObject({
      items: [],
      total: 23,
    });
  });

  it('finds accounts by Chinese name (two characters too), login name, email; with the unit name', async () => {
    const byName = await get<User>(`/api/admin/users?q=${encodeURIComponent(`欧阳${t}`)}`);
    expect(byName.items.map((u) => u.username)).toEqual([`lst${t}.21`]);
    const twoChars = await get<User>(`/api/admin/users?q=${encodeURIComponent('欧阳')}&pageSize=200`);
    expect(twoChars.items.map((u) => u.username)).toContain(`lst${t}.21`);
    expect(twoChars.items.every((u) => u.displayName.includes('欧阳') || u.username.includes('欧阳'))).toBe(
      true,
    );
    const oneChar = await get<User>(`/api/admin/users?q=${encodeURIComponent(`娜`)}&pageSize=200`);
    expect(oneChar.items.map((u) => u.username)).toContain(`lst${t}.21`);
    // Case does not matter in login names; a demo account by its login name.
    expect((await get<User>(`/api/admin/users?q=LST${t}.07`)).items.map((u) => u.username)).toEqual([
      `lst${t}.07`,
    ]);
    expect((await get<User>(`/api/admin/users?q=jtj.leader`)).items.map((u) => u.displayName)).toEqual([
      '吴刚(交通局局长)',
    ]);
    expect((await get<User>(`/api/admin/users?q=mail${t}`)).items.map((u) => u.username)).toEqual([
      `lst${t}.05`,
    ]);
    const handler = (await get<User>(`/api/admin/users?q=lst${t}.00`)).items[0]!;
    expect(handler.unitName).toBe(`列表测试局${t}`);
    // LIKE's own characters are taken literally; a keyword that is nowhere finds nothing.
    expect((await get<User>(`/api/admin/users?q=lst${t}%25`)).total).toBe(0);
    expect((await get<User>(`/api/admin/users?q=${encodeURIComponent('无此人')}${t}`)).total).toBe(0);
    // Whitespace only is no keyword at all.
    expect((await get<User>(`/api/admin/users?q=%20%20&pageSize=1`)).total).toBeGreaterThan(23);
  });

  it('filters by role, unit and active state; a deactivated account leaves the active list', async () => {
    const handlers = await get<User>(`/api/admin/users?q=lst${t}&role=unit_handler&pageSize=50`);
    expect(handlers.total).toBe(12);
    expect(handlers.items.every((u) => u.role === 'unit_handler')).toBe(true);
    const ofUnit = await get<User>(`/api/admin/users?unitId=${made.units[0]}`);
    expect(ofUnit.total).toBe(12);
    const jtj = await get<User>(`/api/admin/users?unitId=${demoId('unit:JTJ')}&pageSize=50`);
    expect(jtj.items.map((u) => u.username).sort()).toEqual(['jtj.handler', 'jtj.leader', 'jtj.vice']);

    const target = made.users[21]!;
    expect((await admin.call('PATCH', `/api/admin/users/${target}`, { active: false })).status).toBe(200);
    const inactive = await get<User>(`/api/admin/users?q=lst${t}&active=false`);
    expect(inactive.items.map((u) => u.id)).toEqual([target]);
    const active = await get<User>(`/api/admin/users?q=lst${t}&active=true&pageSize=50`);
    expect(active.total).toBe(22);
    expect(active.items.some((u) => u.id === target)).toBe(false);
    // Filters combine with the keyword and with each other.
    expect((await get<User>(`/api/admin/users?q=lst${t}&active=false&role=unit_handler`)).total).toBe(0);
  });

  it('answers bad paging and filters with 422 naming the field in Chinese and English', async () => {
    await expect422('/api/admin/users', [
      ['page=0', 'page', '页码'],
      ['page=abc', 'page', '页码'],
      ['page=1.5', 'page', '页码'],
      ['pageSize=201', 'pageSize', '每页条数'],
      ['pageSize=-1', 'pageSize', '每页条数'],
      ['role=mayor', 'role', '角色'],
      ['active=maybe', 'active', '启用状态'],
      ['unitId=42', 'unitId', '承办单位'],
      [`q=${'长'.repeat(65)}`, 'q', '搜索词'],
    ]);
  });
});

describe('units (/api/admin/units)', () => {
  type Unit = { id: string; code: string; name: string; kind: string; active: boolean };
  beforeAll(async () => {
    for (const [i, kind] of ['township', 'township', 'judicial', 'enterprise', 'other'].entries()) {
      const r = await admin.call('POST', '/api/admin/units', {
        code: `K${t}${i}`,
        name: `${kind === 'township' ? `测试${i}镇` : `测试单位${i}`}${t}`,
        kind,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.kind).toBe(kind);
      made.units.push(r.body.id);
    }
  });

  it('pages by code with a total, finds by code (any case) or name, filters by kind and state', async () => {
    const pages = await allPages<Unit>(`/api/admin/units?q=K${t}`, 2);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((u) => u.code)).toEqual([0, 1, 2, 3, 4].map((i) => `K${t}${i}`));
    expect((await get<Unit>(`/api/admin/units?q=k${t}3`)).items.map((u) => u.kind)).toEqual(['enterprise']);
    expect(
      (await get<Unit>(`/api/admin/units?q=${encodeURIComponent('交通运输')}`)).items.map((u) => u.code),
    ).toEqual(['JTJ']);
    const towns = await get<Unit>(`/api/admin/units?q=${t}&kind=township`);
    expect(towns.items.map((u) => u.code)).toEqual([`K${t}0`, `K${t}1`]);
    // The demo units are 政府工作部门 (the migration's default for names that are not towns or courts).
    const gov = await get<Unit>(`/api/admin/units?kind=government&pageSize=200`);
    expect(gov.items.map((u) => u.code)).toEqual(expect.arrayContaining(['JTJ', 'JYJ', 'ZJJ', 'WJW', 'NYJ']));
    expect(gov.items.every((u) => u.kind === 'government')).toBe(true);

    // 撤并 one; the state filter sees it; the kind can be changed.
    const closed = made.units.at(-1)!;
    const p = await admin.call('PATCH', `/api/admin/units/${closed}`, { active: false, kind: 'vertical' });
    expect(p.body).toMatchObject({ active: false, kind: 'vertical' });
    expect((await get<Unit>(`/api/admin/units?q=K${t}&active=false`)).items.map((u) => u.id)).toEqual([
      closed,
    ]);
    expect((await get<Unit>(`/api/admin/units?q=K${t}&active=true`)).total).toBe(4);
  });

  it('answers bad input with 422 naming the field', async () => {
    await expect422('/api/admin/units', [
      ['kind=ministry', 'kind', '单位类别'],
      ['active=yes', 'active', '单位状态'],
      ['page=-2', 'page', '页码'],
      ['pageSize=abc', 'pageSize', '每页条数'],
    ]);
    const bad = await admin.call('POST', '/api/admin/units', {
      code: `B${t}`,
      name: `坏类别${t}`,
      kind: 'ministry',
    });
    expect(bad.status).toBe(422);
    expect(field(bad)).toEqual(['kind']);
    expect((await admin.call('PATCH', `/api/admin/units/${made.units[1]}`, { kind: '' })).status).toBe(422);
  });
});

describe('deputies (/api/admin/deputies)', () => {
  type Deputy = { id: string; name: string; town: string; delegation: string; level: string };
  const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张';
  const delegation = `测试代表团${t}`;
  beforeAll(async () => {
    // 60 deputies of one delegation across three towns, and 5 of another; written by SQL, as an
    // import of a province's roll would.
    const rows: unknown[][] = [];
    for (let i = 0; i < 65; i++) {
      const id = randomUUID();
      made.deputies.push(id);
      const name = i === 42 ? '上官婉清' : `${SURNAMES[i % SURNAMES.length]}${'明华芳'[i % 3]}${t}`;
      rows.push([
        id,
        name,
        i < 60 ? `测试${i % 3}镇${t}` : `别的镇${t}`,
        i < 60 ? delegation : `另一代表团${t}`,
        i % 5 === 0 ? 'provincial' : 'city',
      ]);
    }
    for (const r of rows)
      await ds.query(
        `INSERT INTO deputies (id, name, town, delegation, level) VALUES ($1, $2, $3, $4, $5)`,
        r,
      );
  });

  it('pages by town and name with a total; finds by name, town and delegation; filters', async () => {
    const pages = await allPages<Deputy>(`/api/admin/deputies?q=${t}`, 20);
    expect(pages.map((p) => p.length)).toEqual([20, 20, 20, 5]); // every town has the tag
    const flat = pages.flat();
    expect(new Set(flat.map((d) => d.id)).size).toBe(65);
    const keys = flat.map((d) => `${d.town}\u0001${d.name}`);
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    // Found by town, by delegation, and by two characters of a name.
    expect((await get<Deputy>(`/api/admin/deputies?q=${encodeURIComponent(`测试1镇${t}`)}`)).total).toBe(20);
    expect((await get<Deputy>(`/api/admin/deputies?q=${encodeURIComponent(`另一代表团${t}`)}`)).total).toBe(
      5,
    );
    const byName = await get<Deputy>(`/api/admin/deputies?q=${encodeURIComponent('婉清')}&pageSize=200`);
    expect(byName.items.map((d) => d.id)).toContain(made.deputies[42]);
    expect(byName.items.every((d) => `${d.name} ${d.town} ${d.delegation}`.includes('婉清'))).toBe(true);

    const ofDelegation = await get<Deputy>(
      `/api/admin/deputies?delegation=${encodeURIComponent(delegation)}&pageSize=100`,
    );
    expect(ofDelegation.total).toBe(60);
    expect(ofDelegation.items.every((d) => d.delegation === delegation)).toBe(true);
    const provincial = await get<Deputy>(
      `/api/admin/deputies?delegation=${encodeURIComponent(delegation)}&level=provincial&pageSize=100`,
    );
    expect(provincial.total).toBe(12);
    const town = await get<Deputy>(
      `/api/admin/deputies?town=${encodeURIComponent(`测试2镇${t}`)}&q=${encodeURIComponent('芳')}`,
    );
    expect(town.items.every((d) => d.town === `测试2镇${t}` && d.name.includes('芳'))).toBe(true);
    expect(town.total).toBe(20);

    const delegations = await admin.call('GET', '/api/admin/deputies/delegations');
    expect(delegations.status).toBe(200);
    expect(delegations.body.items).toEqual(
      expect.arrayContaining([
        { delegation, deputies: 60 },
        { delegation: `另一代表团${t}`, deputies: 5 },
      ]),
    );
    // The demo's delegation is listed too (other test files may add deputies to it meanwhile).
    const demo = (delegations.body.items as { delegation: string; deputies: number }[]).find(
      (d) => d.delegation === '溧城代表团',
    );
    expect(demo?.deputies).toBeGreaterThanOrEqual(1);
  });

  it('answers bad input with 422 naming the field', async () => {
    await expect422('/api/admin/deputies', [
      ['level=mayor', 'level', '代表层级'],
      [`delegation=${'团'.repeat(101)}`, 'delegation', '代表团'],
      ['page=0', 'page', '页码'],
      ['pageSize=1000', 'pageSize', '每页条数'],
      [`q=${'长'.repeat(51)}`, 'q', '搜索词'],
    ]);
  });

  it('the co-signer directory (代表名录) finds them by name, town or delegation, a limit at a time', async () => {
    const deputy = await ApiSession.login('wangjianguo');
    const dir = async (query: string) => {
      const r = await deputy.call('GET', `/api/directory/deputies${query}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body as { items: Deputy[]; total: number };
    };
    // Without parameters, every deputy (a county's directory), with their number.
    const all = await dir('');
    expect(all.total).toBe(all.items.length);
    expect(all.items.map((d) => d.id)).toEqual(expect.arrayContaining(made.deputies));
    // A picker at a province's size asks for the first few and learns how many there are.
    const first = await dir('?limit=10');
    expect(first.items).toHaveLength(10);
    // (Other test files may add deputies meanwhile: at least as many, and in the directory's order.)
    expect(first.total).toBeGreaterThanOrEqual(all.total);
    const keys = first.items.map((d) => `${d.town}\u0001${d.name}`);
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    // Then finds the others by name, town or delegation.
    const tagged = await dir(`?q=${t}&limit=50`);
    expect(tagged.total).toBe(65);
    expect(tagged.items).toHaveLength(50);
    expect((await dir(`?q=${encodeURIComponent('上官婉清')}`)).items.map((d) => d.id)).toEqual([
      made.deputies[42],
    ]);
    expect((await dir(`?q=${encodeURIComponent(`另一代表团${t}`)}`)).total).toBe(5);
    expect((await dir(`?q=${encodeURIComponent(`无此代表${t}`)}`)).items).toEqual([]);
    // Bad input: 422 naming the field; a unit may not list deputies at all.
    for (const [query, f] of [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      [`q=${'长'.repeat(51)}`, 'q'],
    ] as const) {
      const r = await deputy.call('GET', `/api/directory/deputies?${query}`);
      expect(r.status, query).toBe(422);
      expect(field(r), query).toEqual([f]);
    }
    const unit = await ApiSession.login('jtj.handler');
    expect((await unit.call('GET', `/api/directory/deputies?q=${t}`)).status).toBe(403);
  });

  it('only the admin lists them', async () => {
    const reviewer = await ApiSession.login('reviewer');
    expect((await reviewer.call('GET', '/api/admin/deputies?q=王')).status).toBe(403);
    expect((await reviewer.call('GET', '/api/admin/deputies/delegations')).status).toBe(403);
    expect((await new ApiSession().call('GET', '/api/admin/users?q=admin')).status).toBe(401);
  });
});

describe('the keyword reads the gram index (migration AdminListSearch)', () => {
  // The search's SQL must name the indexed expression word for word; with sequential scans off, its
  // plan shows whether the index can serve it (on a small table the planner would scan anyway).
  async function planOf(run: (db: DataSource) => Promise<unknown>): Promise<string> {
    const seen: { sql: string; params: unknown[] }[] = [];
    const spy = {
      query: (sql: string, params?: unknown[]) => (
        seen.push({ sql, params: params ?? [] }),
        ds.query(sql, params)
      ),
    };
    await run(spy as unknown as DataSource);
    const counted = seen.find((s) => s.sql.includes('count(*)'))!;
    return ds.transaction(async (m) => {
      await m.query('SET LOCAL enable_seqscan = off');
      const rows: { 'QUERY PLAN': string }[] = await m.query(`EXPLAIN ${counted.sql}`, counted.params);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
  }

  it('for deputies and for accounts', async () => {
    const deputies = await planOf((db) =>
      new DeputyRepository(db).list({ q: '婉清', page: 1, pageSize: 20 }),
    );
    expect(deputies).toContain('idx_deputies_search');
    const users = await planOf((db) =>
      new AdminService(db, { list: () => [] } as never).listUsers({ q: '欧阳', page: 1, pageSize: 20 }),
    );
    expect(users).toContain('idx_users_search');
  });
});
