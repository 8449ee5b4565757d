import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiSession,
  JTJ,
  launch,
  searchList,
  shot,
  signIn,
  statusOf,
  submitted,
  tag,
  url,
  waitFor,
} from './support/workbench';

// 交办会 as the reviewer lives it (issue 13): a meeting of several items on /review/assign shows its
// progress (done of total, failures) while it runs, lists the item that could not be assigned with its
// reason (the deputy withdrew it meanwhile), and can be stopped: what was not sent stays accepted and
// selected. Afterwards the units see the assigned items in their inbox and the deputy sees them assigned.
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function acceptedItems(wang: ApiSession, reviewer: ApiSession, n: number, t: string) {
  const ids: string[] = [];
  for (let i = 1; i <= n; i++) {
    const id = await submitted(wang, `关于完善第${i}批老旧小区改造的建议 ${t}`);
    expect(
      (await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' })).status,
    ).toBe(200);
    ids.push(id);
  }
  return ids;
}

describe('交办会 page', () => {
  it('shows progress, lists the item that failed with its reason, and can be stopped', async () => {
    const wang = await ApiSession.login('wangjianguo');
    const reviewerApi = await ApiSession.login('reviewer');
    const jtj = await ApiSession.login('jtj.handler');
    const t = tag();
    const ids = await acceptedItems(wang, reviewerApi, 5, t);

    const { context, page } = await signIn(browser, 'reviewer');
    await page.goto(url('/review/assign'));
    await searchList(page, 'bulk', t);
    const row = (id: string) => page.locator(`[data-testid="bulk-row"][data-id="${id}"]`);
    await expect.poll(() => row(ids[4]!).count(), { timeout: 20_000 }).toBe(1);
    // The keyword is in the address (a link to the searched page).
    expect(new URL(page.url()).searchParams.get('q')).toBe(t);
    for (const id of ids) await row(id).getByTestId('select-item').check();
    await page.getByTestId('assign-lead').selectOption(JTJ);
    await page.locator('[data-testid="assign-unit"][data-code="JYJ"]').check();
    // The deputy withdraws the last one while the reviewer prepares the meeting.
    expect((await wang.call('POST', `/api/suggestions/${ids[4]}/withdraw`)).status).toBe(200);
    await page.getByTestId('bulk-submit').click();

    // Progress: all five handled, one failed; the failure names the item and the reason.
    await expect
      .poll(() => page.getByTestId('bulk-progress').textContent(), { timeout: 60_000 })
      .toContain('5 / 5');
    expect(await page.getByTestId('bulk-progress').textContent()).toContain('失败 1 件');
    const failed = page.locator(`[data-testid="bulk-failures"] li[data-id="${ids[4]}"]`);
    expect(await failed.textContent()).toContain('仅可交办已立案的建议');
    expect(await page.getByTestId('bulk-notice').textContent()).toContain('已交办 4 / 5 件');
    await shot(page, 'reviewer-assignment-meeting-result');
    for (const id of ids.slice(0, 4)) expect(await statusOf(reviewerApi, id)).toBe('assigned');
    expect(await statusOf(reviewerApi, ids[4]!)).toBe('withdrawn');
    // The withdrawn one stays selected (what is left to do); the assigned ones leave the list.
    expect(await page.getByTestId('bulk-selected').textContent()).toContain('1');

    // The lead unit sees the four in its inbox, the deputy sees them assigned.
    const inbox = await jtj.call('GET', '/api/unit-inbox?pageSize=100');
    for (const id of ids.slice(0, 4))
      expect(inbox.body.items.some((x: { id: string }) => x.id === id)).toBe(true);
    expect(inbox.body.items.some((x: { id: string }) => x.id === ids[4])).toBe(false);
    expect(await statusOf(wang, ids[0]!)).toBe('assigned');

    // A second meeting, stopped as soon as it starts: each item is assigned whole or left accepted
    // and selected; none is half-assigned.
    const more = await acceptedItems(wang, reviewerApi, 6, `${t}b`);
    // Opened from an address that carries the keyword: the page is searched with it.
    await page.goto(url(`/review/assign?q=${t}b`));
    await expect.poll(() => row(more[5]!).count(), { timeout: 20_000 }).toBe(1);
    expect(await page.locator('#bulk-q').inputValue()).toBe(`${t}b`);
    expect(await page.locator('[data-testid="bulk-row"]').count()).toBe(6);
    for (const id of more) await row(id).getByTestId('select-item').check();
    await page.getByTestId('assign-lead').selectOption(JTJ);
    await page.getByTestId('bulk-submit').click();
    const cancel = page.getByTestId('bulk-cancel');
    if (await cancel.isVisible()) await cancel.click();
    await expect.poll(() => page.getByTestId('bulk-submit').isDisabled(), { timeout: 60_000 }).toBe(false);
    await shot(page, 'reviewer-assignment-meeting-stopped');
    const statuses = await Promise.all(more.map((id) => statusOf(reviewerApi, id)));
    expect(statuses.every((s) => s === 'assigned' || s === 'accepted')).toBe(true);
    const left = statuses.filter((s) => s === 'accepted').length;
    expect(await page.getByTestId('bulk-selected').textContent()).toContain(String(left));
    for (const [i, id] of more.entries()) {
      const units = (await reviewerApi.call('GET', `/api/suggestions/${id}/handling`)).body
        .assignments as unknown[];
      expect(units.length).toBe(statuses[i] === 'assigned' ? 1 : 0);
    }
    const notice = await page.getByTestId('bulk-notice').textContent();
    expect(notice).toMatch(left > 0 ? /已停止：已交办 \d+ 件，其余 \d+ 件未交办/ : /已交办 6 \/ 6 件/);
    await waitFor('the units of the assigned ones run', async () =>
      (
        await Promise.all(
          more
            .filter((_, i) => statuses[i] === 'assigned')
            .map(async (id) => (await jtj.call('GET', `/api/suggestions/${id}/handling`)).status === 200),
        )
      ).every(Boolean),
    );
    await context.close();
  });
});
