/**
 * Conformance (process.md, Working days: "re-plan it when the year is loaded"; issue 9): when an admin
 * loads a calendar year, the item's own clocks are re-planned like the units' clocks: the reviewer's
 * pre-review clock and the deputy's evaluation clock. Walked through the API as the admin, with what the
 * reviewer and the deputy see afterwards (the event on the item's timeline, their notices, the
 * evaluation deadline shown to the deputy).
 *
 * The test loads the year of the next working day with that year's own days plus one more holiday
 * inside the running clock (the next working day, later the one after it), and loads the year's
 * original days again afterwards.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDateOf } from '@jianyi/domain';
import { loadWorkCalendar, openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';

let ds: DataSource;
let wang: ApiSession;
let reviewer: ApiSession;
let jtj: ApiSession;
let jtjLeader: ApiSession;
let admin: ApiSession;
const JTJ = demoId('unit:JTJ');

type DayRow = { day: string; kind: 'holiday' | 'workday'; name: string | null; source: string };
/** The year the test loads, as it was before. */
let saved: { year: number; days: DayRow[]; official: { source: string }[] } | null = null;

beforeAll(async () => {
  ds = await openDataSource();
  [wang, reviewer, jtj, jtjLeader, admin] = await Promise.all([
    ApiSession.login('wangjianguo'),
    ApiSession.login('reviewer'),
    ApiSession.login('jtj.handler'),
    ApiSession.login('jtj.leader'),
    ApiSession.login('admin'),
  ]);
});
afterAll(async () => {
  if (!ds?.isInitialized) return;
  if (saved) {
    const { year, days, official } = saved;
    if (official.length) {
      // Load the original days again (the running clocks follow), then give the rows back their source.
      await loadYear(year, []);
      await ds.query(
        `DELETE FROM work_calendar_days WHERE day >= make_date($1::int, 1, 1) AND day < make_date($1::int + 1, 1, 1)`,
        [year],
      );
      for (const d of days)
        await ds.query(`INSERT INTO work_calendar_days (day, kind, name, source) VALUES ($1, $2, $3, $4)`, [
          d.day,
          d.kind,
          d.name,
          d.source,
        ]);
      await ds.query(`UPDATE work_calendar_years SET source = $2 WHERE year = $1`, [
        year,
        official[0]!.source,
      ]);
    } else {
      await ds.query(
        `DELETE FROM work_calendar_days WHERE day >= make_date($1::int, 1, 1) AND day < make_date($1::int + 1, 1, 1)`,
        [year],
      );
      await ds.query(`DELETE FROM work_calendar_years WHERE year = $1`, [year]);
    }
  }
  await ds.destroy();
});

/** The admin loads `year`: its days as they were, plus `extra` holidays. */
async function loadYear(year: number, extra: string[]) {
  const days = saved!.days;
  const r = await admin.call('PUT', `/api/admin/calendar/years/${year}`, {
    holidays: [
      ...days.filter((d) => d.kind === 'holiday').map((d) => ({ date: d.day, name: d.name ?? undefined })),
      ...extra.map((date) => ({ date, name: '测试假日' })),
    ],
    workdays: days
      .filter((d) => d.kind === 'workday')
      .map((d) => ({ date: d.day, name: d.name ?? undefined })),
  });
  expect(r.status).toBe(200);
  return r.body as { replanned: number };
}

const status = async (id: string) => (await wang.call('GET', `/api/suggestions/${id}`)).body.status;
const until = (id: string, s: string) => waitFor(s, async () => (await status(id)) === s);
const replanned = async (id: string) =>
  (await ds.query(
    `SELECT payload FROM outbox WHERE aggregate_id = $1 AND type = 'suggestion.deadline_replanned' ORDER BY id`,
    [id],
  )) as { payload: { data: Record<string, unknown> } }[];
/** A user's in-app notice of a re-planned deadline of the item, naming `clock`. */
const notice = (by: ApiSession, id: string, clock: string) =>
  waitFor(`${clock} notice`, async () => {
    const r = await by.call('GET', '/api/notifications?pageSize=100');
    return (r.body.items as { suggestionId: string; eventType: string; body: string }[]).find(
      (n) =>
        n.suggestionId === id && n.eventType === 'suggestion.deadline_replanned' && n.body.includes(clock),
    );
  });
const day = (iso: unknown) => chinaDateOf(Date.parse(iso as string));

describe("a loaded calendar year re-plans the item's own clocks", () => {
  it('moves the pre-review deadline (the reviewer is told) and the evaluation window (the deputy sees the new date)', async () => {
    // The next working day after today (China time), and the year it falls in.
    const cal = await loadWorkCalendar(ds);
    const today = chinaDateOf(Date.now());
    const d1 = cal.nextWorkingDay(today);
    const year = Number(d1.slice(0, 4));
    saved = {
      year,
      days: await ds.query(
        `SELECT day::text AS day, kind, name, source FROM work_calendar_days
         WHERE day >= make_date($1::int, 1, 1) AND day < make_date($1::int + 1, 1, 1) AND kind IN ('holiday', 'workday')`,
        [year],
      ),
      official: await ds.query(`SELECT source FROM work_calendar_years WHERE year = $1`, [year]),
    };

    // The deputy submits: the reviewer's pre-review clock (5 working days by default) runs through d1.
    const { body } = await wang.call(
      'POST',
      '/api/suggestions',
      {
        title: `关于节后错峰上学的建议 ${randomUUID().slice(0, 6)}`,
        content: '节后开学首日交通压力大,建议各校错峰上学并公布时段。',
      },
      { 'Idempotency-Key': randomUUID() },
    );
    const id = body.id as string;
    await wang.call('POST', `/api/suggestions/${id}/submit`);
    await until(id, 'submitted');

    // The admin loads the year with d1 a holiday: the pre-review clock moves one working day later.
    expect((await loadYear(year, [d1])).replanned).toBeGreaterThanOrEqual(1);
    const [pre] = await waitFor('pre-review re-planned', async () => {
      const e = await replanned(id);
      return e.length ? e : null;
    });
    expect(pre!.payload.data).toMatchObject({ unitId: null, clock: 'pre_review', years: [year] });
    expect(Date.parse(pre!.payload.data.deadlineAt as string)).toBeGreaterThan(
      Date.parse(pre!.payload.data.previousDeadlineAt as string),
    );
    // The reviewer, who holds the clock, is told; the step is on the item's timeline.
    expect(await notice(reviewer, id, '预审期限')).toBeTruthy();
    const tl = await reviewer.call('GET', `/api/suggestions/${id}/timeline`);
    expect(
      tl.body.steps.some(
        (s: { type: string; details: { clock?: string } }) =>
          s.type === 'suggestion.deadline_replanned' && s.details.clock === 'pre_review',
      ),
    ).toBe(true);

    // Accept, assign, and the unit replies: the deputy's evaluation window opens (20 working days).
    expect(
      (await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' })).status,
    ).toBe(200);
    await until(id, 'accepted');
    expect(
      (await reviewer.call('POST', `/api/suggestions/${id}/assign`, { mode: 'separate', unitIds: [JTJ] }))
        .status,
    ).toBe(200);
    const step = (path: string, b?: unknown, who = jtj) =>
      who.call('POST', `/api/suggestions/${id}/units/${JTJ}/${path}`, b);
    await waitFor('sign-in', async () => (await step('sign-in')).status === 200);
    expect((await step('contacts', { contactedOn: today, form: '电话', summary: '电话沟通' })).status).toBe(
      200,
    );
    expect((await step('reply', { category: 'A', body: '已安排各校错峰上学。' })).status).toBe(200);
    expect((await step('reply/sign-off', undefined, jtjLeader)).status).toBe(200);
    expect((await step('reply/send')).status).toBe(200);
    await until(id, 'replied');
    const before = (await wang.call('GET', `/api/suggestions/${id}/timeline`)).body.evaluationDeadline;
    expect(before).toMatchObject({ round: 1 });

    // A second load makes the next working day after d1 a holiday too: the evaluation window moves.
    const d2 = (await loadWorkCalendar(ds)).nextWorkingDay(d1);
    expect(d2 <= chinaDateOf(Date.parse(before.deadlineAt))).toBe(true);
    const second = await loadYear(year, Number(d2.slice(0, 4)) === year ? [d1, d2] : [d1]);
    expect(second.replanned).toBeGreaterThanOrEqual(1);
    if (Number(d2.slice(0, 4)) !== year) return; // the window crosses the year: covered by the unit test
    const evaluation = await waitFor('evaluation re-planned', async () =>
      (await replanned(id)).find((e) => e.payload.data.clock === 'evaluation'),
    );
    expect(evaluation!.payload.data.unitId).toBeNull();
    expect(day(evaluation!.payload.data.previousDeadlineAt)).toBe(day(before.deadlineAt));
    // The deputy is told, and the window shown to the deputy is the re-planned one.
    expect(await notice(wang, id, '满意度测评期限')).toBeTruthy();
    const after = (await wang.call('GET', `/api/suggestions/${id}/timeline`)).body.evaluationDeadline;
    expect(day(after.deadlineAt)).toBe(day(evaluation!.payload.data.deadlineAt));
    expect(day(after.deadlineAt) > day(before.deadlineAt)).toBe(true);
    // The rating is still taken, and closes the item.
    expect((await wang.call('POST', `/api/suggestions/${id}/rate`, { rating: 'satisfied' })).status).toBe(
      200,
    );
    await waitFor('closed', async () => ['closed', 'published'].includes(await status(id)));
  });
});
