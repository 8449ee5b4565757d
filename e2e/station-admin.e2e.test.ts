import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, shot, signIn, tag, url } from './support/workbench';

// 家站点 kept from the browser: the admin creates a station, attaches a deputy, puts him on duty
// today; the station's public page (what its QR code opens) and the deputy's own inbox show it. A
// roster naming a deputy no longer attached is refused with the field named. Then the admin finds
// the station by search and closes it: its QR page answers no more.
let browser: Browser;
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('stations (家站点) edited by the admin', () => {
  it('create → attach a deputy → duty today → public page and deputy see it → refusal → search → close', async () => {
    const name = `E2E测试联络点${tag()}`;
    const { context, page } = await signIn(browser, 'admin');
    await page.goto(url('/admin/stations'));
    const create = page.getByTestId('station-create');
    await create.locator('#st-name').fill(name);
    await create.locator('#st-kind').selectOption('point');
    await create.locator('#st-town').fill('溧城街道');
    await create.locator('#st-address').fill('燕山中路 88 号');
    await create.locator('#st-hours').fill('每周三 9:00–11:00');
    await create.getByRole('button').click();

    // The new station's page: attach 张志强 and save.
    const detail = page.getByTestId('station-detail');
    await detail.waitFor();
    const code = (await detail.getAttribute('data-code'))!;
    expect(code).toMatch(/^[2-9A-Z]{6}$/);
    await page.locator('[data-testid="station-deputy"][data-name="张志强"]').check();
    await page.getByTestId('station-hours').fill('每周三、周五 9:00–11:00');
    await page.getByTestId('station-save').click();
    await expect.poll(() => page.getByTestId('station-save-notice').count(), { timeout: 15_000 }).toBe(1);

    // The roster: 张志强 on duty all day today.
    await page.getByTestId('duty-add').click();
    const row = page.getByTestId('duty-row').first();
    await row.getByTestId('duty-day').fill(today);
    await row.getByTestId('duty-slot').selectOption('day');
    await page.getByTestId('duty-save').click();
    await expect.poll(() => page.getByTestId('duty-save-notice').count(), { timeout: 15_000 }).toBe(1);
    await shot(page, 'station-01-admin-roster');

    // What the QR code opens: the deputy on duty today, the hours as edited.
    const citizen = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    const c = await citizen.newPage();
    await c.goto(url(`/m/${code}`));
    await expect.poll(() => c.getByTestId('intake-on-duty').textContent()).toContain('张志强（全天）');
    expect(await c.getByTestId('intake-target').textContent()).toContain('每周三、周五 9:00–11:00');
    await shot(c, 'station-02-public-on-duty-phone');

    // The deputy on duty sees the duty in his inbox.
    const { context: dctx, page: d } = await signIn(browser, 'zhangzhiqiang');
    await d.goto(url('/messages'));
    const duties = d.getByTestId('my-duties');
    await expect.poll(() => duties.textContent()).toContain(name);
    expect(await duties.textContent()).toContain(`${today} 全天`);
    await shot(d, 'station-03-deputy-duties');

    // Unhappy path: 张志强 detached, the roster still names him → refused, naming the duty's deputy.
    await page.locator('[data-testid="station-deputy"][data-name="张志强"]').uncheck();
    await page.locator('[data-testid="station-deputy"][data-name="陈丽华"]').check();
    await page.getByTestId('station-save').click();
    await expect.poll(() => page.getByTestId('station-save-notice').count(), { timeout: 15_000 }).toBe(1);
    // The page reloaded the station: its saved roster (from today) still has 张志强's row.
    await page.getByTestId('duty-save').click();
    await expect
      .poll(() => page.getByTestId('duty-save-error').textContent(), { timeout: 15_000 })
      .toContain('值班代表须为本站进站代表');
    // Fixed: the row goes to 陈丽华.
    await page.getByTestId('duty-row').first().getByTestId('duty-deputy').selectOption({ label: '陈丽华' });
    await page.getByTestId('duty-save').click();
    await expect.poll(() => page.getByTestId('duty-save-notice').count(), { timeout: 15_000 }).toBe(1);
    await c.reload();
    await expect.poll(() => c.getByTestId('intake-on-duty').textContent()).toContain('陈丽华（全天）');
    await d.reload();
    await expect.poll(() => d.getByTestId('my-duties').textContent()).not.toContain(name);
    await dctx.close();

    // Search finds it; closing it makes its QR page answer no more.
    await page.goto(url('/admin/stations'));
    await page.getByTestId('station-search').fill(name);
    await page.getByTestId('station-search').press('Enter');
    await expect.poll(() => page.getByTestId('station-row').count()).toBe(1);
    expect(await page.getByTestId('station-total').textContent()).toContain('共 1 个站点');
    await shot(page, 'station-04-admin-search');
    await page.getByTestId('station-edit').click();
    await page.getByTestId('station-detail').waitFor();
    await page.getByTestId('station-form').getByLabel('启用').uncheck();
    await page.getByTestId('station-save').click();
    await expect.poll(() => page.getByTestId('station-save-notice').count(), { timeout: 15_000 }).toBe(1);
    await c.reload();
    await expect.poll(() => c.getByTestId('intake-target').count()).toBe(0);
    await citizen.close();
    await context.close();
  }, 180_000);
});
