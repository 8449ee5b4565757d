import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiSession,
  launch,
  shot,
  signIn,
  statusOf,
  submitted,
  tag,
  url,
  waitFor,
} from './support/workbench';

// Pre-review outcomes that go back to the deputy, in a real Chromium (process.md step 2):
// 退回修改 — the reviewer returns the item with comments, the deputy sees them, edits the text and
// resubmits from the edit page, and the reviewer sees the new version beside the one they returned;
// 转来信处理 — the reviewer converts with a reason and the deputy sees that reason on the item.
// The buttons each role gets come from the item's allowedActions (the rules module).
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const detailStatus = (page: import('playwright-core').Page) =>
  page.getByTestId('suggestion-detail').getAttribute('data-status');

describe('return and revise, convert with a reason', () => {
  it('returns with comments → the deputy revises and resubmits → the reviewer sees the new version', async () => {
    const wang = await ApiSession.login('wangjianguo');
    const reviewerApi = await ApiSession.login('reviewer');
    const t = tag();
    const id = await submitted(wang, `关于完善老旧小区加装电梯补贴的建议 ${t}`);
    const comments = `请补充拟补贴的标准和资金来源 ${t}`;

    // The reviewer returns it from the item's page, with comments.
    const reviewer = await signIn(browser, 'reviewer');
    await reviewer.page.goto(url(`/suggestions/${id}`));
    await expect.poll(() => detailStatus(reviewer.page), { timeout: 15_000 }).toBe('submitted');
    await reviewer.page.getByTestId('review-decision-return').check();
    await reviewer.page.getByTestId('review-text').fill(comments);
    await reviewer.page.getByTestId('review-submit').click();
    await expect.poll(() => detailStatus(reviewer.page), { timeout: 20_000 }).toBe('returned');
    expect(await reviewer.page.getByTestId('review-form').count()).toBe(0);

    // The deputy sees the comments, is offered revise / resubmit / withdraw (not only on submitted).
    const deputy = await signIn(browser, 'wangjianguo');
    await deputy.page.goto(url(`/suggestions/${id}`));
    await expect.poll(() => detailStatus(deputy.page), { timeout: 15_000 }).toBe('returned');
    await expect
      .poll(() => deputy.page.getByTestId('timeline').textContent(), { timeout: 10_000 })
      .toContain(comments);
    expect(await deputy.page.getByTestId('withdraw').count()).toBe(1);
    expect(await deputy.page.getByTestId('resubmit').count()).toBe(1);
    await shot(deputy.page, 'deputy-returned');
    await deputy.page.getByTestId('revise').click();
    await expect
      .poll(() => deputy.page.getByTestId('suggestion-content').count(), { timeout: 15_000 })
      .toBe(1);
    const revised = `补贴标准：每台电梯补贴 20 万元，资金由市区两级财政按 1:1 分担。 ${t}`;
    await deputy.page.getByTestId('suggestion-content').fill(revised);
    await deputy.page.getByTestId('suggestion-submit').click();
    await waitFor('resubmitted', async () => (await statusOf(wang, id)) === 'submitted');

    // The reviewer sees the new text and both versions, with what changed.
    await reviewer.page.goto(url(`/suggestions/${id}`));
    await expect.poll(() => detailStatus(reviewer.page), { timeout: 15_000 }).toBe('submitted');
    await expect.poll(() => reviewer.page.getByTestId('versions').count(), { timeout: 15_000 }).toBe(1);
    expect(await reviewer.page.getByTestId('version-2').textContent()).toContain(revised);
    expect(await reviewer.page.getByTestId('version-1').textContent()).not.toContain(revised);
    expect(await reviewer.page.getByTestId('review-form').count()).toBe(1);
    await shot(reviewer.page, 'reviewer-resubmitted-version');
    expect((await reviewerApi.call('GET', `/api/suggestions/${id}/timeline`)).body.versions).toHaveLength(2);
    await reviewer.context.close();
    await deputy.context.close();
  });

  it('converts to a letter with a reason that the deputy sees', async () => {
    const wang = await ApiSession.login('wangjianguo');
    const t = tag();
    const id = await submitted(wang, `关于解决本人住房纠纷的建议 ${t}`);
    const reason = `属于个人诉求，转来信处理，由信访部门依法办理 ${t}`;

    const reviewer = await signIn(browser, 'reviewer');
    await reviewer.page.goto(url(`/suggestions/${id}`));
    await expect.poll(() => detailStatus(reviewer.page), { timeout: 15_000 }).toBe('submitted');
    await reviewer.page.getByTestId('review-decision-convert').check();
    // A reason is required for 转来信处理: the field is there and must be filled.
    expect(await reviewer.page.getByTestId('review-text').count()).toBe(1);
    await reviewer.page.getByTestId('review-text').fill(reason);
    await reviewer.page.getByTestId('review-submit').click();
    await expect.poll(() => detailStatus(reviewer.page), { timeout: 20_000 }).toBe('converted');

    const deputy = await signIn(browser, 'wangjianguo');
    await deputy.page.goto(url(`/suggestions/${id}`));
    await expect.poll(() => detailStatus(deputy.page), { timeout: 15_000 }).toBe('converted');
    await expect
      .poll(() => deputy.page.getByTestId('timeline').textContent(), { timeout: 10_000 })
      .toContain(reason);
    // Nothing more to do on a converted item.
    expect(await deputy.page.getByTestId('no-actions').count()).toBe(1);
    await shot(deputy.page, 'deputy-converted-reason');
    await reviewer.context.close();
    await deputy.context.close();
  });
});
