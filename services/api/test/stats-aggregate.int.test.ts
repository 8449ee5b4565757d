import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { StatsRepository, type StatsBy, type StatsFilter } from '../src/stats.repository';

// The statistics are a maintained aggregate (stats_cube + stats_delta, kept by triggers; migration
// ScaleProjections). This walks items through the changes the workflows make (assignment, sign-in,
// contact, reply sent, rating, re-handling, re-assignment away, merge, a deputy moving town,
// deletion) with plain SQL on the real database, and after each step checks that every grouping
// and filter gives the same figures as the computation from the records, before and after the
// pending changes are folded in (stats_compact). It also checks the open deadline the supervision
// lists read.

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

async function expectSameFigures(step: string) {
  for (const compact of [false, true]) {
    if (compact) await ds.query(`SELECT stats_compact()`);
    for (const [by, f] of cases) {
      const [kept, computed] = await Promise.all([repo.stats(by, f), repo.statsFromRecords(by, f)]);
      expect(kept, `${step}: by ${by} ${JSON.stringify(f)}${compact ? ' after compaction' : ''}`).toEqual(
        computed,
      );
    }
  }
}

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
  await ds.destroy();
});

describe('statistics kept as an aggregate', () => {
  it('give the figures computed from the records after every kind of change', async () => {
    await expectSameFigures('start');
    const a = await item('accepted');
    const b = await item('accepted');
    const c = await item('accepted');
    await expectSameFigures('accepted, not assigned');

    await assign(a, JTJ, 'lead', '2026-03-01T00:00:00Z');
    await assign(a, JYJ, 'co', '2026-02-01T00:00:00Z');
    await assign(b, JTJ, 'separate', '2026-04-01T00:00:00Z');
    await assign(b, ZJJ, 'separate', '2026-05-01T00:00:00Z');
    await assign(c, JYJ, 'lead', '2099-01-01T00:00:00Z');
    await ds.query(`UPDATE suggestions SET status = 'assigned' WHERE id = ANY($1::uuid[])`, [[a, b, c]]);
    await expectSameFigures('assigned');
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
    expect(await openDeadline(c)).toBeNull();

    await ds.query(`UPDATE suggestions SET merged_into_id = $2, status = 'merged' WHERE id = $1`, [b, a]);
    await ds.query(`UPDATE deputies SET town = $2 WHERE id = $1`, [deputyId, `${TOWN}新`]);
    await ds.query(`UPDATE suggestions SET session_year = 2025 WHERE id = $1`, [c]);
    await expectSameFigures('merged, town and session changed');

    await ds.query(`UPDATE deputies SET town = $2 WHERE id = $1`, [deputyId, TOWN]);
    await ds.query(`DELETE FROM assignments WHERE suggestion_id = $1`, [c]);
    await expectSameFigures('assignments removed');
  });

  it('rebuilds to the same figures it keeps', async () => {
    const before = await Promise.all(cases.map(([by, f]) => repo.stats(by, f)));
    await ds.query(`SELECT stats_rebuild()`);
    expect(await Promise.all(cases.map(([by, f]) => repo.stats(by, f)))).toEqual(before);
  });
});
