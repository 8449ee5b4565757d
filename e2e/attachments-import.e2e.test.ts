/**
 * 附件 and Excel 导入 in the browser (issue 15): the lead deputy attaches a site photo to a draft on
 * its page and sees the thumbnail; the admin imports an xlsx of units with one bad row and sees the
 * row-by-row report (row and column named), then the corrected file is imported. Screenshots of both.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PHOTO } from '@jianyi/platform/src/testing/photo';
import { ApiSession, launch, shot, signIn, tag, url } from './support/workbench';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('attachments and Excel import in the browser', () => {
  it('the lead deputy uploads a photo to a draft and sees its thumbnail', async () => {
    const t = tag();
    const api = await ApiSession.login('wangjianguo');
    const draft = await api.call(
      'POST',
      '/api/suggestions',
      { title: `关于增设非机动车停放区的建议 ${t}`, content: '地铁站出口非机动车乱停放，建议增设停放区。' },
      { 'Idempotency-Key': randomUUID() },
    );
    expect(draft.status).toBe(201);
    const { context, page } = await signIn(browser, 'wangjianguo');
    await page.goto(url(`/suggestions/${String(draft.body.id)}`));
    const form = page.getByTestId('attachment-form');
    await form.waitFor();
    await page.getByTestId('attachment-file').setInputFiles({
      name: '现场照片.jpg',
      mimeType: 'image/jpeg',
      buffer: DEMO_PHOTO,
    });
    await page.getByTestId('attachment-upload').click();
    await expect.poll(() => page.getByTestId('attachment-done').textContent()).toContain('现场照片.jpg');
    const thumb = page.getByTestId('attachment-thumbnail').first();
    await thumb.waitFor();
    // The thumbnail really loaded (an image the browser decoded), not a broken link.
    await expect
      .poll(() =>
        thumb.evaluate((img) => {
          const i = img as unknown as { complete: boolean; naturalWidth: number };
          return i.complete ? i.naturalWidth : 0;
        }),
      )
      .toBeGreaterThan(0);
    expect(await page.getByTestId('attachment-link').first().textContent()).toBe('现场照片.jpg');
    await shot(page, 'attachments-01-draft-thumbnail');
    // The uploader deletes it again while the draft is open (the browser's confirm accepted).
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('attachment-delete').first().click();
    await expect.poll(() => page.getByTestId('attachment-done').textContent()).toContain('已删除');
    await expect.poll(() => page.getByTestId('attachment').count()).toBe(0);
    await context.close();
  });

  it('the admin imports units: one bad row is reported by row and column, the fixed file imports', async () => {
    const t = tag().toUpperCase();
    const workbook = async (rows: string[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('units');
      for (const r of rows) ws.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const header = ['单位编码', '单位名称', '职责'];
    const good = [`E${t}`, `测试城管局${t}`, '负责市容环境和占道管理。'];
    const { context, page } = await signIn(browser, 'admin');
    await page.goto(url('/admin/import'));
    await page.getByTestId('import-kind').selectOption('units');
    const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    await page.getByTestId('import-file').setInputFiles({
      name: 'units.xlsx',
      mimeType: xlsx,
      buffer: await workbook([header, good, [`F${t}`, '', '缺少名称的一行']]),
    });
    await page.getByTestId('import-validate').click();
    const error = page.locator('[data-testid="import-error"][data-row="3"]');
    await error.waitFor();
    expect(await error.textContent()).toContain('单位名称');
    expect(await error.textContent()).toContain('不能为空');
    expect(await page.getByTestId('import-apply').isDisabled()).toBe(true);
    await shot(page, 'import-01-report-with-error');

    await page.getByTestId('import-file').setInputFiles({
      name: 'units.xlsx',
      mimeType: xlsx,
      buffer: await workbook([header, good]),
    });
    await page.getByTestId('import-validate').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent()).toContain('将新建 1 条');
    await page.getByTestId('import-apply').click();
    await expect.poll(() => page.getByTestId('import-applied').textContent()).toContain('新建 1 条');
    await shot(page, 'import-02-applied');
    await context.close();
  });

  it('the admin imports a historical item with its reply; the lead deputy finds it closed with 历史导入', async () => {
    const t = tag().toUpperCase();
    const regNo = `E${t}-第0001号`;
    const title = `关于增设社区老年食堂的建议${t}`;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('history');
    ws.addRow([
      '届次年份',
      '立案号',
      '标题',
      '内容',
      '领衔代表',
      '主办单位',
      '答复内容',
      '答复日期',
      '答复类别',
      '满意度',
      '办结日期',
    ]);
    ws.addRow([
      '2023',
      regNo,
      title,
      '社区老年人就餐不便，建议增设老年食堂。',
      '王建国',
      '市教育局',
      '已在 3 个社区试点老年食堂。',
      '2023-06-30',
      'B',
      '基本满意',
      '2023-08-01',
    ]);
    const { context, page } = await signIn(browser, 'admin');
    await page.goto(url('/admin/import'));
    await page.getByTestId('import-kind').selectOption('history');
    await page.getByTestId('import-file').setInputFiles({
      name: 'history.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await wb.xlsx.writeBuffer()),
    });
    await page.getByTestId('import-validate').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent()).toContain('将新建 1 条');
    await page.getByTestId('import-apply').click();
    await expect.poll(() => page.getByTestId('import-applied').textContent()).toContain('新建 1 条');
    await shot(page, 'import-03-history-applied');
    await context.close();

    const wang = await ApiSession.login('wangjianguo');
    const found = await wang.call('GET', `/api/suggestions?q=${encodeURIComponent(title)}`);
    const item = (found.body.items as { id: string; title: string; status: string }[]).find(
      (x) => x.title === title,
    )!;
    expect(item.status).toBe('published');
    const deputy = await signIn(browser, 'wangjianguo');
    await deputy.page.goto(url(`/suggestions/${item.id}`));
    const step = deputy.page.locator('[data-testid="timeline-step"][data-type="suggestion.imported"]');
    await step.waitFor({ timeout: 15_000 });
    expect(await step.textContent()).toContain('历史导入');
    expect(await deputy.page.locator('body').textContent()).toContain('已在 3 个社区试点老年食堂');
    await shot(deputy.page, 'import-04-history-item');
    await deputy.context.close();
  });
});
