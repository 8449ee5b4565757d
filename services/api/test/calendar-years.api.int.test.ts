import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVISIONAL_DEADLINE_NOTE, chinaDateOf } from '@jianyi/domain';
import { openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, apiBase, waitFor } from '@jianyi/platform/src/testing';
import { assignmentListHeaders } from '../src/export.routes';

// Calendar years without official data (issue 9): chinese-days has no holidays for 2027 yet. An item
// assigned now gets a 3-month reply deadline in 2027, counted as ordinary weeks: every role sees it
// marked provisional (API, export). The admin then loads 2027 from the State Council notice (here a
// notice that makes that very day a holiday); the running unit clock is re-planned by its workflow,
// the deadline moves to the next working day, the item gets a `suggestion.deadline_replanned` event
// and the deadline is no longer provisional.
let ds: DataSource;
let wang: ApiSession;
let reviewer: ApiSession;
let coordinator: ApiSession;
let jtj: ApiSession;
let admin: ApiSession;
let loadedYear: number | null = null;

const JTJ = demoId('unit:JTJ');

beforeAll(async () => {
  ds = await openDataSource();
  [wang, reviewer, coordinator, jtj, admin] = await Promise.all([
    ApiSession.login('wangjianguo'),
    ApiSession.login('reviewer'),
    ApiSession.login('coordinator'),
    ApiSession.login('jtj.handler'),
    ApiSession.login('admin'),
  ]);
});
afterAll(async () => {
  if (ds?.isInitialized) {
    // Put the test database's calendar back as the seed left it (the year is provisional again).
    if (loadedYear !== null) {
      await ds.query(
        `DELETE FROM work_calendar_days WHERE source = 'admin' AND day >= make_date($1::int, 1, 1) AND day < make_date($1::int + 1, 1, 1)`,
        [loadedYear],
      );
      await ds.query(`DELETE FROM work_calendar_years WHERE year = $1 AND source = 'admin'`, [loadedYear]);
    }
    await ds.destroy();
  }
});

async function assignedItem(): Promise<string> {
  const tag = randomUUID().slice(0, 6);
  const { body, status } = await wang.call(
    'POST',
    '/api/suggestions',
    {
      title: `关于春节期间公交加密班次的建议 ${tag}`,
      content: '春节返乡客流集中,建议加密公交班次并延长运营时间。',
    },
    { 'Idempotency-Key': randomUUID() },
  );
  expect(status).toBe(201);
  const id = body.id as string;
  await wang.call('POST', `/api/suggestions/${id}/submit`);
  await waitFor(
    'submitted',
    async () => (await wang.call('GET', `/api/suggestions/${id}`)).body.status === 'submitted',
  );
  expect((await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' })).status).toBe(
    200,
  );
  const a = await reviewer.call('POST', `/api/suggestions/${id}/assign`, {
    mode: 'lead',
    leadUnitId: JTJ,
    coUnitIds: [],
  });
  expect(a.status).toBe(200);
  return id;
}

async function unitDeadline(id: string): Promise<string | null> {
  const rows: { d: Date | null }[] = await ds.query(
    `SELECT deadline_at AS d FROM assignments WHERE suggestion_id = $1 AND unit_id = $2 AND round = 1`,
    [id, JTJ],
  );
  return rows[0]?.d ? rows[0].d.toISOString() : null;
}

describe('calendar years without official data (provisional deadlines)', () => {
  it('marks a deadline counted into an unannounced year provisional, and re-plans it when the admin loads that year', async () => {
    const id = await assignedItem();
    const first = await waitFor('the unit deadline', () => unitDeadline(id));
    const day = chinaDateOf(Date.parse(first));
    const year = Number(day.slice(0, 4));

    // The admin's calendar says the deadline's year is not official.
    const cal = await admin.call('GET', `/api/admin/calendar?year=${year}`);
    expect(cal.status).toBe(200);
    expect(cal.body.state).toBe('provisional');
    expect(cal.body.years.find((y: { year: number }) => y.year === year).state).toBe('provisional');
    expect(cal.body.years.some((y: { state: string }) => y.state === 'official')).toBe(true);

    // Every role sees the deadline marked provisional: the deputy's timeline, the unit's inbox,
    // the handling record and the 交办清单 export.
    const tl = await wang.call('GET', `/api/suggestions/${id}/timeline`);
    expect(tl.status).toBe(200);
    const unitDl = tl.body.deadlines.find((d: { scope: string }) => d.scope === 'unit');
    expect(unitDl).toMatchObject({ deadlineAt: first, provisional: true });
    expect(tl.body.assignments[0].deadlineProvisional).toBe(true);
    const inbox = await jtj.call('GET', '/api/unit-inbox');
    const mine = inbox.body.items.find((x: { id: string }) => x.id === id);
    expect(mine.deadline.provisional).toBe(true);
    const handling = await reviewer.call('GET', `/api/suggestions/${id}/handling`);
    expect(handling.body.assignments[0].deadlineProvisional).toBe(true);
    const row = await exportRow(id);
    expect(row[assignmentListHeaders.indexOf('期限说明')]).toBe(PROVISIONAL_DEADLINE_NOTE);

    // Bad notices are refused with the field named, and nothing is written.
    const wrongYear = await admin.call('PUT', `/api/admin/calendar/years/${year}`, {
      holidays: [`${year + 1}-01-01`],
    });
    expect(wrongYear.status).toBe(422);
    expect(wrongYear.body.errors[0].field).toBe('holidays[0].date');
    const weekdayMakeUp = await admin.call('PUT', `/api/admin/calendar/years/${year}`, {
      holidays: [day],
      workdays: [day],
    });
    expect(weekdayMakeUp.status).toBe(422);
    expect(weekdayMakeUp.body.errors.map((e: { field: string }) => e.field)).toContain('workdays[0].date');
    const badCsv = await admin.call('PUT', `/api/admin/calendar/years/${year}`, { csv: `${day},maybe,?` });
    expect(badCsv.status).toBe(422);
    expect(badCsv.body.errors[0].field).toBe('csv[1]');
    expect(
      (await reviewer.call('PUT', `/api/admin/calendar/years/${year}`, { holidays: [day] })).status,
    ).toBe(403);
    expect((await admin.call('GET', `/api/admin/calendar?year=${year}`)).body.state).toBe('provisional');

    // The admin loads the year (as an uploaded CSV): the deadline day becomes a holiday.
    const load = await admin.call('PUT', `/api/admin/calendar/years/${year}`, {
      csv: `date,kind,name\n${day},休,测试假日\n`,
    });
    expect(load.status).toBe(200);
    loadedYear = year;
    expect(load.body).toMatchObject({ year, state: 'official', holidays: 1, workdays: 0 });
    expect(load.body.replanned).toBeGreaterThanOrEqual(1);
    expect((await admin.call('GET', `/api/admin/calendar?year=${year}`)).body.state).toBe('official');

    // The running clock is re-planned: the deadline moves to the next working day.
    const moved = await waitFor('the re-planned deadline', async () => {
      const d = await unitDeadline(id);
      return d !== first ? d : null;
    });
    expect(Date.parse(moved!)).toBeGreaterThan(Date.parse(first));
    expect(chinaDateOf(Date.parse(moved!))).not.toBe(day);
    const events: { payload: { data: Record<string, unknown> } }[] = await ds.query(
      `SELECT payload FROM outbox WHERE aggregate_id = $1 AND type = 'suggestion.deadline_replanned'`,
      [id],
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.payload.data).toMatchObject({
      unitId: JTJ,
      previousDeadlineAt: first,
      deadlineAt: moved,
      years: [year],
    });
    const after = await wang.call('GET', `/api/suggestions/${id}/timeline`);
    expect(after.body.steps.some((s: { type: string }) => s.type === 'suggestion.deadline_replanned')).toBe(
      true,
    );
    const unitAfter = after.body.deadlines.find((d: { scope: string }) => d.scope === 'unit');
    expect(unitAfter.deadlineAt).toBe(moved);
    if (chinaDateOf(Date.parse(moved!)).startsWith(String(year))) expect(unitAfter.provisional).toBe(false);
    const inboxAfter = await jtj.call('GET', '/api/unit-inbox');
    expect(inboxAfter.body.items.find((x: { id: string }) => x.id === id).deadline.deadlineAt).toBe(moved);
  });
});

async function exportRow(id: string): Promise<unknown[]> {
  const [{ title }] = await ds.query(`SELECT title FROM suggestions WHERE id = $1`, [id]);
  const cookie = (coordinator as unknown as { cookie: string }).cookie;
  const res = await fetch(`${apiBase()}/api/exports/assignment-list.xlsx?q=${encodeURIComponent(title)}`, {
    headers: { cookie },
  });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const ws = wb.getWorksheet('交办清单')!;
  let found: unknown[] = [];
  ws.eachRow((row, n) => {
    if (n > 1 && String(row.getCell(3).value) === title) found = (row.values as unknown[]).slice(1);
  });
  return found;
}
