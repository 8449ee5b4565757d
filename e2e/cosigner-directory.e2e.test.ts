import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '@jianyi/platform';
import { launch, shot, signIn, tag } from './support/workbench';

// 联名 at a province's size: with more deputies than the picker lists at once (200), the deputy sees how
// many there are, finds a co-signer who is not among the first ones by typing her name (the server
// searches), ticks her, and she stays ticked when the search is cleared; the draft names her.
const t = tag();
const TOWN = `AAA名录测试${t}`; // sorts before every demo town: the first 200 are these
let browser: Browser;
let ds: DataSource;
const made: string[] = [];

beforeAll(async () => {
  browser = await launch();
  ds = await openDataSource();
  for (let i = 0; i < 210; i++) made.push(randomUUID());
  await ds.query(
    `INSERT INTO deputies (id, name, town, delegation, level)
     SELECT id, '名录代表' || n || $2, $3, '名录测试代表团' || $2, 'city'
     FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n)`,
    [made, t, TOWN],
  );
});
afterAll(async () => {
  await ds?.query(`DELETE FROM deputies WHERE id = ANY($1::uuid[])`, [made]);
  await ds?.destroy();
  await browser?.close();
});

describe('the co-signer picker with many deputies', () => {
  it('finds a deputy beyond the first 200 by name, keeps her ticked, and the draft names her', async () => {
    const { context, page } = await signIn(browser, 'wangjianguo');
    // The deputy's workbench (home) holds the draft form.
    const picker = page.getByTestId('cosigners');
    await expect.poll(() => picker.getByTestId('cosigners-many').textContent()).toMatch(/此处列出前 200 位/);
    // 李秀英 (溧城街道) is not among the first 200 of the directory's order.
    expect(await picker.locator('[data-testid="cosigner"][data-name="李秀英"]').count()).toBe(0);
    expect(await picker.locator('[data-testid="cosigner"]').count()).toBe(200);

    await page.locator('#cosigner-filter').fill('李秀英');
    const li = picker.locator('[data-testid="cosigner"][data-name="李秀英"]');
    await expect.poll(() => li.count(), { timeout: 10_000 }).toBe(1);
    await li.check();
    await shot(page, 'deputy-cosigner-search');
    // Cleared, the list is the first 200 again, with 李秀英 ticked on top of it.
    await page.locator('#cosigner-filter').fill('');
    await expect.poll(() => picker.locator('[data-testid="cosigner"]').count()).toBe(201);
    expect(await li.isChecked()).toBe(true);
    // A name no deputy has: nothing listed but her, and the hint says so.
    await page.locator('#cosigner-filter').fill(`无此人${t}`);
    await expect.poll(() => picker.locator('[data-testid="cosigner"]').count()).toBe(1);

    const title = `关于名录联名测试的建议 ${t}`;
    await page.getByTestId('suggestion-title').fill(title);
    await page.getByTestId('suggestion-content').fill('测试在代表很多时按姓名查找联名代表。');
    await page.getByTestId('suggestion-save-draft').click();
    const row = page.getByTestId('suggestion-row').filter({ hasText: title });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    // The draft's page names her as co-signer (联名).
    const id = (await row.getAttribute('data-id'))!;
    await row.getByRole('link').click();
    await expect.poll(() => page.getByTestId('detail-cosigners').textContent()).toContain('李秀英');
    expect(new URL(page.url()).pathname).toBe(`/suggestions/${id}`);
    await context.close();
  });
});
