import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, launch, shot, signIn, tag, url, waitFor } from './support/workbench';

// 约见 and 家站点履职 in the browser: a constituent on a phone books an appointment with 张志强 on
// his duty slot from the station's public page and follows it by tracking code; another constituent
// on a page loaded earlier picks the same slot and is refused in Chinese, then books the next day,
// which 张志强 declines with a reason she reads; 张志强 confirms the first; the station's staff
// record that it took place and that he served his duty day; 张志强 records a 接待日. Then what each
// sees: his 履职档案 lists the appointment, the activity and their points; the constituents' tracking
// pages say 已确认 / 已完成 / 已婉拒. A station of its own (roster of today and tomorrow); other tests
// book deputies too (one live appointment per deputy, day and slot), so the slots are the free ones.
const PHONE = { width: 390, height: 844 };
const ZHANG = demoId('deputy:zhang');
/** A calendar day in China, `n` days from today. */
const chinaDay = (n: number) =>
  new Date(Date.now() + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);
const TODAY = chinaDay(0);
const TOMORROW = chinaDay(1);
const T = tag();
const STATION = `约见旅程联络点${T}`;
let browser: Browser;
let code: string;
let stationId: string;
let admin: ApiSession;
/** 张志强's free slots of the station today and tomorrow (as the public slot list says). */
let now: string, next: string;

const phoneContext = () =>
  browser.newContext({ locale: 'zh-CN', viewport: PHONE, isMobile: true, hasTouch: true });
const slot = (p: Page, day: string, s: string) =>
  p.locator(`[data-testid="slot-option"][value="${ZHANG}|${day}|${s}"]`);
/** The constituent's booking form filled for one of 张志强's slots. */
async function fillBooking(p: Page, day: string, s: string, topic: string, phone: string) {
  await slot(p, day, s).check();
  await p.getByTestId('book-topic').fill(topic);
  await p.getByTestId('book-phone').fill(phone);
  await p.getByTestId('book-name').fill('周阿姨');
}
/** The tracking page's status, read afresh. */
async function trackedStatus(p: Page, trackingCode: string) {
  await p.goto(url(`/m/appointment/${trackingCode}`));
  return p.getByTestId('appointment-status').textContent();
}

beforeAll(async () => {
  browser = await launch();
  admin = await ApiSession.login('admin');
  const st = await admin.call('POST', '/api/admin/stations', {
    name: STATION,
    kind: 'point',
    town: '溧城街道',
    address: '约见路 8 号',
    deputyIds: [ZHANG],
    staffUserIds: [demoId('user:lc.staff')],
  });
  expect(st.status, JSON.stringify(st.body)).toBe(201);
  stationId = st.body.id;
  code = st.body.code;
  const roster = await admin.call('PUT', `/api/admin/stations/${stationId}/duties`, {
    duties: [TODAY, TOMORROW].flatMap((day) =>
      ['am', 'pm', 'day'].map((slot) => ({ deputyId: ZHANG, day, slot })),
    ),
  });
  expect(roster.status, JSON.stringify(roster.body)).toBe(200);
  const slots = await new ApiSession().call('GET', `/api/intake/targets/${code}/slots`);
  const free = (day: string) =>
    (slots.body.items as { day: string; slot: string; available: boolean }[]).find(
      (x) => x.day === day && x.available,
    )?.slot;
  now = free(TODAY)!;
  next = free(TOMORROW)!;
  expect([now, next].every(Boolean), JSON.stringify(slots.body)).toBe(true);
});
afterAll(async () => {
  if (stationId) await admin.call('PATCH', `/api/admin/stations/${stationId}`, { active: false });
  await browser?.close();
});

describe('约见 on a phone, the deputy, the station desk and the 履职档案', () => {
  it('book → refused slot → confirm / decline → attendance and duty day → activity → record and tracking', async () => {
    // Two constituents open the station's booking page from its QR code before either books.
    const contexts: BrowserContext[] = [await phoneContext(), await phoneContext()];
    const [c, late] = (await Promise.all(contexts.map((x) => x.newPage()))) as [Page, Page];
    await c.goto(url(`/m/${code}`));
    await c.getByTestId('book-link').click();
    await c.waitForURL((u) => u.pathname === `/m/${code}/appointment`);
    await expect.poll(() => c.getByTestId('book-target').textContent()).toContain(STATION);
    await late.goto(url(`/m/${code}/appointment`));
    await expect.poll(() => slot(late, TODAY, now).isEnabled()).toBe(true);

    const phone = `138${String(Date.now()).slice(-8)}`;
    await fillBooking(c, TODAY, now, `想当面反映燕山社区停车难的问题${T}`, phone);
    await shot(c, 'appointment-01-book-phone');
    await c.getByTestId('book-submit').click();
    const codeEl = c.getByTestId('appointment-code');
    await codeEl.waitFor();
    const first = (await codeEl.textContent())!.trim();
    expect(first).toMatch(/^[2-9A-Z]{10}$/);
    await c.getByTestId('appointment-track-link').click();
    await c.waitForURL((u) => u.pathname === `/m/appointment/${first}`);
    await expect.poll(() => c.getByTestId('appointment-status').textContent()).toBe('待代表确认');
    expect(await c.content()).not.toContain(phone);
    expect(await c.content()).not.toContain('周阿姨');
    await shot(c, 'appointment-02-track-requested-phone');

    // The second constituent's page still offers the slot: booking it is refused, in Chinese.
    await fillBooking(late, TODAY, now, `也想反映停车难的问题${T}`, `137${String(Date.now()).slice(-8)}`);
    await late.getByTestId('book-submit').click();
    await expect.poll(() => late.getByTestId('book-error').textContent()).toContain('该代表此时段已有约见');
    expect(await late.getByTestId('appointment-code').count()).toBe(0);
    await shot(late, 'appointment-03-slot-taken-phone');
    // She books the next day instead (the page shows the slots afresh).
    await late.reload();
    await expect.poll(() => slot(late, TODAY, now).isDisabled()).toBe(true);
    await fillBooking(
      late,
      TOMORROW,
      next,
      `想咨询老旧小区加装电梯的补贴政策${T}`,
      `136${String(Date.now()).slice(-8)}`,
    );
    await late.getByTestId('book-submit').click();
    await late.getByTestId('appointment-code').waitFor();
    const second = (await late.getByTestId('appointment-code').textContent())!.trim();

    // 张志强 sees both on 约见; he confirms the first and declines the second with a reason.
    const { context: dctx, page: d } = await signIn(browser, 'zhangzhiqiang');
    await d.goto(url('/appointments'));
    const row = (topic: string) => d.locator('[data-testid="appointment-row"]', { hasText: topic });
    await expect.poll(() => row(`停车难的问题${T}`).count(), { timeout: 20_000 }).toBe(1);
    // The deputy asked for sees the constituent's phone.
    expect(await row(`停车难的问题${T}`).textContent()).toContain(phone);
    await shot(d, 'appointment-04-deputy-list');
    await row(`停车难的问题${T}`).getByTestId('appointment-confirm').click();
    await expect
      .poll(() => row(`停车难的问题${T}`).getByTestId('appointment-row-status').textContent())
      .toBe('代表已确认');
    const declined = row(`加装电梯的补贴政策${T}`);
    await declined.getByTestId('appointment-reason').fill('当天上午需参加人大视察，请改约下周');
    await declined.getByTestId('appointment-decline').click();
    await expect.poll(() => declined.getByTestId('appointment-row-status').textContent()).toBe('代表已婉拒');
    // Confirmed, it is not offered for confirmation again (he may still call it off with a reason).
    expect(await row(`停车难的问题${T}`).getByTestId('appointment-confirm').count()).toBe(0);

    // The constituents read the outcome on their tracking pages.
    expect(await trackedStatus(c, first)).toBe('代表已确认');
    expect(await trackedStatus(late, second)).toBe('代表已婉拒');
    expect(await late.getByTestId('appointment-progress').textContent()).toContain('当天上午需参加人大视察');
    await shot(late, 'appointment-05-track-declined-phone');

    // The station's staff at the desk: the appointment took place, and 张志强 served his duty day.
    const { context: sctx, page: s } = await signIn(browser, 'lc.staff');
    await s.goto(url(`/appointments?station=${stationId}`));
    await expect.poll(() => s.getByTestId('station-desk').textContent()).toContain(STATION);
    const deskRow = s.locator('[data-testid="station-desk"] [data-testid="appointment-row"]', {
      hasText: `停车难的问题${T}`,
    });
    // The declined one is not on today's desk (it was for tomorrow).
    expect(await s.locator('[data-testid="station-desk"]').textContent()).not.toContain('加装电梯');
    await deskRow.getByTestId('appointment-held').click();
    await expect.poll(() => deskRow.getByTestId('appointment-row-status').textContent()).toBe('已见面');
    const duty = s.locator('[data-testid="duty-row"]', { hasText: '张志强' }).first();
    await duty.getByTestId('duty-served').click();
    await expect.poll(() => duty.getByTestId('duty-status').textContent()).toBe('已到岗');
    await shot(s, 'appointment-06-station-desk');
    expect(await trackedStatus(c, first)).toBe('已见面');
    expect(await c.getByTestId('appointment-progress').textContent()).toContain('约见已完成');

    // 张志强 records the day's 接待日 at the station, with himself attending.
    await d.goto(url('/activities'));
    await d.locator('#act-station').selectOption({ label: STATION });
    await d.getByTestId('activity-kind').selectOption('reception');
    await d.getByTestId('activity-title').fill(`代表接待日${T}`);
    await d.getByRole('checkbox', { name: '张志强', exact: true }).check();
    await d.getByTestId('activity-submit').click();
    await expect
      .poll(() => d.getByTestId('activity-list').textContent(), { timeout: 15_000 })
      .toContain(`代表接待日${T}`);

    // His 履职档案: the appointment held, the duty day and the activity, each with its points
    // (credited by the points rules from the events: the page is read again until they arrive).
    await d.goto(url('/record'));
    await d.waitForURL((u) => u.pathname === `/record/${ZHANG}`);
    await waitFor('the record shows the points of the appointment and the activity', async () => {
      await d.reload();
      return pointsOf(d, STATION);
    });
    expect(await d.getByTestId('record-appointments').textContent()).toContain('已见面');
    expect(await d.getByTestId('record-activities').textContent()).toContain(`代表接待日${T}`);
    expect(Number(await d.getByTestId('record-total').textContent())).toBeGreaterThan(0);
    await shot(d, 'appointment-07-deputy-record');

    // Another deputy may not read 张志强's record.
    const { context: octx, page: o } = await signIn(browser, 'lixiuying');
    await o.goto(url(`/record/${ZHANG}`));
    await expect.poll(() => o.locator('[role="alert"]').count()).toBeGreaterThan(0);
    expect(await o.getByTestId('deputy-record').count()).toBe(0);

    for (const x of [...contexts, dctx, sctx, octx]) await x.close();
  });
});

/** True when the record's rows of this station's appointment and the activity both carry points. */
async function pointsOf(p: Page, station: string): Promise<boolean> {
  const cells = async (testid: string, has: string) =>
    p.locator(`[data-testid="${testid}"] tr`, { hasText: has }).locator('td.num').allTextContents();
  const appt = await cells('record-appointments', station);
  const act = await cells('record-activities', station);
  return appt.some((x) => Number(x) > 0) && act.some((x) => Number(x) > 0);
}
