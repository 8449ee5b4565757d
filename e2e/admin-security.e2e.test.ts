import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { openDataSource } from '@jianyi/platform';
import { DEMO_PASSWORD } from '@jianyi/platform/src/db/seed';
import { ApiSession, STRONG_TEST_PASSWORD, webBase } from '@jianyi/platform/src/testing';
import { launch, shot } from './support/workbench';

// The admin keeps units (rename, 撤并) and accounts (主要负责人, password reset) in a real Chromium;
// the reset user is made to choose a new password before anything else. Every page carries a CSP and
// anti-framing headers, and nothing on them breaks the CSP (no console violation).
let browser: Browser;
let ds: DataSource;
const tag = randomUUID().slice(0, 6).toUpperCase();
const created = { units: [] as string[], users: [] as string[] };

beforeAll(async () => {
  ds = await openDataSource();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  if (ds?.isInitialized) {
    if (created.users.length) {
      await ds.query(`DELETE FROM sessions WHERE user_id = ANY($1::uuid[])`, [created.users]);
      await ds.query(`DELETE FROM users WHERE id = ANY($1::uuid[])`, [created.users]);
    }
    if (created.units.length) await ds.query(`DELETE FROM units WHERE id = ANY($1::uuid[])`, [created.units]);
    await ds.destroy();
  }
});

async function open(username: string, password: string): Promise<{ page: Page; violations: string[] }> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(`${webBase()}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => u.pathname !== '/login');
  return { page, violations };
}

describe('admin and account security in the browser', () => {
  it('the admin renames and deactivates a unit; the reviewer no longer sees it', async () => {
    const admin = await ApiSession.login('admin');
    const u = await admin.call('POST', '/api/admin/units', { code: `E${tag}`, name: `浏览器测试局${tag}` });
    expect(u.status).toBe(201);
    created.units.push(u.body.id);

    const { page, violations } = await open('admin', DEMO_PASSWORD);
    const res = await page.goto(`${webBase()}/admin/units?q=E${tag}`);
    expect(res!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res!.headers()['x-frame-options']).toBe('DENY');
    const row = page.locator(`[data-testid="unit-row"][data-code="E${tag}"]`);
    await row.getByRole('button', { name: '更名' }).click();
    await row.getByRole('textbox').fill(`浏览器测试管理局${tag}`);
    await row.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => row.locator('td').nth(1).textContent()).toBe(`浏览器测试管理局${tag}`);
    await row.getByTestId('unit-toggle').click();
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('已撤并');
    await shot(page, 'admin-units');
    // The audit log shows the rename and the deactivation, with the admin as actor.
    await page.goto(`${webBase()}/audit?entityId=${u.body.id}`);
    await expect
      .poll(async () =>
        (
          await page
            .getByTestId('audit-row')
            .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))
        ).sort(),
      )
      .toEqual(['unit.create', 'unit.update', 'unit.update']);
    await shot(page, 'audit-log');
    const reviewer = await ApiSession.login('reviewer');
    const dir = (await reviewer.call('GET', '/api/directory/units')).body.items as { id: string }[];
    expect(dir.some((x) => x.id === u.body.id)).toBe(false);
    expect(violations).toEqual([]);
  });

  it('the admin marks a principal leader and resets a password; the user must change it first', async () => {
    const admin = await ApiSession.login('admin');
    const username = `e2e.lead.${tag.toLowerCase()}`;
    const made = await admin.call('POST', '/api/admin/users', {
      username,
      password: STRONG_TEST_PASSWORD,
      displayName: `测试局长${tag}`,
      role: 'unit_leader',
      unitId: (await admin.call('GET', '/api/admin/units')).body.items[0].id,
    });
    expect(made.status).toBe(201);
    created.users.push(made.body.id);

    const { page } = await open('admin', DEMO_PASSWORD);
    await page.goto(`${webBase()}/admin/users?q=${username}`);
    const row = page.locator(`[data-testid="user-row"][data-username="${username}"]`);
    await row.getByTestId('principal').check();
    await expect
      .poll(async () => (await admin.call('GET', `/api/admin/users?q=${username}`)).body.items[0].principal)
      .toBe(true);
    await row.getByRole('button', { name: '重置密码' }).click();
    const notice = page.getByTestId('admin-notice');
    await expect.poll(() => notice.textContent()).toContain('临时密码');
    const temporary = /临时密码（[^）]*）：([\w-]+)/.exec((await notice.textContent()) ?? '')![1]!;

    // The user signs in with it and is taken to the password page; nothing else opens until changed.
    const { page: me } = await open(username, temporary);
    await me.waitForURL(`${webBase()}/account/password`);
    await expect.poll(() => me.getByTestId('must-change').isVisible()).toBe(true);
    await me.goto(`${webBase()}/`);
    await me.waitForURL(`${webBase()}/account/password`);
    await shot(me, 'must-change-password');
    await me.getByLabel('当前密码').fill(temporary);
    await me.getByLabel('新密码', { exact: true }).fill('password1234');
    await me.getByLabel('再次输入新密码').fill('password1234');
    await me.getByRole('button', { name: '修改密码' }).click();
    await expect.poll(() => me.getByTestId('password-error').textContent()).toContain('过于常见');
    await me.getByLabel('新密码', { exact: true }).fill('Violet-Harbor-Kite-62');
    await me.getByLabel('再次输入新密码').fill('Violet-Harbor-Kite-62');
    await me.getByRole('button', { name: '修改密码' }).click();
    await me.waitForURL(`${webBase()}/`);
    expect((await ApiSession.login(username, 'Violet-Harbor-Kite-62')) instanceof ApiSession).toBe(true);
  });
});
