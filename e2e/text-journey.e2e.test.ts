import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '@jianyi/platform/src/db/seed';
import {
  ApiSession,
  launch,
  searchQueue,
  shot,
  signIn,
  statusOf,
  submitted,
  tag,
  url,
  waitFor,
} from './support/workbench';

// Issue 12 in a real Chromium: while a deputy drafts, the likely duplicate (a paraphrase already
// assigned) is shown and an unrelated item is not; the reviewer sees the duplicate at pre-review side by
// side, and the assign form recommends the unit that handled the similar item, which is then chosen.
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const ZJJ = demoId('unit:ZJJ');

describe('text journey', () => {
  it('shows duplicates while drafting and at pre-review, and recommends the unit', async () => {
    const li = await ApiSession.login('lixiuying');
    const reviewerApi = await ApiSession.login('reviewer');
    const t = tag();
    // The earlier item: the same proposal in other words, handled by the housing bureau (住建局).
    const earlier = await submitted(
      li,
      `关于加快既有住宅增设电梯工作的建议 ${t}`,
      '多层住宅没有电梯，住在五六楼的老人上下楼十分困难。建议简化增设电梯的审批手续，提高财政补贴标准，做好一楼住户的协调工作。',
    );
    expect(
      (await reviewerApi.call('POST', `/api/suggestions/${earlier}/review`, { decision: 'accept' })).status,
    ).toBe(200);
    await waitFor('accepted', async () => (await statusOf(reviewerApi, earlier)) === 'accepted');
    expect(
      (
        await reviewerApi.call('POST', `/api/suggestions/${earlier}/assign`, {
          mode: 'lead',
          leadUnitId: ZJJ,
          coUnitIds: [],
        })
      ).status,
    ).toBe(200);
    await waitFor('assigned', async () => (await statusOf(reviewerApi, earlier)) === 'assigned');
    const unrelated = await submitted(
      li,
      `关于规范共享单车停放管理的建议 ${t}`,
      '共享单车在地铁口和商场门口乱停乱放，占用盲道。建议划定停放区域，推行电子围栏。',
    );

    // The deputy drafts the same proposal: after the title and a few lines, the earlier one is shown.
    const { context, page } = await signIn(browser, 'wangjianguo');
    const title = `关于推进老旧小区加装电梯的建议 ${t}`;
    await page.getByTestId('suggestion-title').fill(title);
    await page
      .getByTestId('suggestion-content')
      .fill(
        '老旧小区老年住户比例高，上下楼困难。建议简化加装电梯审批流程，加大财政补贴力度，协调低层住户利益。',
      );
    const hint = page.locator(`[data-testid="duplicate-hint"][data-id="${earlier}"]`);
    await expect.poll(() => hint.count(), { timeout: 20_000 }).toBe(1);
    expect(await hint.getByTestId('suggestion-status').getAttribute('data-status')).toBe('assigned');
    expect(await page.locator(`[data-testid="duplicate-hint"][data-id="${unrelated}"]`).count()).toBe(0);
    await shot(page, 'deputy-draft-duplicates');

    // Submitted anyway (a better-differentiated one could have been written instead).
    await page.getByTestId('suggestion-submit').click();
    let mine = '';
    await waitFor('the new item submitted', async () => {
      const wang = await ApiSession.login('wangjianguo');
      const list = (await wang.call('GET', `/api/suggestions?q=${encodeURIComponent(t)}`)).body;
      const it = list?.items?.find((x: { title: string; status: string }) => x.title === title);
      mine = it?.status === 'submitted' ? it.id : '';
      return !!mine;
    });
    await context.close();

    // The reviewer's queue: the item's likely duplicates, side by side with the differing sentences marked.
    const r = await signIn(browser, 'reviewer');
    const row = r.page.locator(`[data-testid="queue-row"][data-id="${mine}"]`);
    await searchQueue(r.page, t);
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await row.getByTestId('review-open').click();
    const dup = row.locator(`[data-testid="review-duplicate"][data-id="${earlier}"]`);
    await expect.poll(() => dup.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.locator(`[data-testid="review-duplicate"][data-id="${unrelated}"]`).count()).toBe(0);
    await dup.getByTestId('review-compare-open').click();
    expect(await dup.getByTestId('compare-diff').count()).toBeGreaterThan(0);
    await shot(r.page, 'reviewer-duplicates-compare');
    // 并案 from the list chooses the item as the merge target (not carried out: the item is accepted).
    await dup.getByTestId('review-merge-into').click();
    expect(await row.getByTestId('review-decision-merge').isChecked()).toBe(true);
    await expect
      .poll(() => row.locator(`[data-testid="merge-candidate"][data-id="${earlier}"]`).isChecked(), {
        timeout: 10_000,
      })
      .toBe(true);
    await row.getByTestId('review-decision-accept').check();
    await row.getByTestId('review-submit').click();
    await waitFor('accepted', async () => (await statusOf(reviewerApi, mine)) === 'accepted');

    // The assign form proposes the housing bureau (it handled the similar item), with a reason.
    await r.page.goto(url(`/suggestions/${mine}`));
    const recs = r.page.getByTestId('recommended-lead');
    await expect.poll(() => recs.count(), { timeout: 15_000 }).toBe(3);
    const zjj = r.page.locator(`[data-testid="recommended-lead"][data-unit="${ZJJ}"]`);
    expect(await zjj.count()).toBe(1);
    expect(await zjj.textContent()).toMatch(/相似建议|职责/);
    await zjj.getByRole('button').click();
    expect(await r.page.getByTestId('assign-lead').inputValue()).toBe(ZJJ);
    await shot(r.page, 'reviewer-recommended-units');
    await r.page.getByTestId('assign-submit').click();
    await waitFor('assigned', async () => (await statusOf(reviewerApi, mine)) === 'assigned');

    // The agreement panel counts the choice.
    await r.page.goto(url('/dashboard'));
    await expect.poll(() => r.page.getByTestId('agreement-top3').count(), { timeout: 15_000 }).toBe(1);
    await shot(r.page, 'dashboard-recommendation-agreement');
    await r.context.close();
  });
});
