/**
 * Accessibility tour (issue 15): every main page, as the role who uses it, checked with axe-core in
 * the real Chromium (WCAG 2.1 A/AA): no serious or critical violation. Each page is also kept as a
 * screenshot (a11y-<role>-<page>.png). The item pages use an item each role can see, made here
 * through the API (submitted, then assigned to 交通局 so the unit sees it too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, JTJ, launch, shot, submitted, tag, url, waitFor } from './support/workbench';
import { axeViolations, type A11yViolation } from './support/a11y';

let browser: Browser;
let itemId: string;

beforeAll(async () => {
  browser = await launch();
  const deputy = await ApiSession.login('wangjianguo');
  itemId = await submitted(deputy, `无障碍巡检：公交站台加装盲道提示 ${tag()}`);
  const reviewer = await ApiSession.login('reviewer');
  expect(
    (await reviewer.call('POST', `/api/suggestions/${itemId}/review`, { decision: 'accept' })).status,
  ).toBe(200);
  await waitFor(
    'accepted',
    async () => (await reviewer.call('GET', `/api/suggestions/${itemId}`)).body?.status === 'accepted',
  );
  expect(
    (
      await reviewer.call('POST', `/api/suggestions/${itemId}/assign`, {
        mode: 'lead',
        leadUnitId: JTJ,
        coUnitIds: [],
      })
    ).status,
  ).toBe(200);
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

/** A context that lets axe's script in (the app's CSP forbids inline scripts, rightly), signed in. */
async function as(username: string | null): Promise<Page> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
    bypassCSP: true,
  });
  const page = await context.newPage();
  if (username) {
    await page.goto(url('/login'));
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('role-nav').count(), { timeout: 15_000 }).toBe(1);
  }
  return page;
}

/** Visits each path and answers the violations found, by page. */
async function tour(
  who: string,
  username: string | null,
  paths: string[],
): Promise<Record<string, A11yViolation[]>> {
  const page = await as(username);
  const found: Record<string, A11yViolation[]> = {};
  for (const p of paths) {
    await page.goto(url(p));
    await page.waitForLoadState('networkidle');
    await shot(page, `a11y-${who}-${p.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'}`);
    const v = await axeViolations(page);
    if (v.length) found[p] = v;
  }
  await page.context().close();
  return found;
}

describe('accessibility (axe-core, WCAG 2.1 AA): no serious or critical violation on any main page', () => {
  it('the public and the login page', async () => {
    // …and the constituent's pages of 一码通: the station's QR page, the tracking form, the poster.
    expect(
      await tour('public', null, ['/login', '/public', '/m/CZ3K7M', '/m/track', '/m/CZ3K7M/poster']),
    ).toEqual({});
  });

  it('a deputy: home, list (with the new-suggestion form), item, points, notices, messages, password', async () => {
    expect(
      await tour('deputy', 'wangjianguo', [
        '/',
        '/suggestions',
        `/suggestions/${itemId}`,
        '/points',
        '/notifications',
        '/messages',
        '/account/password',
        '/account/notifications',
      ]),
    ).toEqual({});
  });

  it('the reviewer: queue, item, 交办会, requests, key items, dashboard', async () => {
    expect(
      await tour('reviewer', 'reviewer', [
        '/',
        '/suggestions',
        `/suggestions/${itemId}`,
        '/review/assign',
        '/review/requests',
        '/review/key',
        '/dashboard',
      ]),
    ).toEqual({});
  });

  it("a unit's handler: inbox and the item", async () => {
    expect(
      await tour('unit', 'jtj.handler', ['/', `/suggestions/${itemId}`, '/account/notifications']),
    ).toEqual({});
    // The unit leader's home page has 待我签发 above the inbox.
    expect(await tour('unit leader', 'jtj.leader', ['/'])).toEqual({});
  });

  it("a station's staff: the message inbox", async () => {
    expect(await tour('station', 'lc.staff', ['/', '/messages'])).toEqual({});
  });

  it('the supervisor: supervision, dashboard, audit log', async () => {
    expect(await tour('supervisor', 'supervisor', ['/', '/supervision', '/dashboard', '/audit'])).toEqual({});
  });

  it('the admin: units, remits, stations, a station, Open311, users, deputies, calendar, policy, sessions', async () => {
    expect(
      await tour('admin', 'admin', [
        '/admin/units',
        '/admin/remits',
        '/admin/stations',
        `/admin/stations/${demoId('station:lc')}`,
        '/admin/open311',
        '/admin/users',
        '/admin/deputies',
        '/admin/calendar',
        '/admin/policy',
        '/admin/sessions',
        '/admin/robots',
      ]),
    ).toEqual({});
  });
});
