import { randomBytes, randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { chinaDateOf } from '@jianyi/domain';
import { openDataSource } from '@jianyi/platform';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor } from '@jianyi/platform/src/testing';

// 家站点履职 (issue 11) through the API of the running stack, as each role uses it: a constituent (no
// account) books an appointment on a duty slot, the deputy confirms or declines, the station's staff
// record attendance and duty days, activities and training are recorded, and everything lands in
// the deputy's 履职档案 with its points. A station of its own (王建国 and 李秀英 attached, lc.staff as
// staff, a roster of today and the next days), so no other test's roster is touched.
const WANG = demoId('deputy:wang');
const LI = demoId('deputy:li');
const ZHANG = demoId('deputy:zhang');
const day = (offset: number) => chinaDateOf(Date.now() + offset * 86_400_000);
const TODAY = day(0);

let ds: DataSource;
const anon = new ApiSession();
let wang: ApiSession, li: ApiSession, staff: ApiSession, otherStaff: ApiSession;
let reviewer: ApiSession, admin: ApiSession, jtj: ApiSession;
let stationId: string;
let code: string;
const tag = randomBytes(3).toString('hex');

const addr = () =>
  `198.51.100.${1 + (randomBytes(1)[0]! % 250)}, 10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
const phone = () => `139${String(randomBytes(4).readUInt32BE() % 1e8).padStart(8, '0')}`;
// The public reads come from an address of this file's own (trusted from loopback as the web proxy's
// X-Forwarded-For), so other files' public requests from 127.0.0.1 cannot spend its rate budget.
const reader = `100.64.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0]! % 250)}`;
const look = (path: string) => anon.call('GET', path, undefined, { 'X-Forwarded-For': reader });
const book = (body: Record<string, unknown>, from = addr()) =>
  anon.call('POST', `/api/intake/targets/${code}/appointments`, body, { 'X-Forwarded-For': from });
const ask = (extra: Record<string, unknown> = {}) => ({
  deputyId: WANG,
  day: TODAY,
  slot: 'am',
  topic: '想当面反映小区加装电梯的资金分摊问题。',
  name: '赵女士',
  phone: phone(),
  ...extra,
});
const idOf = async (trackingCode: string) =>
  (
    (await ds.query(`SELECT id FROM appointments WHERE tracking_code = $1`, [trackingCode])) as {
      id: string;
    }[]
  )[0]!.id;
const credits = (deputyId: string, rule: string, recordId: string) =>
  ds.query(`SELECT points FROM points_ledger WHERE deputy_id = $1 AND rule = $2 AND record_id = $3`, [
    deputyId,
    rule,
    recordId,
  ]) as Promise<{ points: number }[]>;
const credited = (deputyId: string, rule: string, recordId: string) =>
  waitFor(`${rule} credited`, async () => (await credits(deputyId, rule, recordId))[0]);

beforeAll(async () => {
  ds = await openDataSource();
  [wang, li, staff, otherStaff, reviewer, admin, jtj] = (await Promise.all(
    ['wangjianguo', 'lixiuying', 'lc.staff', 'tmh.staff', 'reviewer', 'admin', 'jtj.handler'].map((u) =>
      ApiSession.login(u),
    ),
  )) as ApiSession[] as [ApiSession, ApiSession, ApiSession, ApiSession, ApiSession, ApiSession, ApiSession];
  const st = await admin.call('POST', '/api/admin/stations', {
    name: `约见测试联络点${tag}`,
    kind: 'point',
    town: '溧城街道',
    address: '测试路 1 号',
    deputyIds: [WANG, LI],
    staffUserIds: [demoId('user:lc.staff')],
  });
  expect(st.status, JSON.stringify(st.body)).toBe(201);
  stationId = st.body.id;
  code = st.body.code;
  const duties = [
    { deputyId: WANG, day: TODAY, slot: 'am' },
    { deputyId: WANG, day: TODAY, slot: 'pm' },
    { deputyId: LI, day: TODAY, slot: 'day' },
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((d) => ({ deputyId: WANG, day: day(d), slot: 'am' })),
  ];
  const r = await admin.call('PUT', `/api/admin/stations/${stationId}/duties`, { duties });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}, 60_000);
afterAll(async () => {
  if (stationId) await admin.call('PATCH', `/api/admin/stations/${stationId}`, { active: false });
  // The appointments still live would hold 王建国's and 李秀英's slots for the next run (one live
  // appointment per deputy, day and slot, whatever the station): they are called off.
  if (stationId)
    await ds.query(
      `UPDATE appointments SET status = 'declined', decline_reason = '测试结束' WHERE station_id = $1 AND status IN ('requested', 'confirmed')`,
      [stationId],
    );
  await ds?.destroy();
});

describe('约见: the constituent books on a duty slot', () => {
  it('lists the duty slots without personal data; a bad phone or a slot off duty is refused naming the field', async () => {
    const slots = await look(`/api/intake/targets/${code}/slots`);
    expect(slots.status).toBe(200);
    const mine = (
      slots.body.items as { deputyId: string; day: string; slot: string; available: boolean }[]
    ).filter((s) => s.day === TODAY);
    expect(mine.map((s) => `${s.deputyId === WANG ? 'wang' : 'li'}:${s.slot}`).sort()).toEqual([
      'li:day',
      'wang:am',
      'wang:pm',
    ]);
    const bad = await book(ask({ phone: '12345' }));
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ field: 'phone' });
    expect(bad.body.errors[0].message).toContain('手机号码');
    const noPhone = await book(ask({ phone: undefined }));
    expect(noPhone.status).toBe(422);
    expect(noPhone.body.errors.map((e: { field: string }) => e.field)).toContain('phone');
    const offDuty = await book(ask({ deputyId: ZHANG }));
    expect(offDuty.status).toBe(422);
    expect(offDuty.body.errors[0].field).toBe('slot');
    const past = await book(ask({ day: day(-1) }));
    expect(past.status).toBe(422);
    expect(past.body.errors[0].field).toBe('day');
    // Nothing was stored by any refusal.
    expect(
      (await ds.query(`SELECT count(*)::int AS n FROM appointments WHERE station_id = $1`, [stationId]))[0].n,
    ).toBe(0);
  });

  it('books, tracks by code (no name or phone), a second booking of the slot is 409; the deputy is told', async () => {
    const p = phone();
    const r = await book(ask({ slot: 'pm', phone: p }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.trackUrl).toMatch(new RegExp(`/m/appointment/${r.body.trackingCode}$`));
    const t = await look(`/api/intake/appointments/${r.body.trackingCode.toLowerCase()}`);
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ status: 'requested', deputyName: '王建国', day: TODAY, slot: 'pm' });
    expect(JSON.stringify(t.body)).not.toContain(p);
    expect(JSON.stringify(t.body)).not.toContain('赵女士');
    const again = await book(ask({ slot: 'pm' }));
    expect(again.status).toBe(409);
    expect(again.body.errors[0].field).toBe('slot');
    const slots = await look(`/api/intake/targets/${code}/slots`);
    expect(
      (slots.body.items as { deputyId: string; day: string; slot: string; available: boolean }[]).find(
        (s) => s.deputyId === WANG && s.day === TODAY && s.slot === 'pm',
      )?.available,
    ).toBe(false);
    expect((await look('/api/intake/appointments/ZZZZZZZZZZ')).status).toBe(404);
    // 王建国 hears of it in the platform (notifier, from the outbox event).
    const id = await idOf(r.body.trackingCode);
    await waitFor(
      'the notice to the deputy',
      async () =>
        (
          await ds.query(
            `SELECT 1 FROM notifications n JOIN users u ON u.id = n.user_id
           WHERE u.deputy_id = $1 AND n.event_type = 'station.appointment_requested'
             AND n.event_id = (SELECT event_id FROM outbox WHERE aggregate_id = $2 AND type = 'station.appointment_requested')`,
            [WANG, id],
          )
        ).length > 0,
    );
    // Who reads it: the deputy and the staff with the phone; an overseer without; another deputy and a unit not at all.
    const asWang = await wang.call('GET', `/api/appointments/${id}`);
    expect(asWang.status).toBe(200);
    expect(asWang.body).toMatchObject({ phone: p, name: '赵女士', allowedActions: ['confirm', 'decline'] });
    expect((await staff.call('GET', `/api/appointments/${id}`)).body.phone).toBe(p);
    const asReviewer = await reviewer.call('GET', `/api/appointments/${id}`);
    expect(asReviewer.status).toBe(200);
    expect([asReviewer.body.phone, asReviewer.body.name]).toEqual([null, null]);
    expect((await li.call('GET', `/api/appointments/${id}`)).status).toBe(404);
    expect((await jtj.call('GET', `/api/appointments/${id}`)).status).toBe(404);
    expect((await otherStaff.call('GET', `/api/appointments/${id}`)).status).toBe(404);
    const list = await li.call('GET', '/api/appointments');
    expect((list.body.items as { id: string }[]).map((x) => x.id)).not.toContain(id);
  });

  it('the deputy declines with a reason the constituent reads; the slot is free again', async () => {
    const r = await book(ask({ slot: 'am', day: day(1) }));
    expect(r.status).toBe(201);
    const id = await idOf(r.body.trackingCode);
    expect((await staff.call('POST', `/api/appointments/${id}/decline`, { reason: '代表外出' })).status).toBe(
      403,
    );
    const noReason = await wang.call('POST', `/api/appointments/${id}/decline`, {});
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors[0]).toMatchObject({ field: 'reason' });
    const d = await wang.call('POST', `/api/appointments/${id}/decline`, {
      reason: '当天参加市人大常委会会议',
    });
    expect(d.status).toBe(200);
    expect(d.body.status).toBe('declined');
    const t = await look(`/api/intake/appointments/${r.body.trackingCode}`);
    expect(t.body).toMatchObject({ status: 'declined', declineReason: '当天参加市人大常委会会议' });
    expect(t.body.progress).toContain('当天参加市人大常委会会议');
    expect((await wang.call('POST', `/api/appointments/${id}/confirm`)).status).toBe(409);
    expect((await book(ask({ slot: 'am', day: day(1) }))).status).toBe(201);
  });

  it('the station staff book for a constituent; staff of another station may not', async () => {
    const body = { ...ask({ deputyId: LI, slot: 'day' }), stationId };
    expect((await otherStaff.call('POST', '/api/appointments', body)).status).toBe(403);
    expect((await wang.call('POST', '/api/appointments', body)).status).toBe(403);
    const r = await staff.call('POST', '/api/appointments', body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const row = (
      await ds.query(`SELECT channel, created_by FROM appointments WHERE id = $1`, [r.body.id])
    )[0];
    expect(row).toEqual({ channel: 'staff', created_by: demoId('user:lc.staff') });
  });

  it('limits bookings per phone a day (429), counting only the public form; the refused one writes nothing', async () => {
    const p = phone();
    // 3 a day by default (JIANYI_INTAKE_PER_PHONE_DAY), each from another address.
    for (const d of [5, 6, 7]) expect((await book(ask({ day: day(d), phone: p }))).status).toBe(201);
    const over = await book(ask({ day: day(8), phone: p }));
    expect(over.status).toBe(429);
    expect((await ds.query(`SELECT count(*)::int AS n FROM appointments WHERE phone = $1`, [p]))[0].n).toBe(
      3,
    );
  });
});

describe('约见: confirmed, held, and the points', () => {
  it('confirm → staff record attendance → the deputy earns the points once; refusals change nothing', async () => {
    const r = await book(ask({ slot: 'am' }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const id = await idOf(r.body.trackingCode);
    expect((await staff.call('POST', `/api/appointments/${id}/confirm`)).status).toBe(403);
    expect((await staff.call('POST', `/api/appointments/${id}/attendance`, { held: true })).status).toBe(409);
    const c = await wang.call('POST', `/api/appointments/${id}/confirm`);
    expect(c.status).toBe(200);
    expect(c.body.status).toBe('confirmed');
    expect((await wang.call('POST', `/api/appointments/${id}/confirm`)).status).toBe(409);
    expect((await wang.call('POST', `/api/appointments/${id}/attendance`, { held: true })).status).toBe(403);
    const bad = await staff.call('POST', `/api/appointments/${id}/attendance`, { held: 'yes' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('held');
    const day1 = await staff.call('GET', `/api/stations/${stationId}/day?day=${TODAY}`);
    expect(day1.status).toBe(200);
    expect(day1.body.canRecord).toBe(true);
    expect(
      (day1.body.appointments as { id: string; allowedActions: string[] }[]).find((a) => a.id === id)
        ?.allowedActions,
    ).toEqual(['attendance']);
    const held = await staff.call('POST', `/api/appointments/${id}/attendance`, { held: true });
    expect(held.status).toBe(200);
    expect(held.body.status).toBe('held');
    expect((await staff.call('POST', `/api/appointments/${id}/attendance`, { held: false })).status).toBe(
      409,
    );
    expect((await credited(WANG, 'appointment_held', id)).points).toBe(2);
    expect((await look(`/api/intake/appointments/${r.body.trackingCode}`)).body.status).toBe('held');
  });

  it('an appointment on a later day cannot be recorded as held yet (409)', async () => {
    const r = await book(ask({ day: day(3), slot: 'am' }));
    const list = await wang.call('GET', `/api/appointments?day=${day(3)}&status=requested`);
    const id = (list.body.items as { id: string; trackingCode: string }[]).find(
      (a) => a.trackingCode === r.body.trackingCode,
    )!.id;
    expect((await wang.call('POST', `/api/appointments/${id}/confirm`)).status).toBe(200);
    const early = await staff.call('POST', `/api/appointments/${id}/attendance`, { held: true });
    expect(early.status).toBe(409);
    expect((await ds.query(`SELECT status FROM appointments WHERE id = $1`, [id]))[0].status).toBe(
      'confirmed',
    );
  });
});

describe('duty days, activities, training', () => {
  it('the staff record a duty day once; a deputy may not; it earns the deputy points', async () => {
    const d = await staff.call('GET', `/api/stations/${stationId}/day`);
    const duty = (
      d.body.duties as { id: string; deputyId: string; slot: string; served: boolean | null }[]
    ).find((x) => x.deputyId === LI)!;
    expect(duty.served).toBeNull();
    const path = `/api/stations/${stationId}/duties/${duty.id}/attendance`;
    expect((await li.call('POST', path, { served: true })).status).toBe(403);
    expect((await otherStaff.call('POST', path, { served: true })).status).toBe(404);
    const ok = await staff.call('POST', path, { served: true });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.duties.find((x: { id: string }) => x.id === duty.id).served).toBe(true);
    expect((await staff.call('POST', path, { served: false })).status).toBe(409);
    // The test stack's policies (national-default, test-fast) give a duty day 2 points.
    expect((await credited(LI, 'duty_day', duty.id)).points).toBe(2);
    // A later day's duty cannot be recorded yet.
    const later = await staff.call('GET', `/api/stations/${stationId}/day?day=${day(2)}`);
    expect(later.body.canRecord).toBe(false);
    const laterDuty = later.body.duties[0].id as string;
    expect(
      (
        await staff.call('POST', `/api/stations/${stationId}/duties/${laterDuty}/attendance`, {
          served: true,
        })
      ).status,
    ).toBe(409);
  });

  it('replacing the roster keeps the duty days already recorded and their points; unrecorded ones go', async () => {
    const before = await staff.call('GET', `/api/stations/${stationId}/day`);
    const duties = before.body.duties as {
      id: string;
      deputyId: string;
      slot: string;
      served: boolean | null;
    }[];
    const served = duties.find((x) => x.deputyId === LI && x.served === true)!;
    expect(served).toBeDefined();
    const later = await staff.call('GET', `/api/stations/${stationId}/day?day=${day(3)}`);
    const unrecorded = (later.body.duties as { id: string }[])[0]!.id;
    // The admin's new roster no longer has 李秀英 today, nor 王建国 on the third day from now.
    const roster = [
      { deputyId: WANG, day: TODAY, slot: 'am' },
      { deputyId: WANG, day: TODAY, slot: 'pm' },
      ...[1, 2, 4, 5, 6, 7, 8].map((d) => ({ deputyId: WANG, day: day(d), slot: 'am' })),
    ];
    const r = await admin.call('PUT', `/api/admin/stations/${stationId}/duties`, { duties: roster });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const after = await staff.call('GET', `/api/stations/${stationId}/day`);
    expect(after.body.duties.find((x: { id: string }) => x.id === served.id)).toMatchObject({
      deputyId: LI,
      served: true,
    });
    expect(await credits(LI, 'duty_day', served.id)).toHaveLength(1);
    const gone = await staff.call('GET', `/api/stations/${stationId}/day?day=${day(3)}`);
    expect((gone.body.duties as { id: string }[]).map((x) => x.id)).not.toContain(unrecorded);
    // 李秀英's 履职档案 still lists the duty day with its points.
    const rec = await li.call('GET', `/api/deputies/${LI}/record?year=${TODAY.slice(0, 4)}`);
    expect(rec.body.dutyDays.find((x: { id: string }) => x.id === served.id)).toMatchObject({
      served: true,
      points: 2,
    });
    // Replacing it again with the same roster changes nothing more (the kept row is not doubled).
    expect(
      (await admin.call('PUT', `/api/admin/stations/${stationId}/duties`, { duties: roster })).status,
    ).toBe(200);
    expect(
      (
        await ds.query(`SELECT count(*)::int AS n FROM station_duties WHERE station_id = $1 AND day = $2`, [
          stationId,
          TODAY,
        ])
      )[0].n,
    ).toBe(3);
  });

  it('an activity is recorded once per Idempotency-Key with its attendees, who earn points; a unit may not', async () => {
    const body = {
      stationId,
      kind: 'reception',
      day: TODAY,
      title: `代表接待日${tag}`,
      summary: '接待群众 6 人次,收集意见 4 条。',
      attendeeDeputyIds: [WANG, LI],
    };
    const key = { 'Idempotency-Key': randomUUID() };
    const bad = await staff.call(
      'POST',
      '/api/activities',
      { ...body, attendeeDeputyIds: [WANG, randomUUID()] },
      { 'Idempotency-Key': randomUUID() },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('attendeeDeputyIds.1');
    expect(
      (await jtj.call('POST', '/api/activities', body, { 'Idempotency-Key': randomUUID() })).status,
    ).toBe(403);
    const future = await staff.call(
      'POST',
      '/api/activities',
      { ...body, day: day(2) },
      { 'Idempotency-Key': randomUUID() },
    );
    expect(future.status).toBe(422);
    expect(future.body.errors[0].field).toBe('day');
    const a = await staff.call('POST', '/api/activities', body, key);
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    const again = await staff.call('POST', '/api/activities', body, key);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(a.body.id);
    expect(
      (await ds.query(`SELECT count(*)::int AS n FROM station_activities WHERE title = $1`, [body.title]))[0]
        .n,
    ).toBe(1);
    expect(a.body.attendees.map((x: { name: string }) => x.name).sort()).toEqual(['李秀英', '王建国'].sort());
    await credited(WANG, 'activity', a.body.id);
    await credited(LI, 'activity', a.body.id);
    expect((await jtj.call('GET', '/api/activities')).status).toBe(403);
    const mine = await wang.call('GET', `/api/activities?deputyId=${WANG}`);
    expect((mine.body.items as { id: string }[]).map((x) => x.id)).toContain(a.body.id);
  });

  it('training: the reviewer records a session and attendance; a deputy recorded twice earns once', async () => {
    const body = {
      title: `代表讲堂:预算审查监督${tag}`,
      day: TODAY,
      venue: '市人大常委会会议室',
      speaker: '孙教授',
      deputyIds: [WANG],
    };
    expect(
      (await wang.call('POST', '/api/trainings', body, { 'Idempotency-Key': randomUUID() })).status,
    ).toBe(403);
    const t = await reviewer.call('POST', '/api/trainings', body, { 'Idempotency-Key': randomUUID() });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    const dup = await reviewer.call('POST', '/api/trainings', body, { 'Idempotency-Key': randomUUID() });
    expect(dup.status).toBe(409);
    const more = await reviewer.call('POST', `/api/trainings/${t.body.id}/attendance`, {
      deputyIds: [WANG, LI],
    });
    expect(more.status).toBe(200);
    expect(more.body.attendees).toHaveLength(2);
    await credited(LI, 'training', t.body.id);
    await credited(WANG, 'training', t.body.id);
    expect(await credits(WANG, 'training', t.body.id)).toHaveLength(1);
  });
});

describe('履职档案', () => {
  it('the deputy reads their record with each source and its points; another deputy 403; overseers read it', async () => {
    const year = Number(TODAY.slice(0, 4));
    const r = await wang.call('GET', `/api/deputies/${WANG}/record?year=${year}`);
    expect(r.status).toBe(200);
    expect(r.body.deputy.name).toBe('王建国');
    expect(r.body.year).toBe(year);
    const held = (r.body.appointments as { status: string; points: number }[]).filter(
      (a) => a.status === 'held',
    );
    expect(held.length).toBeGreaterThanOrEqual(1);
    expect(held.every((a) => a.points === 2)).toBe(true);
    expect(
      (r.body.activities as { title: string; points: number }[]).find((a) => a.title.endsWith(tag))?.points,
    ).toBe(1);
    expect(
      (r.body.trainings as { title: string; points: number }[]).find((a) => a.title.endsWith(tag))?.points,
    ).toBe(2);
    const bySource = Object.fromEntries(
      (r.body.totals.bySource as { source: string; points: number }[]).map((s) => [s.source, s.points]),
    );
    expect(bySource.appointments).toBeGreaterThanOrEqual(2);
    expect(r.body.totals.points).toBe(
      (r.body.totals.bySource as { points: number }[]).reduce((s, x) => s + x.points, 0),
    );
    expect((await li.call('GET', `/api/deputies/${WANG}/record`)).status).toBe(403);
    expect((await jtj.call('GET', `/api/deputies/${WANG}/record`)).status).toBe(403);
    expect((await reviewer.call('GET', `/api/deputies/${WANG}/record`)).status).toBe(200);
    const badYear = await wang.call('GET', `/api/deputies/${WANG}/record?year=abc`);
    expect(badYear.status).toBe(422);
    expect(badYear.body.errors[0].field).toBe('year');
    expect((await wang.call('GET', `/api/deputies/${randomUUID()}/record`)).status).toBe(403);
    expect((await reviewer.call('GET', `/api/deputies/${randomUUID()}/record`)).status).toBe(404);
  });

  it('exports the record as xlsx and PDF (audited); another deputy may not', async () => {
    const x = await wang.download(`/api/deputies/${WANG}/record.xlsx`);
    expect(x.status).toBe(200);
    expect(x.type).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '汇总',
      '代表建议',
      '群众留言',
      '值班',
      '约见',
      '活动',
      '代表讲堂',
    ]);
    const cells: string[] = [];
    wb.getWorksheet('活动')!.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
    expect(cells.join('|')).toContain(`代表接待日${tag}`);
    const pdf = await wang.download(`/api/deputies/${WANG}/record.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await li.download(`/api/deputies/${WANG}/record.pdf`)).status).toBe(403);
    const audits = await ds.query(
      `SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'deputy.record_export_%' AND actor_user_id = $2`,
      [WANG, demoId('user:wangjianguo')],
    );
    expect(audits.length).toBeGreaterThanOrEqual(2);
  });

  it('the ranking by town and by delegation', async () => {
    const all = await reviewer.call('GET', '/api/points/ranking');
    expect(all.status).toBe(200);
    expect(all.body.delegations.length).toBeGreaterThan(0);
    const delegation = all.body.items.find((i: { deputyId: string }) => i.deputyId === WANG)
      .delegation as string;
    const d = await reviewer.call('GET', `/api/points/ranking?delegation=${encodeURIComponent(delegation)}`);
    expect(d.status).toBe(200);
    expect((d.body.items as { delegation: string }[]).every((i) => i.delegation === delegation)).toBe(true);
    expect(d.body.items[0].rank).toBe(1);
    const y = await reviewer.call('GET', '/api/points/ranking?year=20x6');
    expect(y.status).toBe(422);
  });
});
