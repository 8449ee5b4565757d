import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiSession,
  JTJ,
  JYJ,
  launch,
  searchList,
  searchQueue,
  shot,
  signIn,
  statusOf,
  submitted,
  tag,
  url,
  waitFor,
} from './support/workbench';

// The reviewer's journey in a real Chromium: accept from the pre-review queue, bulk-assign two
// items at the 交办会 with a lead unit and a co-handler (deadlines previewed), put one under key
// supervision, and approve a unit's extension request; the co-handler then sends its opinion.
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('reviewer journey', () => {
  it('accepts from the queue, bulk-assigns two items, sets key supervision and decides a request', async () => {
    const wang = await ApiSession.login('wangjianguo');
    const reviewerApi = await ApiSession.login('reviewer');
    const t = tag();
    const first = await submitted(wang, `关于增设城区口袋公园的建议 ${t}-1`);
    const second = await submitted(wang, `关于规范共享单车停放的建议 ${t}-2`);

    const { context, page } = await signIn(browser, 'reviewer');
    const queueRow = (id: string) => page.locator(`[data-testid="queue-row"][data-id="${id}"]`);
    await searchQueue(page, t);
    await expect.poll(() => queueRow(first).count(), { timeout: 15_000 }).toBe(1);
    await shot(page, 'reviewer-queue');

    // Accept the first from the queue (the default decision); it leaves the queue live.
    await queueRow(first).getByTestId('review-open').click();
    await queueRow(first).getByTestId('review-decision-accept').check();
    await queueRow(first).getByTestId('review-submit').click();
    await expect.poll(() => queueRow(first).count(), { timeout: 20_000 }).toBe(0);
    expect(await statusOf(reviewerApi, first)).toBe('accepted');
    // Return shows its comments field; the second is accepted through the API to keep the journey short.
    await queueRow(second).getByTestId('review-open').click();
    await queueRow(second).getByTestId('review-decision-return').check();
    expect(await queueRow(second).getByTestId('review-text').count()).toBe(1);
    expect(
      (await reviewerApi.call('POST', `/api/suggestions/${second}/review`, { decision: 'accept' })).status,
    ).toBe(200);

    // 交办会: both at once to the transport bureau (lead) with the education bureau as co-handler.
    await page.goto(url('/review/assign'));
    await searchList(page, 'bulk', t);
    const bulkRow = (id: string) => page.locator(`[data-testid="bulk-row"][data-id="${id}"]`);
    await expect.poll(() => bulkRow(second).count(), { timeout: 15_000 }).toBe(1);
    await bulkRow(first).getByTestId('select-item').check();
    await bulkRow(second).getByTestId('select-item').check();
    await page.getByTestId('assign-lead').selectOption(JTJ);
    await page.locator('[data-testid="assign-unit"][data-code="JYJ"]').check();
    await expect
      .poll(() => page.getByTestId('preview-reply').textContent(), { timeout: 10_000 })
      .toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(await page.getByTestId('bulk-selected').textContent()).toContain('2');
    await shot(page, 'reviewer-bulk-assign');
    await page.getByTestId('bulk-submit').click();
    await expect
      .poll(() => page.getByTestId('bulk-notice').textContent(), { timeout: 30_000 })
      .toContain('2');
    await waitFor(
      'both assigned',
      async () =>
        (await statusOf(reviewerApi, first)) === 'assigned' &&
        (await statusOf(reviewerApi, second)) === 'assigned',
    );
    const handling = (await reviewerApi.call('GET', `/api/suggestions/${first}/handling`)).body;
    expect(
      handling.assignments.map((a: { unitId: string; role: string }) => [a.unitId, a.role]).sort(),
    ).toEqual(
      [
        [JTJ, 'lead'],
        [JYJ, 'co'],
      ].sort(),
    );

    // Key supervision from the suggestion's page.
    await page.goto(url(`/suggestions/${first}`));
    await expect
      .poll(() => page.getByTestId('suggestion-detail').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('assigned');
    await page.getByTestId('set-key').click();
    await expect.poll(() => page.getByTestId('key-badge').count(), { timeout: 20_000 }).toBe(1);
    await shot(page, 'reviewer-suggestion');
    await page.goto(url('/review/key'));
    await expect
      .poll(() => page.locator(`[data-testid="key-row"][data-id="${first}"]`).count(), { timeout: 15_000 })
      .toBe(1);
    await shot(page, 'reviewer-key-supervision');

    // A unit asks for more time; the reviewer approves it on the requests page.
    const jtj = await ApiSession.login('jtj.handler');
    await waitFor(
      'the extension request',
      async () =>
        (
          await jtj.call('POST', `/api/suggestions/${second}/units/${JTJ}/requests`, {
            kind: 'extension',
            reason: '需协调规划部门调整停放点位',
            amount: { amount: 1, unit: 'months' },
          })
        ).status === 200,
    );
    await page.goto(url('/review/requests'));
    const requestRow = page.getByTestId('request-row').filter({ hasText: `${t}-2` });
    await expect.poll(() => requestRow.count(), { timeout: 15_000 }).toBe(1);
    await shot(page, 'reviewer-requests');
    await requestRow.getByTestId('request-note').fill('同意延期一个月');
    await requestRow.getByTestId('request-approve').click();
    await expect.poll(() => requestRow.count(), { timeout: 20_000 }).toBe(0);
    const timeline = (await reviewerApi.call('GET', `/api/suggestions/${second}/timeline`)).body;
    expect(timeline.requests[0]).toMatchObject({ kind: 'extension', status: 'approved' });
    await context.close();

    // The co-handler (协办) signs in and sends its written opinion to the lead unit from the item's page.
    const co = await signIn(browser, 'jyj.handler');
    await co.page.goto(url(`/suggestions/${first}`));
    await expect
      .poll(
        async () => {
          const button = co.page.getByTestId('unit-sign-in');
          if (await button.count()) await button.click();
          return co.page.getByTestId('unit-actions').getAttribute('data-assignment-status');
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe('signed_in');
    await co.page.getByTestId('opinion-body').fill('建议结合公园选址同步规划周边停车和无障碍通道。');
    await shot(co.page, 'unit-co-handler-opinion');
    await co.page.getByTestId('opinion-submit').click();
    await expect
      .poll(() => co.page.getByTestId('unit-actions').getAttribute('data-assignment-status'), {
        timeout: 20_000,
      })
      .toBe('opinion_sent');
    expect(await co.page.getByTestId('opinions').textContent()).toContain('无障碍通道');
    await co.context.close();
  });
});
