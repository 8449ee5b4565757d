import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { STRONG_TEST_PASSWORD } from '@jianyi/platform/src/testing';
import {
  ApiSession,
  JTJ,
  launch,
  searchList,
  shot,
  signIn,
  statusOf,
  submitted,
  url,
  waitFor,
} from './support/workbench';

// Paged lists as the people who use them live them (issue 15): the admin finds an account by name on
// the second page of a search, deactivates it and sees it under 已停用; finds units by 单位类别 and
// deputies by 代表团. The reviewer searches a large 交办会 batch for one item, pages through it, picks
// items on two pages and assigns them together. The filters and the page live in the address. (axe runs
// on these pages in e2e/accessibility.e2e.test.ts.)
let browser: Browser;
let ds: DataSource;
const tag = randomUUID().slice(0, 6);
const made = { users: [] as string[], units: [] as string[], deputies: [] as string[] };

beforeAll(async () => {
  ds = await openDataSource();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  if (ds?.isInitialized) {
    await ds.query(`DELETE FROM sessions WHERE user_id = ANY($1::uuid[])`, [made.users]);
    await ds.query(`DELETE FROM users WHERE id = ANY($1::uuid[])`, [made.users]);
    await ds.query(`DELETE FROM units WHERE id = ANY($1::uuid[])`, [made.units]);
    await ds.query(`DELETE FROM deputies WHERE id = ANY($1::uuid[])`, [made.deputies]);
    await ds.destroy();
  }
});

const rowsOf = (page: Page, testid: string, attr: string) =>
  page
    .locator(`[data-testid="${testid}"]`)
    .evaluateAll(
      (els, a) => els.map((e) => (e as unknown as { getAttribute: (n: string) => string }).getAttribute(a)),
      attr,
    );

describe('the admin lists', () => {
  it('finds an account by name on page 2, deactivates it and sees it under 已停用', async () => {
    const admin = await ApiSession.login('admin');
    // 25 accounts of one 科室 (代表工委 staff), all named …${tag}; the one to find is the 24th by login name.
    for (let i = 0; i < 25; i++) {
      const r = await admin.call('POST', '/api/admin/users', {
        username: `kf${tag}.${String(i).padStart(2, '0')}`,
        password: STRONG_TEST_PASSWORD,
        displayName: i === 23 ? `司马${tag}` : `科员${tag}-${i}`,
        role: 'reviewer',
      });
      expect(r.status).toBe(201);
      made.users.push(r.body.id);
    }
    const target = `kf${tag}.23`;

    const { context, page } = await signIn(browser, 'admin');
    await page.goto(url('/admin/users'));
    await searchList(page, 'users', tag);
    await expect.poll(() => page.getByTestId('users-total').textContent()).toBe('共 25 条');
    expect(await rowsOf(page, 'user-row', 'data-username')).toHaveLength(20);
    expect(await page.locator(`[data-testid="user-row"][data-username="${target}"]`).count()).toBe(0);
    await page.getByTestId('users-pager').getByRole('button', { name: '下一页' }).click();
    await expect
      .poll(() => rowsOf(page, 'user-row', 'data-username'))
      .toEqual([20, 21, 22, 23, 24].map((i) => `kf${tag}.${i}`));
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');
    expect(await page.getByTestId('users-pager').textContent()).toContain('第 2 / 2 页');
    const row = page.locator(`[data-testid="user-row"][data-username="${target}"]`);
    expect(await row.locator('td').nth(1).textContent()).toBe(`司马${tag}`);
    await shot(page, 'admin-users-page-2');
    // An address past the last page (an old link) keeps the pager; 上一页 leads back to the last page.
    await page.goto(url(`/admin/users?q=${tag}&page=9`));
    await expect.poll(() => page.getByTestId('users-pager').textContent()).toContain('第 9 / 2 页');
    await page.getByTestId('users-pager').getByRole('button', { name: '上一页' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('page')).toBe('2');
    await expect.poll(() => rowsOf(page, 'user-row', 'data-username')).toHaveLength(5);

    // Deactivate (停用) it from the row; the API has it inactive.
    await row.getByRole('checkbox', { name: `启用:${target}` }).uncheck();
    await waitFor('deactivated', async () => {
      const r = await admin.call('GET', `/api/admin/users?q=${target}`);
      return r.body.items[0]?.active === false;
    });
    // The state filter: only it among the 25 is deactivated; the search by its Chinese name alone finds it too.
    await page.getByTestId('users-active').selectOption('false');
    await expect.poll(() => rowsOf(page, 'user-row', 'data-username')).toEqual([target]);
    expect(new URL(page.url()).searchParams.get('active')).toBe('false');
    expect(new URL(page.url()).searchParams.get('page')).toBeNull();
    await shot(page, 'admin-users-deactivated');
    await page.goto(url(`/admin/users?q=${encodeURIComponent(`司马${tag}`)}`));
    await expect.poll(() => rowsOf(page, 'user-row', 'data-username')).toEqual([target]);
    await page.getByTestId('users-active').selectOption('true');
    await expect.poll(() => page.getByTestId('users-empty').count()).toBe(1);
    await context.close();
  });

  it('finds units by 单位类别 and deputies by 代表团', async () => {
    const admin = await ApiSession.login('admin');
    for (const [i, kind] of ['township', 'township', 'judicial'].entries()) {
      const r = await admin.call('POST', '/api/admin/units', {
        code: `U${tag}${i}`,
        name: kind === 'township' ? `列表${i}镇${tag}` : `列表法院${tag}`,
        kind,
      });
      expect(r.status).toBe(201);
      made.units.push(r.body.id);
    }
    for (let i = 0; i < 30; i++) {
      const id = randomUUID();
      made.deputies.push(id);
      await ds.query(`INSERT INTO deputies (id, name, town, delegation) VALUES ($1, $2, $3, $4)`, [
        id,
        i === 7 ? '东方明月' : `代表${tag}-${i}`,
        `列表镇${tag}`,
        i < 25 ? `列表代表团${tag}` : `别的代表团${tag}`,
      ]);
    }

    const { context, page } = await signIn(browser, 'admin');
    await page.goto(url(`/admin/units?q=${tag}`));
    await expect.poll(() => page.getByTestId('units-total').textContent()).toBe('共 3 条');
    await page.getByTestId('units-kind').selectOption('township');
    await expect.poll(() => rowsOf(page, 'unit-row', 'data-code')).toEqual([`U${tag}0`, `U${tag}1`]);
    // Re-classed from its row: it leaves the 镇（街道） list.
    await page
      .locator(`[data-testid="unit-row"][data-code="U${tag}1"]`)
      .getByTestId('unit-kind')
      .selectOption('vertical');
    await expect.poll(() => rowsOf(page, 'unit-row', 'data-code')).toEqual([`U${tag}0`]);
    await shot(page, 'admin-units-by-kind');

    await page.goto(url('/admin/deputies'));
    await page.getByTestId('deputies-delegation').selectOption(`列表代表团${tag}`);
    await expect.poll(() => page.getByTestId('deputies-total').textContent()).toBe('共 25 条');
    expect(await rowsOf(page, 'deputy-row', 'data-id')).toHaveLength(20);
    // Two characters of a name, within the delegation.
    await searchList(page, 'deputies', '明月');
    await expect.poll(() => rowsOf(page, 'deputy-row', 'data-id')).toEqual([made.deputies[7]]);
    expect(new URL(page.url()).searchParams.get('delegation')).toBe(`列表代表团${tag}`);
    await shot(page, 'admin-deputies-by-delegation');
    await context.close();
  });
});

describe('交办会 with a large batch', () => {
  it('the reviewer searches, pages through, picks on two pages and assigns them together', async () => {
    const wang = await ApiSession.login('wangjianguo');
    const reviewerApi = await ApiSession.login('reviewer');
    const ids: string[] = [];
    for (let i = 1; i <= 24; i++) {
      const title =
        i === 17 ? `关于推广垃圾分类积分兑换的建议 ${tag}` : `关于第${i}批背街小巷整治的建议 ${tag}`;
      const id = await submitted(wang, title);
      expect(
        (await reviewerApi.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' })).status,
      ).toBe(200);
      ids.push(id);
    }
    const regNo = async (id: string) =>
      (await reviewerApi.call('GET', `/api/suggestions/${id}`)).body.registrationNo as string;
    // The batch in 立案号 order, as the page lists it.
    const byRegNo = (await Promise.all(ids.map(async (id) => [id, await regNo(id)] as const)))
      .sort((a, b) => (a[1] < b[1] ? -1 : 1))
      .map(([id]) => id);

    const { context, page } = await signIn(browser, 'reviewer');
    await page.goto(url('/review/assign'));
    await page.getByTestId('bulk-page-size').selectOption('20');
    await searchList(page, 'bulk', tag);
    await expect
      .poll(() => page.getByTestId('bulk-total').textContent(), { timeout: 20_000 })
      .toBe('共 24 件');
    await expect.poll(() => rowsOf(page, 'bulk-row', 'data-id')).toEqual(byRegNo.slice(0, 20));
    // Pick the first on page 1, then the last two on page 2: the choice is kept across pages.
    await page
      .locator(`[data-testid="bulk-row"][data-id="${byRegNo[0]}"]`)
      .getByTestId('select-item')
      .check();
    await page.getByTestId('bulk-pager').getByRole('button', { name: '下一页' }).click();
    await expect.poll(() => rowsOf(page, 'bulk-row', 'data-id')).toEqual(byRegNo.slice(20));
    for (const id of byRegNo.slice(22))
      await page.locator(`[data-testid="bulk-row"][data-id="${id}"]`).getByTestId('select-item').check();
    const selectedText = async () =>
      (await page.getByTestId('bulk-selected').textContent())!.replace(/\s+/g, '');
    expect(await selectedText()).toBe('已选3件（其中1件不在本页）');
    await shot(page, 'reviewer-assign-page-2');

    // 选择全部: every one of the 24, then back to the three.
    await page.getByTestId('bulk-pager').getByRole('button', { name: '上一页' }).click();
    await page.getByTestId('select-matching').click();
    await expect.poll(selectedText).toMatch(/^已选24件/);
    await page.getByTestId('select-none').click();
    expect(await selectedText()).toBe('已选0件');

    // One item by its own words (and the batch's tag: other runs' items may share the words).
    await searchList(page, 'bulk', `积分兑换 ${tag}`);
    await expect.poll(() => rowsOf(page, 'bulk-row', 'data-id')).toEqual([ids[16]]);
    await page.locator(`[data-testid="bulk-row"][data-id="${ids[16]}"]`).getByTestId('select-item').check();
    await searchList(page, 'bulk', tag);
    await expect.poll(() => page.getByTestId('bulk-total').textContent()).toBe('共 24 件');
    await page
      .locator(`[data-testid="bulk-row"][data-id="${byRegNo[0]}"]`)
      .getByTestId('select-item')
      .check();
    expect(await selectedText()).toMatch(/^已选2件/);

    await page.getByTestId('assign-lead').selectOption(JTJ);
    await page.getByTestId('bulk-submit').click();
    await expect
      .poll(() => page.getByTestId('bulk-notice').textContent(), { timeout: 60_000 })
      .toContain('已交办 2 / 2 件');
    expect(await statusOf(reviewerApi, ids[16]!)).toBe('assigned');
    expect(await statusOf(reviewerApi, byRegNo[0]!)).toBe('assigned');
    // They leave the accepted list; the other 22 stay.
    await expect
      .poll(() => page.getByTestId('bulk-total').textContent(), { timeout: 20_000 })
      .toBe('共 22 件');
    await context.close();
  });
});
