import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { ApiSession } from '@jianyi/platform/src/testing';
import { demoDeputies, demoId, demoUnits } from '@jianyi/platform/src/db/seed';

// GET /api/suggestions against the running API. Every row this file creates carries a random tag in its
// title, and every request filters with q=<tag>, so other data in the database does not change the counts.

// Ends in two digits: a query of the tag with a suffix is then taken as a registration number too (query.ts).
const tag = `LT${randomBytes(4).toString('hex')}42`;
const deputy = (key: string) => demoId(`deputy:${key}`);
const unit = (code: string) => demoId(`unit:${code}`);
const unitName = (code: string) => demoUnits.find((u) => u.code === code)!.name;
const town = (key: string) => demoDeputies.find((d) => d.key === key)!.town;

const t0 = Date.parse('2026-03-01T08:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
const past = new Date(Date.now() - 3 * 86_400_000).toISOString();
const future = new Date(Date.now() + 30 * 86_400_000).toISOString();

interface Fixture {
  key: string;
  id: string;
  title: string;
  status: string;
  lead: string;
  registrationNo: string | null;
  createdAt: string;
  submittedAt: string | null;
  updatedAt: string;
  sessionYear: number;
  topic: string;
  keySupervision: boolean;
  deadlineAt: string | null;
  overdue: boolean;
  cosigners?: string[];
  assignments?: { unit: string; role: string; round: number; status: string; deadlineAt: string | null }[];
}

// s1 and s2 share created_at, so the default sort has to break the tie on id.
const fixtures: Fixture[] = [
  {
    key: 's1',
    id: randomUUID(),
    title: `${tag}ab 关于优化公交站点的建议`,
    status: 'handling',
    lead: 'wang',
    registrationNo: `${tag}-R1`,
    createdAt: at(10),
    submittedAt: at(11),
    updatedAt: at(50),
    sessionYear: 2025,
    topic: '交通',
    keySupervision: false,
    deadlineAt: past,
    overdue: false,
    // overdue only through the assignment: deadline passed and not replied
    assignments: [{ unit: 'JTJ', role: 'lead', round: 1, status: 'signed_in', deadlineAt: past }],
  },
  {
    key: 's2',
    id: randomUUID(),
    title: `${tag}%_ 关于校车安检全覆盖的建议`,
    status: 'assigned',
    lead: 'li',
    registrationNo: `${tag}-R2`,
    createdAt: at(10),
    submittedAt: at(5),
    updatedAt: at(20),
    sessionYear: 2026,
    topic: '教育',
    keySupervision: true,
    deadlineAt: future,
    overdue: false,
    assignments: [{ unit: 'JYJ', role: 'separate', round: 1, status: 'pending', deadlineAt: future }],
  },
  {
    key: 's3',
    id: randomUUID(),
    title: `${tag} 关于道路照明的建议`,
    status: 'replied',
    lead: 'wang',
    registrationNo: `${tag}-R3xyz`,
    createdAt: at(30),
    submittedAt: at(31),
    updatedAt: at(40),
    sessionYear: 2026,
    topic: '交通',
    keySupervision: false,
    deadlineAt: null,
    overdue: true,
    // overdue through the projection; its assignment is past the deadline but replied, which alone would not count
    assignments: [{ unit: 'JTJ', role: 'lead', round: 1, status: 'replied', deadlineAt: past }],
  },
  {
    key: 's4',
    id: randomUUID(),
    title: `${tag} 关于老旧小区加装电梯的建议`,
    status: 'submitted',
    lead: 'zhang',
    registrationNo: null,
    createdAt: at(40),
    submittedAt: null,
    updatedAt: at(45),
    sessionYear: 2026,
    topic: '城乡建设',
    keySupervision: false,
    deadlineAt: null,
    overdue: false,
    cosigners: ['li'],
  },
  {
    key: 's5',
    id: randomUUID(),
    title: `${tag} 关于冷链物流的建议(草稿)`,
    status: 'draft',
    lead: 'wang',
    registrationNo: null,
    createdAt: at(50),
    submittedAt: null,
    updatedAt: at(50),
    sessionYear: 2026,
    topic: '农业农村',
    keySupervision: false,
    deadlineAt: null,
    overdue: false,
  },
  {
    key: 's6',
    id: randomUUID(),
    title: `${tag} 关于基层卫生院的建议`,
    status: 'rehandling',
    lead: 'chen',
    registrationNo: `${tag}-R6`,
    createdAt: at(60),
    submittedAt: at(61),
    updatedAt: at(10),
    sessionYear: 2026,
    topic: '卫生健康',
    keySupervision: false,
    deadlineAt: future,
    overdue: false,
    assignments: [
      { unit: 'JTJ', role: 'lead', round: 1, status: 'replied', deadlineAt: past },
      { unit: 'JYJ', role: 'co', round: 1, status: 'opinion_sent', deadlineAt: past },
      { unit: 'JYJ', role: 'lead', round: 2, status: 'pending', deadlineAt: future },
    ],
  },
];
const f = Object.fromEntries(fixtures.map((x) => [x.key, x])) as Record<string, Fixture>;
const byId = new Map(fixtures.map((x) => [x.id, x.key]));

let ds: DataSource;
let reviewer: ApiSession;

beforeAll(async () => {
  ds = await openDataSource();
  await ds.transaction(async (m) => {
    for (const x of fixtures) {
      await m.query(
        `INSERT INTO suggestions (id, title, content, status, lead_deputy_id, registration_no, created_by, submitted_at, created_at, updated_at,
           session_year, topic, key_supervision, deadline_at, overdue, round)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`,
        [
          x.id,
          x.title,
          '用于列表接口集成测试的建议内容。',
          x.status,
          deputy(x.lead),
          x.registrationNo,
          demoId('user:wangjianguo'),
          x.submittedAt,
          x.createdAt,
          x.updatedAt,
          x.sessionYear,
          x.topic,
          x.keySupervision,
          x.deadlineAt,
          x.overdue,
          Math.max(1, ...(x.assignments ?? []).map((a) => a.round)),
        ],
      );
      for (const c of x.cosigners ?? [])
        await m.query(`INSERT INTO suggestion_cosigners (suggestion_id, deputy_id) VALUES ($1,$2)`, [
          x.id,
          deputy(c),
        ]);
      for (const a of x.assignments ?? []) {
        await m.query(
          `INSERT INTO assignments (id, suggestion_id, unit_id, role, round, status, deadline_at) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
          [randomUUID(), x.id, unit(a.unit), a.role, a.round, a.status, a.deadlineAt],
        );
      }
    }
  });
  reviewer = await ApiSession.login('reviewer');
});

afterAll(async () => {
  if (!ds) return;
  const ids = fixtures.map((x) => x.id);
  await ds.query(`DELETE FROM assignments WHERE suggestion_id = ANY($1::uuid[])`, [ids]);
  await ds.query(`DELETE FROM suggestion_cosigners WHERE suggestion_id = ANY($1::uuid[])`, [ids]);
  await ds.query(`DELETE FROM suggestions WHERE id = ANY($1::uuid[])`, [ids]);
  await ds.destroy();
});

async function list(s: ApiSession, query: Record<string, string> = {}) {
  const qs = new URLSearchParams({ q: tag, pageSize: '200', ...query });
  const r = await s.call('GET', `/api/suggestions?${qs.toString()}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { items: any[]; total: number; page: number; pageSize: number };
}
/** The fixture keys of a page, in the order the API returned them. */
const keys = (body: { items: { id: string }[] }) =>
  body.items.map((i) => byId.get(i.id) ?? `foreign:${i.id}`);
const keySet = async (s: ApiSession, query: Record<string, string> = {}) => {
  const body = await list(s, query);
  expect(body.total).toBe(body.items.length);
  return keys(body).sort();
};

const visibleToReviewer = ['s1', 's2', 's3', 's4', 's6'];

describe('GET /api/suggestions filters', () => {
  it('lists everything non-draft to the reviewer, with the new fields', async () => {
    const body = await list(reviewer);
    expect(keys(body).sort()).toEqual(visibleToReviewer);
    expect(body.total).toBe(5);
    const item = (k: string) => body.items.find((i) => i.id === f[k]!.id);
    expect(item('s1')).toMatchObject({
      title: f.s1!.title,
      status: 'handling',
      leadDeputyId: deputy('wang'),
      registrationNo: f.s1!.registrationNo,
      town: town('wang'),
      sessionYear: 2025,
      topic: '交通',
      keySupervision: false,
      overdue: true,
      units: [{ unitId: unit('JTJ'), unitName: unitName('JTJ'), role: 'lead' }],
    });
    expect(Date.parse(item('s1').deadlineAt)).toBe(Date.parse(past));
    expect(item('s2')).toMatchObject({
      keySupervision: true,
      overdue: false,
      sessionYear: 2026,
      town: town('li'),
      units: [{ unitId: unit('JYJ'), unitName: unitName('JYJ'), role: 'separate' }],
    });
    expect(item('s3')).toMatchObject({ overdue: true, deadlineAt: null });
    expect(item('s4')).toMatchObject({ units: [], overdue: false, registrationNo: null });
    // only the latest round's units
    expect(item('s6').units).toEqual([{ unitId: unit('JYJ'), unitName: unitName('JYJ'), role: 'lead' }]);
  });

  it('filters by one or several statuses', async () => {
    expect(await keySet(reviewer, { status: 'replied' })).toEqual(['s3']);
    expect(await keySet(reviewer, { status: 'handling,assigned' })).toEqual(['s1', 's2']);
    expect(await keySet(reviewer, { status: 'draft' })).toEqual([]); // drafts stay hidden from the reviewer
    const repeated = await reviewer.call('GET', `/api/suggestions?q=${tag}&status=replied&status=submitted`);
    expect(keys(repeated.body).sort()).toEqual(['s3', 's4']);
  });

  it('filters by unit in any round, by deputy (lead or co-signer), town, session year and topic', async () => {
    expect(await keySet(reviewer, { unitId: unit('JTJ') })).toEqual(['s1', 's3', 's6']);
    expect(await keySet(reviewer, { unitId: unit('JYJ') })).toEqual(['s2', 's6']);
    expect(await keySet(reviewer, { deputyId: deputy('li') })).toEqual(['s2', 's4']);
    expect(await keySet(reviewer, { deputyId: deputy('wang') })).toEqual(['s1', 's3']);
    expect(await keySet(reviewer, { town: town('wang') })).toEqual(['s1', 's3']);
    expect(await keySet(reviewer, { town: town('chen') })).toEqual(['s6']);
    expect(await keySet(reviewer, { sessionYear: '2025' })).toEqual(['s1']);
    expect(await keySet(reviewer, { sessionYear: '2026' })).toEqual(['s2', 's3', 's4', 's6']);
    expect(await keySet(reviewer, { topic: '交通' })).toEqual(['s1', 's3']);
  });

  it('filters overdue (projection or a passed, unanswered unit deadline) and key supervision', async () => {
    expect(await keySet(reviewer, { overdue: 'true' })).toEqual(['s1', 's3']);
    expect(await keySet(reviewer, { overdue: 'false' })).toEqual(['s2', 's4', 's6']);
    expect(await keySet(reviewer, { key: 'true' })).toEqual(['s2']);
    expect(await keySet(reviewer, { key: 'false' })).toEqual(['s1', 's3', 's4', 's6']);
  });

  it('searches title, content and registration number, with % and _ taken literally', async () => {
    const r = await reviewer.call('GET', `/api/suggestions?q=${encodeURIComponent(`${tag}-r3X`)}`);
    expect(keys(r.body)).toEqual(['s3']); // registration number, case-insensitive
    const literal = await reviewer.call('GET', `/api/suggestions?q=${encodeURIComponent(`${tag}%_`)}`);
    expect(keys(literal.body)).toEqual(['s2']); // as wildcards these would also match "ab" in s1
    expect(literal.body.total).toBe(1);
    const content = await reviewer.call(
      'GET',
      `/api/suggestions?q=${encodeURIComponent('用于列表接口集成测试')}&pageSize=200`,
    );
    const found = new Set(keys(content.body));
    for (const k of visibleToReviewer) expect(found.has(k)).toBe(true);
  });

  it('combines filters', async () => {
    expect(
      await keySet(reviewer, {
        topic: '交通',
        overdue: 'true',
        unitId: unit('JTJ'),
        status: 'handling,replied',
      }),
    ).toEqual(['s1', 's3']);
    expect(await keySet(reviewer, { topic: '交通', overdue: 'true', sessionYear: '2026' })).toEqual(['s3']);
    expect(await keySet(reviewer, { deputyId: deputy('li'), key: 'true', sessionYear: '2026' })).toEqual([
      's2',
    ]);
    expect(await keySet(reviewer, { unitId: unit('JYJ'), status: 'rehandling', overdue: 'false' })).toEqual([
      's6',
    ]);
    expect(await keySet(reviewer, { unitId: unit('JYJ'), topic: '交通' })).toEqual([]);
  });
});

describe('GET /api/suggestions sorting and paging', () => {
  const fields = {
    createdAt: 'createdAt',
    submittedAt: 'submittedAt',
    deadlineAt: 'deadlineAt',
    registrationNo: 'registrationNo',
    updatedAt: 'updatedAt',
  } as const;
  /** The order the API promises: the field in the given direction, NULLs last, ties broken on id in the same direction. */
  function expected(sort: keyof typeof fields, order: 'asc' | 'desc'): string[] {
    const sign = order === 'asc' ? 1 : -1;
    const rows = fixtures.filter((x) => visibleToReviewer.includes(x.key));
    const value = (x: Fixture) => {
      const v = x[fields[sort]];
      return v === null ? null : sort === 'registrationNo' ? v : Date.parse(v);
    };
    return [...rows]
      .sort((a, b) => {
        const va = value(a),
          vb = value(b);
        if (va === null || vb === null) {
          if (va !== vb) return va === null ? 1 : -1;
        } else if (va !== vb) {
          return (va < vb ? -1 : 1) * sign;
        }
        return (a.id < b.id ? -1 : 1) * sign;
      })
      .map((x) => x.key);
  }

  for (const sort of Object.keys(fields) as (keyof typeof fields)[]) {
    for (const order of ['asc', 'desc'] as const) {
      it(`sorts by ${sort} ${order}`, async () => {
        expect(keys(await list(reviewer, { sort, order }))).toEqual(expected(sort, order));
      });
    }
  }

  it('defaults to createdAt desc with a stable tie-break', async () => {
    const body = await list(reviewer);
    expect(keys(body)).toEqual(expected('createdAt', 'desc'));
    expect(keys(body)).not.toEqual(expected('createdAt', 'asc'));
    expect(body.items.findIndex((i) => i.id === f.s6!.id)).toBe(0);
  });

  it('pages with a total, the requested size and no overlap', async () => {
    const all = keys(await list(reviewer, { sort: 'updatedAt', order: 'asc' }));
    const pages = [];
    for (const page of [1, 2, 3, 4]) {
      const body = await list(reviewer, {
        sort: 'updatedAt',
        order: 'asc',
        page: String(page),
        pageSize: '2',
      });
      expect(body).toMatchObject({ total: 5, page, pageSize: 2 });
      pages.push(keys(body));
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1, 0]);
    expect(pages.flat()).toEqual(all);
    const dflt = await reviewer.call('GET', `/api/suggestions?q=${tag}`);
    expect(dflt.body).toMatchObject({ page: 1, pageSize: 20, total: 5 });
  });

  it('pages by keyset cursor through every sort, in order, with no gap and no overlap', async () => {
    for (const sort of ['updatedAt', 'createdAt', 'submittedAt', 'deadlineAt', 'registrationNo']) {
      for (const order of ['asc', 'desc']) {
        const all = keys(await list(reviewer, { sort, order }));
        const seen: string[] = [];
        let cursor: string | null = null;
        for (let i = 0; i < 10; i++) {
          const body: any = await list(reviewer, {
            sort,
            order,
            pageSize: '2',
            ...(cursor ? { cursor } : {}),
          });
          seen.push(...keys(body));
          cursor = body.nextCursor;
          if (!cursor) break;
        }
        expect(seen, `${sort} ${order}`).toEqual(all);
      }
    }
  });

  it('counts exactly up to the cap and says so', async () => {
    const body: any = await list(reviewer, {});
    expect(body).toMatchObject({ total: 5, totalExact: true });
  });

  it('refuses a cursor that is not one, naming cursor', async () => {
    const r = await reviewer.call('GET', `/api/suggestions?cursor=${encodeURIComponent('not-a-cursor')}`);
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['cursor']);
  });
});

describe('GET /api/suggestions visibility', () => {
  it('shows a unit only the items assigned to it (any round), and filters stay inside that', async () => {
    const jtj = await ApiSession.login('jtj.handler');
    expect(await keySet(jtj)).toEqual(['s1', 's3', 's6']);
    expect(await keySet(jtj, { unitId: unit('JYJ') })).toEqual(['s6']);
    expect(await keySet(jtj, { key: 'true' })).toEqual([]);
  });

  it('shows a deputy only their own items, drafts included', async () => {
    const wang = await ApiSession.login('wangjianguo');
    expect(await keySet(wang)).toEqual(['s1', 's3', 's5']);
    expect(await keySet(wang, { deputyId: deputy('li') })).toEqual([]);
    expect(await keySet(wang, { status: 'draft' })).toEqual(['s5']);
    const li = await ApiSession.login('lixiuying');
    const liKeys = await keySet(li);
    expect(liKeys).toContain('s2');
    for (const k of ['s1', 's3', 's5', 's6']) expect(liKeys).not.toContain(k);
  });

  it('gives the supervisor the same non-draft view as the reviewer', async () => {
    const supervisor = await ApiSession.login('supervisor');
    expect(await keySet(supervisor)).toEqual(visibleToReviewer);
  });
});

describe('GET /api/suggestions validation', () => {
  const bad = async (qs: string) => {
    const r = await reviewer.call('GET', `/api/suggestions?${qs}`);
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(
      r.body.errors.every(
        (e: { message: string; messageEn: string }) => e.message.length > 0 && e.messageEn.length > 0,
      ),
    ).toBe(true);
    return r.body as { errors: { field: string; message: string; messageEn: string }[] };
  };

  it('refuses pageSize=1000 naming pageSize in Chinese and English', async () => {
    const body = await bad('pageSize=1000');
    expect(body.errors.map((e) => e.field)).toEqual(['pageSize']);
    expect(body.errors[0]!.message).toBe('每页条数:不能大于 200');
    expect(body.errors[0]!.messageEn).toContain('200');
  });

  it('refuses sort=password naming sort', async () => {
    const body = await bad('sort=password');
    expect(body.errors.map((e) => e.field)).toEqual(['sort']);
    expect(body.errors[0]!.message).toBe('排序字段:取值不在允许范围内');
    expect(body.errors[0]!.messageEn).toContain('createdAt');
  });

  it('refuses other bad values, one error per field', async () => {
    expect((await bad('status=submitted,bogus')).errors.map((e) => e.field)).toEqual(['status']);
    expect((await bad('page=0')).errors.map((e) => e.field)).toEqual(['page']);
    expect((await bad('pageSize=abc')).errors.map((e) => e.field)).toEqual(['pageSize']);
    expect((await bad('order=up')).errors.map((e) => e.field)).toEqual(['order']);
    expect((await bad('unitId=JTJ')).errors.map((e) => e.field)).toEqual(['unitId']);
    expect((await bad('overdue=yes&key=1&sessionYear=twenty')).errors.map((e) => e.field).sort()).toEqual([
      'key',
      'overdue',
      'sessionYear',
    ]);
  });
});
