/**
 * Helpers of the workbench journeys: a real Chromium (Debian's), one browser context per signed-in
 * user, screenshots saved as test artifacts, and API sessions to put items into the state a
 * journey starts from.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD, demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, waitFor, webBase } from '@jianyi/platform/src/testing';

export const artifacts = path.resolve(__dirname, '../../test-results/screenshots');
export const JTJ = demoId('unit:JTJ');
export const JYJ = demoId('unit:JYJ');

export async function launch(): Promise<Browser> {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // A port offset can land the web app on a port Chromium blocks by default (6000 is X11's).
      `--explicitly-allowed-ports=${new URL(webBase()).port}`,
    ],
  });
}

/** A fresh context (own cookies) signed in as `username`, on its home page. */
export async function signIn(
  browser: Browser,
  username: string,
  viewport = { width: 1280, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport });
  const page = await context.newPage();
  await page.goto(`${webBase()}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect.poll(() => page.getByTestId('role-nav').count(), { timeout: 15_000 }).toBe(1);
  return { context, page };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

export const url = (p: string) => `${webBase()}${p}`;

export const tag = () => randomUUID().slice(0, 8);

/** A suggestion of `by`, submitted and at rest; returns its id. */
export async function submitted(
  by: ApiSession,
  title: string,
  content = '城区部分路段夜间照明不足,存在安全隐患。建议补设路灯并纳入日常巡检维护。',
): Promise<string> {
  const created = await by.call(
    'POST',
    '/api/suggestions',
    { title, content },
    { 'Idempotency-Key': randomUUID() },
  );
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  expect((await by.call('POST', `/api/suggestions/${id}/submit`)).status).toBe(202);
  await waitFor(
    'submitted',
    async () => (await by.call('GET', `/api/suggestions/${id}`)).body.status === 'submitted',
  );
  return id;
}

export async function statusOf(s: ApiSession, id: string): Promise<string> {
  return (await s.call('GET', `/api/suggestions/${id}`)).body.status as string;
}

export { ApiSession, waitFor };

/**
 * Lists are paged (the pre-review queue 20 a page, oldest first; the 交办会 page 50; the admin lists 20),
 * so in a full run a new row is not on the first page: the user searches for it, as a person would.
 * `id` is the list toolbar's id (its form is `<id>-filters`, its keyword field `#<id>-q`).
 */
export async function searchList(page: Page, id: string, q: string): Promise<void> {
  await page.getByTestId(`${id}-filters`).waitFor();
  await page.locator(`#${id}-q`).fill(q);
  await page.getByTestId(`${id}-filters`).getByRole('button', { name: '搜索' }).click();
}

export const searchQueue = (page: Page, q: string) => searchList(page, 'queue', q);
