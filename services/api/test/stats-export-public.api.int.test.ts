import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDateOf } from '@jianyi/domain';
import { apiBase, waitFor, type ApiSession } from '@jianyi/platform/src/testing';
import { demoId } from '@jianyi/platform/src/db/seed';
import { assignmentListHeaders, statsHeaders } from '../src/export.routes';
import { AuthzWorld, JTJ, JYJ, replyBody, type Item } from './authz-support';

// Statistics, supervision lists, Excel exports and public replies against the real stack. Items are
// driven through the API (AuthzWorld); the statistics are checked as the change they cause in the
// JTJ row (the test database is shared with other test files, which also assign to JTJ).

const JTJ_NAME = '市交通运输局';
let world: AuthzWorld;
let published: Item; // B reply, rated 基本满意, published
let confidential: Item; // as `published`, then marked 涉密
let replied: Item; // A reply after a face-to-face contact (面商), not yet rated
let assigned: Item; // assigned to JTJ, nothing done yet
let before: Record<string, number>;
let townBefore: Record<string, number>;

type Row = Record<string, number | string | null>;
const jtjRow = async (s: ApiSession) =>
  ((await s.call('GET', '/api/stats?by=unit')).body.rows as Row[]).find((r) => r.key === JTJ) ?? {};
const townRow = async (s: ApiSession) =>
  ((await s.call('GET', '/api/stats?by=town')).body.rows as Row[]).find((r) => r.key === '溧城街道') ?? {};
const counts = (r: Row) =>
  Object.fromEntries(
    [
      'assigned',
      'closed',
      'onTime',
      'replied',
      'met',
      'contacted',
      'evaluated',
      'satisfied',
      'basicallySatisfied',
      'solved',
      'solvedAB',
    ].map((k) => [k, Number(r[k] ?? 0)]),
  );

async function readXlsx(r: { status: number; headers: Headers }, raw: ArrayBuffer) {
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(raw);
  return wb;
}
beforeAll(async () => {
  world = await AuthzWorld.open();
  before = counts(await jtjRow(world.as.supervisor));
  townBefore = counts(await townRow(world.as.supervisor));
  [published, confidential, replied, assigned] = await Promise.all([
    world.make('followUp'),
    world.make('followUp'),
    (async () => {
      const it = await world.make('signedIn');
      const today = chinaDateOf(Date.now());
      for (const [who, step, body] of [
        [
          world.as.unitHandler,
          'contacts',
          { contactedOn: today, form: '面商', summary: '到代表所在社区当面听取意见' },
        ],
        [world.as.unitHandler, 'reply', replyBody],
        [world.as.unitLeader, 'reply/sign-off', undefined],
        [world.as.unitHandler, 'reply/send', undefined],
      ] as const) {
        const r = await world.unitStep(who, it, step, body);
        if (r.status !== 200) throw new Error(`${step}: ${r.status} ${JSON.stringify(r.body)}`);
      }
      await waitFor(
        'replied',
        async () =>
          (await world.as.leadDeputy.call('GET', `/api/suggestions/${it.id}`)).body?.status === 'replied',
      );
      return it;
    })(),
    world.make('assigned'),
  ]);
  // No API marks an item 涉密 yet (the workflow input carries the flag); set the record's flag as an
  // admin tool would, so the public routes are tested against it.
  await world.ds.query(`UPDATE suggestions SET confidential = true WHERE id = $1`, [confidential.id]);
}, 240_000);
afterAll(async () => {
  await world?.close();
});

describe('statistics (办理统计)', () => {
  it('counts each rate as defined in process.md', async () => {
    const after = counts(await jtjRow(world.as.supervisor));
    const delta = Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - before[k]!]));
    // 4 assigned; 2 closed (both published); 3 replied on time; 1 face-to-face (面商) contact, 3 with any contact;
    // 2 evaluated, both 基本满意; 1 category A (replied), 3 A or B.
    expect(delta).toEqual({
      assigned: 4,
      closed: 2,
      onTime: 3,
      replied: 3,
      met: 1,
      contacted: 3,
      evaluated: 2,
      satisfied: 0,
      basicallySatisfied: 2,
      solved: 1,
      solvedAB: 3,
    });
    const row = await jtjRow(world.as.supervisor);
    expect(row.label).toBe(JTJ_NAME);
    expect(row.closedRate).toBeCloseTo(Number(row.closed) / Number(row.assigned), 3);
    expect(row.meetingRate).toBeCloseTo(Number(row.met) / Number(row.replied), 3);
    expect(row.solvedRate).toBeCloseTo(Number(row.solved) / Number(row.replied), 3);
    const town = counts(await townRow(world.as.supervisor));
    expect(town.assigned! - townBefore.assigned!).toBe(4); // all four are wangjianguo's (溧城街道)
  });

  it('drills down to the items of a row', async () => {
    const r = await world.as.coordinator.call(
      'GET',
      `/api/stats/items?by=unit&key=${JTJ}&q=${world.tag}&pageSize=200`,
    );
    expect(r.status).toBe(200);
    const byId = new Map(
      (r.body.items as { id: string; closed: boolean; met: boolean; solved: boolean | null }[]).map((i) => [
        i.id,
        i,
      ]),
    );
    for (const it of [published, confidential, replied, assigned])
      expect(byId.has(it.id), it.token).toBe(true);
    expect(byId.get(replied.id)).toMatchObject({ closed: false, met: true, solved: true });
    expect(byId.get(published.id)).toMatchObject({ closed: true, met: false });
  });

  it('gives a unit only its own row, and deputies nothing', async () => {
    const unit = await world.as.unitHandler.call('GET', '/api/stats?by=unit');
    expect(unit.status).toBe(200);
    expect((unit.body.rows as Row[]).map((x) => x.key)).toEqual([JTJ]);
    expect((await world.as.otherUnit.call('GET', `/api/stats?unitId=${JTJ}`)).status).toBe(403);
    expect((await world.as.leadDeputy.call('GET', '/api/stats')).status).toBe(403);
    expect((await world.as.supervisor.call('GET', '/api/stats?by=nation')).status).toBe(422);
  });
});

describe('supervision lists (督办)', () => {
  it('lists an item as at risk within N working days of its deadline, not before', async () => {
    const wide = await world.as.supervisor.call('GET', '/api/supervision/at-risk?days=120&pageSize=200');
    expect(wide.status).toBe(200);
    expect((wide.body.items as { id: string }[]).some((i) => i.id === assigned.id)).toBe(true);
    const narrow = await world.as.supervisor.call('GET', '/api/supervision/at-risk?days=1&pageSize=200');
    expect((narrow.body.items as { id: string }[]).some((i) => i.id === assigned.id)).toBe(false);
    const overdue = await world.as.supervisor.call('GET', '/api/supervision/overdue?pageSize=200');
    expect(overdue.status).toBe(200);
    expect((overdue.body.items as { id: string }[]).some((i) => i.id === assigned.id)).toBe(false);
    expect((await world.as.leadDeputy.call('GET', '/api/supervision/overdue')).status).toBe(403);
  });
});

describe("a unit's own lists (收件箱, 督办 per unit)", () => {
  const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((i) => i.id);

  it("shows a unit's supervision list to that unit and to an overseer who picks it, not to another unit", async () => {
    const mine = await world.as.unitHandler.call('GET', '/api/supervision/at-risk?days=120&pageSize=200');
    expect(mine.status).toBe(200);
    expect(ids(mine)).toContain(assigned.id);
    expect(mine.body.totalExact).toBe(true);
    expect(mine.body.total).toBeGreaterThanOrEqual(mine.body.items.length);
    const picked = await world.as.supervisor.call(
      'GET',
      `/api/supervision/at-risk?days=120&pageSize=200&unitId=${JTJ}`,
    );
    expect(ids(picked)).toContain(assigned.id);
    const other = await world.as.otherUnit.call('GET', '/api/supervision/at-risk?days=120&pageSize=200');
    expect(other.status).toBe(200);
    expect(ids(other)).not.toContain(assigned.id);
    const otherPicked = await world.as.supervisor.call(
      'GET',
      `/api/supervision/at-risk?days=120&pageSize=200&unitId=${JYJ}`,
    );
    expect(ids(otherPicked)).not.toContain(assigned.id);
    // Not overdue yet: in no unit's overdue list.
    const overdue = await world.as.unitHandler.call('GET', '/api/supervision/overdue?pageSize=200');
    expect(overdue.status).toBe(200);
    expect(ids(overdue)).not.toContain(assigned.id);
    // A page past the end: no items, the same total.
    const past = await world.as.unitHandler.call(
      'GET',
      `/api/supervision/at-risk?days=120&pageSize=200&page=${Math.ceil(mine.body.total / 200) + 1}`,
    );
    expect(past.body.items).toEqual([]);
    expect(past.body.total).toBe(mine.body.total);
  });

  it('counts the inbox exactly whatever the page size (open + done = all)', async () => {
    const h = world.as.unitHandler;
    const total = async (q: string) => (await h.call('GET', `/api/unit-inbox?${q}`)).body.total as number;
    // Other test files assign to JTJ meanwhile: compare totals read while "all" did not move.
    let checked = false;
    for (let attempt = 0; attempt < 5 && !checked; attempt++) {
      const all = await total('pageSize=1'); // a full page: counted apart
      const [open, done, allShort] = await Promise.all([
        total('state=open&pageSize=1'),
        total('state=done&pageSize=1'),
        total(`pageSize=200&page=${Math.max(1, Math.ceil(all / 200))}`), // the last page, short: counted by itself
      ]);
      if ((await total('pageSize=1')) !== all) continue;
      expect(open).toBeGreaterThanOrEqual(1); // `assigned` is a pending part of JTJ
      expect(open + done).toBe(all);
      expect(allShort).toBe(all);
      checked = true;
    }
    expect(checked).toBe(true);
    const first = await h.call('GET', '/api/unit-inbox?state=open&pageSize=1');
    expect(first.body.items).toHaveLength(1);
    expect((await world.as.otherUnit.call('GET', `/api/unit-inbox?q=${assigned.token}`)).body.total).toBe(0);
  });
});

describe('Excel exports (导出)', () => {
  it('exports the 交办清单 with Chinese headers and the filtered rows', async () => {
    const res = await fetchBytes(world.as.coordinator, `/api/exports/assignment-list.xlsx?q=${world.tag}`);
    const wb = await readXlsx(res, res.raw);
    const ws = wb.getWorksheet('交办清单')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(assignmentListHeaders);
    const titles = new Map<string, unknown[]>();
    ws.eachRow((row, n) => {
      if (n > 1) titles.set(String(row.getCell(3).value), (row.values as unknown[]).slice(1));
    });
    for (const it of [published, replied, assigned]) {
      const row = [...titles.entries()].find(([t]) => t.includes(it.token))?.[1];
      expect(row, it.token).toBeDefined();
      expect(row![1]).toMatch(/^\d{4}-第\d{4}号$/); // 立案号
      expect(row![3]).toBe('王建国'); // 领衔代表
      expect(row![9]).toBe(JTJ_NAME); // 主办单位
      expect(row![12]).toMatch(/^\d{4}-\d{2}-\d{2}$/); // 办理期限
    }
    expect(titles.size).toBeGreaterThanOrEqual(4);
    expect((await world.as.leadDeputy.call('GET', '/api/exports/assignment-list.xlsx')).status).toBe(403);
  });

  it('exports the 统计表 with the same figures as the API', async () => {
    const api = await jtjRow(world.as.coordinator);
    const res = await fetchBytes(world.as.coordinator, '/api/exports/stats.xlsx?by=unit');
    const wb = await readXlsx(res, res.raw);
    const ws = wb.getWorksheet('统计表')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['承办单位', ...statsHeaders]);
    let jtj: unknown[] | undefined;
    let total: unknown[] | undefined;
    ws.eachRow((row) => {
      const v = (row.values as unknown[]).slice(1);
      if (v[0] === JTJ_NAME) jtj = v;
      if (v[0] === '合计') total = v;
    });
    expect(jtj?.slice(1, 3)).toEqual([api.assigned, api.closed]);
    expect(total).toBeDefined();
    expect(wb.getWorksheet('口径说明')!.rowCount).toBeGreaterThan(5);
  });
});

describe('public replies (答复公开)', () => {
  it('shows published replies without login, never confidential or unpublished items', async () => {
    const anon = world.as.anonymous;
    const found = await anon.call('GET', `/api/public/replies?q=${published.token}`);
    expect(found.status).toBe(200);
    expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([published.id]);
    expect(found.body.items[0].replies[0]).toMatchObject({ unitName: JTJ_NAME, category: 'B' });
    expect((await anon.call('GET', `/api/public/replies/${published.id}`)).status).toBe(200);

    for (const hidden of [confidential, replied, assigned]) {
      const r = await anon.call('GET', `/api/public/replies?q=${hidden.token}`);
      expect(r.body.total, hidden.token).toBe(0);
      expect((await anon.call('GET', `/api/public/replies/${hidden.id}`)).status).toBe(404);
    }
    // A keyword from the reply text finds published items only.
    const byReply = await anon.call(
      'GET',
      `/api/public/replies?q=${encodeURIComponent('明年城建计划')}&pageSize=50`,
    );
    const ids = (byReply.body.items as { id: string }[]).map((i) => i.id);
    expect(ids).not.toContain(confidential.id);
    expect(byReply.body.total).toBeGreaterThanOrEqual(1);
    const rows: { n: number }[] = await world.ds.query(
      `SELECT count(*)::int AS n FROM suggestions WHERE id = ANY($1::uuid[]) AND (status <> 'published' OR confidential)`,
      [ids],
    );
    expect(rows[0]!.n).toBe(0);
    // Filters and the page-size cap.
    expect(
      (await anon.call('GET', `/api/public/replies?unitId=${demoId('unit:JYJ')}&q=${published.token}`)).body
        .total,
    ).toBe(0);
    expect(
      (await anon.call('GET', `/api/public/replies?unitId=${JTJ}&q=${published.token}`)).body.total,
    ).toBe(1);
    expect((await anon.call('GET', '/api/public/replies?pageSize=51')).status).toBe(422);
    const facets = await anon.call('GET', '/api/public/facets');
    expect(facets.body.units.map((u: { name: string }) => u.name)).toContain(JTJ_NAME);
  });
});

/** ApiSession reads bodies as text; an xlsx needs the bytes, fetched with the same session cookie. */
async function fetchBytes(s: ApiSession, path: string) {
  const cookie = (s as unknown as { cookie: string }).cookie;
  const res = await fetch(apiBase() + path, { headers: { cookie } });
  return { status: res.status, headers: res.headers, raw: await res.arrayBuffer() };
}
