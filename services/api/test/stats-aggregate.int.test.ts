import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession } from '@jianyi/platform/src/testing';
import { StatsRepository, type StatsBy, type StatsFilter } from '../src/stats.repository';

// The statistics are a maintained aggregate (stats_cube + stats_delta, kept by triggers; migration
// ScaleProjections). This walks items through the changes the workflows make (assignment, sign-in,
// contact, reply sent, rating, re-handling, re-assignment away, merge, a deputy moving town,
// deletion) with plain SQL on the real database, and after each step checks that every grouping
// and filter gives the same figures as the computation from the records, before and after the
// pending changes are folded in (stats_compact). It also checks the open deadline the supervision
// lists read, and the monthly trend (按月趋势, its own aggregate: stats_trend_cube + stats_trend_delta,
// migration TrendAggregate) against the trend counted from the records.

const unit = (code: string) => demoId(`unit:${code}`);
const JTJ = unit('JTJ');
const JYJ = unit('JYJ');
const ZJJ = unit('ZJJ');
let ds: DataSource;
let repo: StatsRepository;
const ids: string[] = [];
const deputyId = randomUUID();
const TOWN = `聚合测试镇${randomUUID().slice(0, 4)}`;

const cases: [StatsBy, StatsFilter][] = [
  ['unit', {}],
  ['town', {}],
  ['session', {}],
  ['unit', { sessionYear: 2026 }],
  ['unit', { town: TOWN }],
  ['town', { unitId: JTJ }],
  ['session', { unitId: JYJ, town: TOWN }],
];
/** The trend's filters: all, a unit, the test's town, a session year, and combinations. */
const trendCases: StatsFilter[] = [
  {},
  { unitId: JTJ },
  { unitId: JYJ },
  { unitId: ZJJ },
  { town: TOWN },
  { sessionYear: 2026 },
  { sessionYear: 2025, town: TOWN },
  { unitId: JTJ, town: TOWN },
];
/** 届次 of this test: a congress session far from any other test's dates (term 97). */
const TERM = 97;
const SESSION_NO = 1 + Math.floor(Math.random() * 20);
let sessionId: string | null = null;

async function expectSameFigures(step: string) {
  for (const compact of [false, true]) {
    if (compact) await ds.query(`SELECT stats_compact()`);
    for (const [by, f] of cases) {
      const [kept, computed] = await Promise.all([repo.stats(by, f), repo.statsFromRecords(by, f)]);
      expect(kept, `${step}: by ${by} ${JSON.stringify(f)}${compact ? ' after compaction' : ''}`).toEqual(
        computed,
      );
    }
    // 12 months (the dashboard's), 60 (the replies dated early in 2026 and the years before).
    for (const months of [12, 60])
      for (const f of trendCases) {
        const [kept, computed] = await Promise.all([repo.trend(months, f), repo.trendFromRecords(months, f)]);
        expect(
          kept,
          `${step}: trend ${months} months ${JSON.stringify(f)}${compact ? ' after compaction' : ''}`,
        ).toEqual(computed);
      }
  }
}

/** This month's row of the trend of the test's town (China time), as the aggregate keeps it. */
const thisMonth = async (f: StatsFilter = { town: TOWN }) => (await repo.trend(1, f))[0]!;

async function item(status: string) {
  const id = randomUUID();
  ids.push(id);
  await ds.query(
    `INSERT INTO suggestions (id, title, content, status, lead_deputy_id, created_by, session_year)
     VALUES ($1, '聚合测试', '聚合测试内容', $2, $3, $4, 2026)`,
    [id, status, deputyId, demoId('user:wangjianguo')],
  );
  return id;
}
async function assign(id: string, unitId: string, role: string, deadline: string, round = 1) {
  await ds.query(
    `INSERT INTO assignments (id, suggestion_id, unit_id, role, round, status, deadline_at) VALUES ($1,$2,$3,$4,$5,'pending',$6)`,
    [randomUUID(), id, unitId, role, round, deadline],
  );
}
async function reply(id: string, unitId: string, category: string, sentAt: string, round = 1) {
  await ds.query(
    `INSERT INTO replies (id, suggestion_id, unit_id, round, kind, category, body, sent_at) VALUES ($1,$2,$3,$4,'reply',$5,'答复正文',$6)`,
    [randomUUID(), id, unitId, round, category, sentAt],
  );
  await ds.query(
    `UPDATE assignments SET status = 'replied' WHERE suggestion_id = $1 AND unit_id = $2 AND round = $3`,
    [id, unitId, round],
  );
}
const openDeadline = async (id: string) =>
  (
    (await ds.query(`SELECT open_deadline_at FROM suggestions WHERE id = $1`, [id]))[0]
      .open_deadline_at as Date | null
  )?.toISOString() ?? null;

beforeAll(async () => {
  // As the owner: the test also runs stats_rebuild(), a maintenance function that truncates the projections.
  ds = await openDataSource({}, 'owner');
  repo = new StatsRepository(ds);
  await ds.query(`INSERT INTO deputies (id, name, town) VALUES ($1, '聚合测试代表', $2)`, [deputyId, TOWN]);
});
afterAll(async () => {
  if (!ds) return;
  for (const t of ['assignments', 'replies', 'contacts', 'evaluations'])
    await ds.query(`DELETE FROM ${t} WHERE suggestion_id = ANY($1::uuid[])`, [ids]);
  await ds.query(`DELETE FROM suggestions WHERE id = ANY($1::uuid[])`, [ids]);
  await ds.query(`DELETE FROM deputies WHERE id = $1`, [deputyId]);
  await ds.query(`DELETE FROM congress_sessions WHERE term = $1`, [TERM]);
  await ds.destroy();
});

describe('statistics kept as an aggregate', () => {
  it('give the figures computed from the records after every kind of change', async () => {
    await expectSameFigures('start');
    const a = await item('accepted');
    const b = await item('accepted');
    const c = await item('accepted');
    await expectSameFigures('accepted, not assigned');
    // Submitted (提交): the trend of the town counts them as received this month.
    expect((await thisMonth()).received).toBe(0);
    await ds.query(`UPDATE suggestions SET submitted_at = now() WHERE id = ANY($1::uuid[])`, [[a, b, c]]);
    expect(await thisMonth()).toMatchObject({ received: 3, assigned: 0 });
    await expectSameFigures('submitted');

    await assign(a, JTJ, 'lead', '2026-03-01T00:00:00Z');
    await assign(a, JYJ, 'co', '2026-02-01T00:00:00Z');
    await assign(b, JTJ, 'separate', '2026-04-01T00:00:00Z');
    await assign(b, ZJJ, 'separate', '2026-05-01T00:00:00Z');
    await assign(c, JYJ, 'lead', '2099-01-01T00:00:00Z');
    await ds.query(`UPDATE suggestions SET status = 'assigned' WHERE id = ANY($1::uuid[])`, [[a, b, c]]);
    await expectSameFigures('assigned');
    // Assigned this month: each item once; for a unit, received is its parts assigned (co-handler too).
    expect(await thisMonth()).toMatchObject({ received: 3, assigned: 3 });
    expect(await thisMonth({ town: TOWN, unitId: JYJ })).toMatchObject({ received: 2, assigned: 2 });
    // The earliest open deadline of the current round, co-handlers included.
    expect(await openDeadline(a)).toBe('2026-02-01T00:00:00.000Z');
    expect(await openDeadline(c)).toBe('2099-01-01T00:00:00.000Z');

    await ds.query(
      `INSERT INTO contacts (id, suggestion_id, unit_id, contacted_on, form, summary) VALUES ($1,$2,$3,'2026-02-10','面商','面商'), ($4,$5,$6,'2026-02-10','电话','电话')`,
      [randomUUID(), a, JTJ, randomUUID(), b, ZJJ],
    );
    await reply(a, JTJ, 'A', '2026-02-20T00:00:00Z'); // on time, met
    await reply(b, JTJ, 'B', '2026-04-20T00:00:00Z'); // late; the other 分办 unit not yet
    await ds.query(
      `UPDATE assignments SET status = 'opinion_sent' WHERE suggestion_id = $1 AND unit_id = $2`,
      [a, JYJ],
    );
    await ds.query(`UPDATE suggestions SET status = 'replied' WHERE id = $1`, [a]);
    await expectSameFigures('replied');
    // First-round replies by their month (February and April 2026), on time or not.
    const feb = (await repo.trend(60, { town: TOWN })).find((r) => r.month === '2026-02')!;
    expect(feb).toMatchObject({ replied: 1, onTime: 1 });
    expect(await openDeadline(a)).toBeNull();
    expect(await openDeadline(b)).toBe('2026-05-01T00:00:00.000Z');

    await reply(b, ZJJ, 'C', '2026-04-25T00:00:00Z');
    await ds.query(
      `INSERT INTO evaluations (id, suggestion_id, round, rating) VALUES ($1,$2,1,'unsatisfied')`,
      [randomUUID(), a],
    );
    await ds.query(`UPDATE suggestions SET status = 'rehandling', round = 2 WHERE id = $1`, [a]);
    await assign(a, JTJ, 'lead', '2026-06-01T00:00:00Z', 2);
    await expectSameFigures('re-handling');
    expect(await openDeadline(a)).toBe('2026-06-01T00:00:00.000Z');

    await reply(a, JTJ, 'B', '2026-05-20T00:00:00Z', 2);
    await ds.query(
      `INSERT INTO evaluations (id, suggestion_id, round, rating) VALUES ($1,$2,2,'satisfied')`,
      [randomUUID(), a],
    );
    await ds.query(`UPDATE suggestions SET status = 'published' WHERE id = $1`, [a]);
    await ds.query(`UPDATE assignments SET status = 'reassigned' WHERE suggestion_id = $1 AND unit_id = $2`, [
      c,
      JYJ,
    ]);
    await expectSameFigures('rated, published, re-assigned away');
    // Two ratings recorded this month, one 满意; for JTJ (a main unit) the same, not for JYJ (co only).
    expect(await thisMonth()).toMatchObject({ evaluated: 2, satisfied: 1, satisfiedRate: 0.5 });
    expect(await thisMonth({ town: TOWN, unitId: JYJ })).toMatchObject({ evaluated: 0 });
    await ds.query(`UPDATE suggestions SET status = 'closed' WHERE id = $1`, [c]);
    await expectSameFigures('closed');
    expect(await openDeadline(c)).toBeNull();

    await ds.query(`UPDATE suggestions SET merged_into_id = $2, status = 'merged' WHERE id = $1`, [b, a]);
    await ds.query(`UPDATE deputies SET town = $2 WHERE id = $1`, [deputyId, `${TOWN}新`]);
    await ds.query(`UPDATE suggestions SET session_year = 2025 WHERE id = $1`, [c]);
    await expectSameFigures('merged, town and session changed');

    await ds.query(`UPDATE deputies SET town = $2 WHERE id = $1`, [deputyId, TOWN]);
    await ds.query(`DELETE FROM assignments WHERE suggestion_id = $1`, [c]);
    await expectSameFigures('assignments removed');
  });

  it('groups by the congress session (届次) an item was submitted in, or 闭会期间 of its term, as the roles read it', async () => {
    const admin = await ApiSession.login('admin');
    const coordinator = await ApiSession.login('coordinator');
    const jtj = await ApiSession.login('jtj.handler');
    // Two items submitted in 2031: one during the session the admin then records, one after it.
    const during = await item('accepted');
    const after = await item('accepted');
    await ds.query(`UPDATE suggestions SET submitted_at = '2031-03-08T02:00:00Z' WHERE id = $1`, [during]);
    await ds.query(`UPDATE suggestions SET submitted_at = '2031-06-01T02:00:00Z' WHERE id = $1`, [after]);
    await assign(during, JTJ, 'lead', '2031-06-01T00:00:00Z');
    await assign(after, JTJ, 'lead', '2031-09-01T00:00:00Z');
    await ds.query(`UPDATE suggestions SET status = 'assigned' WHERE id = ANY($1::uuid[])`, [
      [during, after],
    ]);
    const created = await admin.call('POST', '/api/admin/sessions', {
      term: TERM,
      session: SESSION_NO,
      startsOn: '2031-03-05',
      endsOn: '2031-03-11',
    });
    expect(created.status).toBe(201);
    sessionId = created.body.id as string;
    cases.push(['session', { session: sessionId }], ['unit', { session: `interim:${TERM}` }]);
    // Both items were assigned this month: the trend by 届次 counts them in it.
    trendCases.push({ session: sessionId }, { session: `interim:${TERM}`, unitId: JTJ });
    await expectSameFigures('a congress session recorded');
    expect(await thisMonth({ session: sessionId })).toMatchObject({ received: 0, assigned: 1 });

    // The coordinator reads the table by session: one row for the session, one for 闭会期间 of its term.
    const table = await coordinator.call('GET', '/api/stats?by=session');
    expect(table.status).toBe(200);
    const row = (key: string) => table.body.rows.find((r: { key: string }) => r.key === key);
    expect(row(sessionId)).toMatchObject({
      label: `第${TERM}届人民代表大会第${SESSION_NO}次会议`,
      assigned: 1,
    });
    expect(row(`interim:${TERM}`)).toMatchObject({
      label: `第${TERM}届人民代表大会闭会期间`,
      assigned: 1,
    });
    // Filtered by the session, and the items behind the row (drill-down).
    const only = await coordinator.call('GET', `/api/stats?by=unit&session=${sessionId}`);
    expect(only.body.total.assigned).toBe(1);
    const items = await coordinator.call('GET', `/api/stats/items?by=session&key=${sessionId}`);
    expect(items.body.items.map((x: { id: string }) => x.id)).toEqual([during]);
    // A unit reads its own figures, by session too.
    const own = await jtj.call('GET', `/api/stats?by=session&session=interim:${TERM}`);
    expect(own.status).toBe(200);
    expect(own.body.total.assigned).toBe(1);

    // The admin moves the session's dates earlier: the item now falls after it (闭会期间), and the figures follow.
    expect(
      (
        await admin.call('PATCH', `/api/admin/sessions/${sessionId}`, {
          startsOn: '2031-03-01',
          endsOn: '2031-03-07',
        })
      ).status,
    ).toBe(200);
    await expectSameFigures('the session moved');
    expect(await thisMonth({ session: sessionId })).toMatchObject({ assigned: 0 });
    expect(await thisMonth({ session: `interim:${TERM}`, unitId: JTJ })).toMatchObject({ assigned: 2 });
    const moved = await coordinator.call('GET', '/api/stats?by=session');
    expect(moved.body.rows.find((r: { key: string }) => r.key === sessionId)).toBeUndefined();
    expect(moved.body.rows.find((r: { key: string }) => r.key === `interim:${TERM}`).assigned).toBe(2);
  });

  it('rebuilds to the same figures it keeps', async () => {
    const before = await Promise.all(cases.map(([by, f]) => repo.stats(by, f)));
    const trendBefore = await Promise.all(trendCases.map((f) => repo.trend(60, f)));
    await ds.query(`SELECT stats_rebuild()`);
    expect(await Promise.all(cases.map(([by, f]) => repo.stats(by, f)))).toEqual(before);
    expect(await Promise.all(trendCases.map((f) => repo.trend(60, f)))).toEqual(trendBefore);
  });
});
