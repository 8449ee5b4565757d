import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PHOTO } from '@jianyi/platform/src/testing/photo';
import { JTJ, launch, shot, signIn, url } from './support/workbench';

// 一码通 on a phone: a constituent scans the station's QR code (its URL), writes a message and gets a
// tracking code; the station's deputy claims it and forwards it to 交通局; the unit answers it from
// its inbox; the constituent sees the answer on the tracking page and rates it. Screenshots of each.
const PHONE = { width: 390, height: 844 };
const STATION = 'CZ3K7M'; // 溧城街道人大代表联络站 (demo): deputies 王建国, 陈丽华
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('constituent intake (一码通) on a phone', () => {
  it('scan → write → track → deputy claims and forwards → unit answers → constituent rates', async () => {
    const content = `燕山中路公交站台没有遮雨棚，雨天老人候车很不方便，希望加装。${Date.now()}`;
    const phone = `139${String(Date.now()).slice(-8)}`;

    // The constituent: no account, a phone-sized screen, the URL in the QR code.
    const citizen = await browser.newContext({
      locale: 'zh-CN',
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
    });
    const c = await citizen.newPage();
    await c.goto(url(`/m/${STATION}`));
    await expect.poll(() => c.getByTestId('intake-target').textContent()).toContain('溧城街道人大代表联络站');
    await shot(c, 'intake-01-scan-phone');
    await c.getByTestId('intake-category').selectOption('transport');
    await c.getByTestId('intake-content').fill(content);
    await c.getByTestId('intake-name').fill('陈大爷');
    await c.getByTestId('intake-phone').fill(phone);
    await c.getByTestId('intake-consent').check();
    // A real photo of the place, and a "photo" that is text under a .jpg name (refused, named).
    await c.getByTestId('intake-photos').setInputFiles([
      { name: '站台.jpg', mimeType: 'image/jpeg', buffer: DEMO_PHOTO },
      { name: '假照片.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not an image at all') },
    ]);
    await c.getByTestId('intake-submit').click();
    const codeEl = c.getByTestId('tracking-code');
    await codeEl.waitFor();
    const code = (await codeEl.textContent())!.trim();
    expect(code).toMatch(/^[2-9A-Z]{10}$/);
    await expect.poll(() => c.getByTestId('intake-photos-sent').textContent()).toContain('1 张');
    await expect.poll(() => c.getByTestId('intake-photos-error').count()).toBe(1);
    await shot(c, 'intake-02-tracking-code-phone');
    await c.getByTestId('track-link').click();
    await c.waitForURL((u) => u.pathname === `/m/track/${code}`);
    await expect.poll(() => c.getByTestId('track-status').textContent()).toBe('待认领');
    // The public page never shows the name, the phone or the photos.
    expect(await c.content()).not.toContain(phone);
    expect(await c.content()).not.toContain('陈大爷');
    expect(await c.locator('img[src^="/api/attachments/"]').count()).toBe(0);
    await shot(c, 'intake-03-track-pending-phone');

    // The station's deputy, also on a phone: claims the message and forwards it to 交通局.
    const { context: dctx, page: d } = await signIn(browser, 'wangjianguo', PHONE);
    await d.goto(url('/messages'));
    const row = d.locator(`[data-testid="message-row"][data-code="${code}"]`);
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    await shot(d, 'intake-04-deputy-inbox-phone');
    await row.getByTestId('message-open').click();
    await d.getByTestId('message-claim').click();
    await expect
      .poll(() => d.getByTestId('message-status').textContent(), { timeout: 20_000 })
      .toBe('办理中');
    // The deputy handling it sees the constituent's name and phone, and the one photo (decoded).
    expect(await d.getByTestId('message-person').textContent()).toContain(phone);
    await expect.poll(() => d.getByTestId('message-photo').count()).toBe(1);
    await expect
      .poll(() =>
        d.getByTestId('message-photo').evaluate((img) => {
          const i = img as unknown as { complete: boolean; naturalWidth: number };
          return i.complete ? i.naturalWidth : 0;
        }),
      )
      .toBeGreaterThan(0);
    await d.getByTestId('message-forward-unit').selectOption(JTJ);
    await d.locator('#message-forward-note').fill('请核实站台情况并答复群众');
    await d.getByTestId('message-forward-send').click();
    await expect
      .poll(() => d.getByTestId('message-status').textContent(), { timeout: 20_000 })
      .toBe('已转交单位');
    await shot(d, 'intake-05-deputy-forwarded-phone');
    await dctx.close();

    await expect
      .poll(
        async () => {
          await c.reload();
          return c.getByTestId('track-status').textContent();
        },
        { timeout: 20_000 },
      )
      .toBe('已转交单位');
    expect(await c.getByTestId('track-plain').textContent()).toContain('市交通运输局');

    // The unit: the message is in its inbox beside its suggestions, without the personal data.
    const { context: uctx, page: u } = await signIn(browser, 'jtj.handler');
    const um = u.locator(`[data-testid="unit-message"][data-code="${code}"]`);
    await expect.poll(() => um.count(), { timeout: 20_000 }).toBe(1);
    expect(await u.getByTestId('unit-messages').textContent()).not.toContain(phone);
    // The unit opens the message: the photo is there, the name and phone are not.
    const mp = await uctx.newPage();
    await mp.goto(url(`/messages/${await um.getAttribute('data-id')}`));
    await expect.poll(() => mp.getByTestId('message-photo').count()).toBe(1);
    expect(await mp.getByTestId('message-detail').textContent()).not.toContain(phone);
    await mp.close();
    await um.getByTestId('unit-message-answer').fill('经现场核实，已安排本月内在该站台加装遮雨棚。');
    await shot(u, 'intake-06-unit-inbox');
    await um.getByTestId('unit-message-send').click();
    await expect.poll(() => um.count(), { timeout: 20_000 }).toBe(0);
    await uctx.close();

    // The constituent sees the answer and rates it.
    await expect
      .poll(
        async () => {
          await c.reload();
          return c.getByTestId('track-status').textContent();
        },
        { timeout: 20_000 },
      )
      .toBe('已答复');
    expect(await c.getByTestId('track-answer').textContent()).toContain('加装遮雨棚');
    await shot(c, 'intake-07-track-answered-phone');
    await c.getByTestId('rate-satisfied').check();
    await c.getByTestId('rate-comment').fill('谢谢代表和交通局');
    await c.getByTestId('rate-submit').click();
    await expect.poll(() => c.getByTestId('track-rated').count(), { timeout: 20_000 }).toBe(1);
    expect(await c.getByTestId('track-rated').textContent()).toContain('满意');
    await shot(c, 'intake-08-rated-phone');
    await citizen.close();
  }, 180_000);

  it('the admin sees each station with its QR code and a printable A4 poster', async () => {
    const { context, page } = await signIn(browser, 'admin');
    await page.goto(url('/admin/stations'));
    const row = page.locator(`[data-testid="station-row"][data-code="${STATION}"]`);
    await expect.poll(() => row.count()).toBe(1);
    await shot(page, 'intake-09-admin-stations');
    await row.getByTestId('station-poster').click();
    await page.waitForURL((u) => u.pathname === `/m/${STATION}/poster`);
    const qr = page.getByTestId('poster-qr');
    await expect
      .poll(() =>
        qr.evaluate(
          (img) =>
            (img as unknown as { complete: boolean; naturalWidth: number }).complete &&
            (img as unknown as { naturalWidth: number }).naturalWidth > 0,
        ),
      )
      .toBe(true);
    await page.emulateMedia({ media: 'print' });
    await shot(page, 'intake-10-poster-print');
    await context.close();
  }, 60_000);
});
