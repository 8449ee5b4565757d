/**
 * 导出 Excel on every list page (issue 15: "export of any list view as xlsx with the filters applied"),
 * as the role who uses each list: the reviewer's suggestion list and pre-review queue, a unit's inbox,
 * a station's messages. Each button is clicked in the real Chromium, the download is opened with
 * exceljs, and its rows are exactly the items the filtered list shows (screenshots exports-01…).
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, JTJ, launch, shot, signIn, submitted, tag, url, waitFor } from './support/workbench';

let browser: Browser;
let t: string;
let deputy: ApiSession;
let reviewer: ApiSession;
/** Two submitted items and one draft whose titles carry the tag. */
const titles = { submitted: [] as string[], draft: '' };

beforeAll(async () => {
  browser = await launch();
  t = tag();
  [deputy, reviewer] = await Promise.all([ApiSession.login('wangjianguo'), ApiSession.login('reviewer')]);
  for (const n of [1, 2]) {
    const title = `关于完善导出测试${t}的第${n}条建议`;
    titles.submitted.push(title);
    await submitted(deputy, title);
  }
  titles.draft = `关于完善导出测试${t}的草稿`;
  const d = await deputy.call(
    'POST',
    '/api/suggestions',
    { title: titles.draft, content: '草稿不应出现在已提交的导出中。' },
    { 'Idempotency-Key': randomUUID() },
  );
  expect(d.status).toBe(201);
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

/** Clicks the export link, waits for the download and answers its first sheet's rows (header first). */
async function download(page: Page, testid: string): Promise<string[][]> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile((await file.path())!);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((row) =>
    rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))),
  );
  return rows;
}
const column = (rows: string[][], header: string) => {
  const i = rows[0]!.indexOf(header);
  expect(i).toBeGreaterThanOrEqual(0);
  return rows.slice(1).map((r) => r[i]!);
};

describe('导出 Excel on the list pages', () => {
  it('the reviewer exports the suggestion list as filtered (status and keyword)', async () => {
    const { page, context } = await signIn(browser, 'reviewer');
    await page.goto(url(`/suggestions?status=submitted&q=${encodeURIComponent(`导出测试${t}`)}`));
    await expect.poll(() => page.getByTestId('all-row').count(), { timeout: 15_000 }).toBe(2);
    const rows = await download(page, 'filter-export');
    expect(column(rows, '标题').sort()).toEqual([...titles.submitted].sort());
    expect(new Set(column(rows, '当前状态'))).toEqual(new Set(['已提交']));
    await shot(page, 'exports-01-suggestion-list');
    await context.close();
  });

  it('the pre-review queue is searched, paged and exported with its filter', async () => {
    const { page, context } = await signIn(browser, 'reviewer');
    await page.getByTestId('queue-filters').waitFor();
    await page.locator('#queue-q').fill(`导出测试${t}`);
    await page.getByTestId('queue-filters').getByRole('button', { name: '搜索' }).click();
    await expect
      .poll(() => page.getByTestId('queue-total').textContent(), { timeout: 15_000 })
      .toContain('共 2 件');
    const rows = await download(page, 'queue-export');
    expect(column(rows, '标题').sort()).toEqual([...titles.submitted].sort());
    await shot(page, 'exports-02-review-queue');
    await context.close();
  });

  it('a unit exports its inbox with the open/done filter', async () => {
    const title = titles.submitted[0]!;
    const list = await reviewer.call('GET', `/api/suggestions?q=${encodeURIComponent(title)}`);
    const id = (list.body.items as { id: string; title: string }[]).find((x) => x.title === title)!.id;
    expect(
      (await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' })).status,
    ).toBe(200);
    await waitFor(
      'accepted',
      async () => (await reviewer.call('GET', `/api/suggestions/${id}`)).body.status === 'accepted',
    );
    const assign = await reviewer.call('POST', `/api/suggestions/${id}/assign`, {
      mode: 'lead',
      leadUnitId: JTJ,
      coUnitIds: [],
    });
    expect(assign.status).toBe(200);
    const { page, context } = await signIn(browser, 'jtj.handler');
    await page.locator('#inbox-q').fill(`导出测试${t}`);
    await page.getByTestId('inbox-state').selectOption('open');
    await page.getByTestId('inbox-filters').getByRole('button', { name: '搜索' }).click();
    await expect.poll(() => page.getByTestId('inbox-row').count(), { timeout: 20_000 }).toBe(1);
    const rows = await download(page, 'inbox-export');
    expect(column(rows, '标题')).toEqual([title]);
    expect(column(rows, '本单位状态')).toEqual(['待签收']);
    await shot(page, 'exports-03-unit-inbox');
    // Done: nothing of this item in the file.
    await page.getByTestId('inbox-state').selectOption('done');
    await expect.poll(() => page.getByTestId('inbox-empty').count(), { timeout: 15_000 }).toBe(1);
    expect(await download(page, 'inbox-export')).toHaveLength(1);
    await context.close();
  });

  it('a station’s staff export the messages as filtered, with the constituent’s name and phone', async () => {
    const anon = new ApiSession();
    const codes: string[] = [];
    for (const n of [1, 2]) {
      const r = await anon.call(
        'POST',
        '/api/intake/targets/CZ3K7M/messages',
        {
          category: 'transport',
          content: `导出测试${t}：燕山路第${n}个路口缺少人行横道，希望施划。`,
          name: '周阿姨',
          phone: `1380000${String(1000 + n)}`,
          consent: true,
        },
        { 'X-Forwarded-For': `203.0.113.${n + 10}` },
      );
      expect(r.status).toBe(201);
      codes.push(r.body.trackingCode);
    }
    const { page, context } = await signIn(browser, 'lc.staff');
    await page.goto(url(`/messages?q=${encodeURIComponent(`导出测试${t}`)}`));
    await expect
      .poll(() => page.getByTestId('messages-total').textContent(), { timeout: 15_000 })
      .toContain('共 2 件');
    const rows = await download(page, 'messages-export');
    expect(column(rows, '查询码').sort()).toEqual([...codes].sort());
    expect(new Set(column(rows, '留言人'))).toEqual(new Set(['周阿姨']));
    await shot(page, 'exports-04-messages');
    await context.close();
  });
});
