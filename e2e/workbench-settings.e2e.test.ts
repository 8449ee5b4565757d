/**
 * Issue 15's notification settings and workbench gaps in the real Chromium, as the role who uses
 * each page (screenshots settings-01…):
 * - the admin sets a unit's 钉钉 robot on /admin/robots and presses "send a test message": a real
 *   receiver here checks 加签 as DingTalk does and the page shows its answer;
 * - a deputy switches a kind of notice off on /account/notifications and finds it off after a reload;
 * - the deputy's home shows the running clocks of their items; the supervisor lands on 今日关注; the
 *   unit leader sees 待我签发 above a paged inbox; the dashboard groups by 主题 and draws the trend;
 * - /suggestions?status=submitted lists submitted items only (the address is read);
 * - the item page printed (print media) leaves out navigation and buttons.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, launch, shot, signIn, submitted, tag, url } from './support/workbench';

const SECRET = `SEC${'e2e'.repeat(8)}`;
const received: { verdict: string; body: string }[] = [];
let robot: Server;
let robotUrl: string;
let browser: Browser;
let itemId: string;

beforeAll(async () => {
  browser = await launch();
  robot = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const ts = u.searchParams.get('timestamp') ?? '';
      const want = createHmac('sha256', SECRET).update(`${ts}\n${SECRET}`).digest('base64');
      const ok = u.searchParams.get('sign') === want;
      received.push({ verdict: ok ? 'ok' : 'sign not match', body: Buffer.concat(chunks).toString('utf8') });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(
          JSON.stringify(ok ? { errcode: 0, errmsg: 'ok' } : { errcode: 310000, errmsg: 'sign not match' }),
        );
    });
  });
  await new Promise<void>((r) => robot.listen(0, '127.0.0.1', () => r()));
  robotUrl = `http://127.0.0.1:${(robot.address() as AddressInfo).port}/robot/send?access_token=e2e`;
  itemId = await submitted(await ApiSession.login('wangjianguo'), `打印与期限：社区健身步道照明 ${tag()}`);
}, 120_000);
afterAll(async () => {
  // The demo unit's robot is shared: leave it switched off.
  const admin = await ApiSession.login('admin');
  await admin.call('PUT', `/api/units/${demoId('unit:JYJ')}/webhook`, {
    url: robotUrl,
    kind: 'dingtalk',
    active: false,
  });
  await browser?.close();
  await new Promise((r) => robot?.close(r));
});

describe('notification settings', () => {
  it('the admin sets a 钉钉 robot and the test button shows the robot’s answer', async () => {
    const { page, context } = await signIn(browser, 'admin');
    await page.goto(url('/admin/robots'));
    const row = page.locator('[data-testid="robot-row"][data-unit="市教育局"]');
    await row.getByTestId('robot-edit').click();
    const form = page.getByTestId('robot-form');
    await form.getByLabel('类型').selectOption('dingtalk');
    await form.getByLabel('机器人地址').fill(robotUrl);
    await form.getByLabel('签名密钥').fill(SECRET);
    await shot(page, 'settings-01-robot-form');
    await page.getByTestId('robot-save').click();
    await expect.poll(() => row.textContent()).toContain('钉钉');
    await row.getByTestId('robot-test').click();
    const result = page.getByTestId('robot-test-result');
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 15_000 }).toBe('true');
    expect(await page.getByTestId('robot-test-answer').textContent()).toContain('"errcode":0');
    expect(received.at(-1)?.verdict).toBe('ok');
    expect(JSON.parse(received.at(-1)!.body)).toMatchObject({ msgtype: 'markdown' });
    await shot(page, 'settings-02-robot-tested');
    await context.close();
  });

  it('a deputy switches 办理进展 mail off and finds it off after a reload', async () => {
    const { page, context } = await signIn(browser, 'lixiuying');
    await page.getByTestId('notification-settings').click();
    await expect.poll(() => page.getByTestId('prefs-grid').count()).toBe(1);
    const box = page.getByTestId('pref-progress-email');
    await box.uncheck();
    // 催办 in-app cannot be switched off.
    expect(await page.getByTestId('pref-urge-in_app').isDisabled()).toBe(true);
    await page.getByTestId('prefs-save').click();
    await expect.poll(() => page.getByTestId('prefs-notice').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.reload();
    expect(await page.getByTestId('pref-progress-email').isChecked()).toBe(false);
    await shot(page, 'settings-03-preferences');
    await page.getByTestId('pref-progress-email').check();
    await page.getByTestId('prefs-save').click();
    await context.close();
  });
});

describe('workbench', () => {
  it('the deputy sees the clocks of their items; the reviewer’s list follows ?status=', async () => {
    const { page, context } = await signIn(browser, 'wangjianguo');
    await expect.poll(() => page.getByTestId('deputy-clocks').count()).toBe(1);
    // The just-submitted item shows its pre-review clock, held by the reviewer (the workflow writes the
    // deadline to the projection when the clock starts).
    const item = page.locator(`[data-testid="clock-item"][data-id="${itemId}"]`);
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1);
    const clock = item.locator('[data-testid="clock"][data-clock="pre_review"]');
    expect(await clock.count()).toBe(1);
    expect(await clock.textContent()).toContain('代表工委');
    await shot(page, 'settings-04-deputy-clocks');
    await context.close();

    const rev = await signIn(browser, 'reviewer');
    await rev.page.goto(url('/suggestions?status=submitted'));
    await expect.poll(() => rev.page.getByTestId('all-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const statuses = await rev.page
      .getByTestId('all-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(new Set(statuses)).toEqual(new Set(['submitted']));
    expect(await rev.page.locator('#filter-status').inputValue()).toBe('submitted');
    await shot(rev.page, 'settings-05-list-by-status');
    // The item page printed: no navigation, no buttons.
    await rev.page.goto(url(`/suggestions/${itemId}`));
    await expect.poll(() => rev.page.getByTestId('suggestion-detail').count()).toBe(1);
    await rev.page.emulateMedia({ media: 'print' });
    expect(await rev.page.getByTestId('role-nav').isVisible()).toBe(false);
    expect(await rev.page.getByTestId('actions').isVisible()).toBe(false);
    expect(await rev.page.getByTestId('suggestion-detail').isVisible()).toBe(true);
    await shot(rev.page, 'settings-06-item-print');
    await rev.context.close();
  });

  it('the supervisor lands on 今日关注; the unit leader sees 待我签发 and a paged inbox; the dashboard by topic with the trend', async () => {
    const sup = await signIn(browser, 'supervisor');
    await expect.poll(() => sup.page.getByTestId('today-overdue').count(), { timeout: 15_000 }).toBe(1);
    for (const k of ['dueThisWeek', 'awaitingConsultation', 'key'])
      expect(await sup.page.getByTestId(`today-${k}`).count()).toBe(1);
    await shot(sup.page, 'settings-07-supervisor-today');
    await sup.page.goto(url('/dashboard?by=topic'));
    await expect
      .poll(() => sup.page.getByTestId('trend-chart').getAttribute('data-rendered'), { timeout: 20_000 })
      .toBe('true');
    expect(await sup.page.getByTestId('trend-row').count()).toBe(12);
    expect(await sup.page.getByTestId('dash-by').inputValue()).toBe('topic');
    await shot(sup.page, 'settings-08-dashboard-topic-trend');
    await sup.context.close();

    const leader = await signIn(browser, 'jtj.leader');
    await expect.poll(() => leader.page.getByTestId('sign-off-queue').count()).toBe(1);
    await expect.poll(() => leader.page.getByTestId('inbox-total').count(), { timeout: 15_000 }).toBe(1);
    await leader.page.getByTestId('inbox-sort').selectOption('deadlineAt');
    await shot(leader.page, 'settings-09-leader-home');
    await leader.context.close();
  });
});
