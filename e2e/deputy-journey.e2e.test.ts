import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '@jianyi/platform/src/db/seed';
import { ApiSession, launch, shot, signIn, tag, url, waitFor } from './support/workbench';

// The deputy's journey in a real Chromium: a draft with a co-signer, edited, then submitted from the
// suggestion's page; a reviewer accepts it through the API and the open page shows the new status
// and registration number live (no reload), with the steps in the timeline. Notifications, points
// and the page at phone width are captured too.
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('deputy journey', () => {
  it('drafts with a co-signer, submits, and sees the acceptance arrive live', async () => {
    const { context, page } = await signIn(browser, 'wangjianguo');
    await expect
      .poll(() => page.getByTestId('live-indicator').getAttribute('data-live'), { timeout: 15_000 })
      .toBe('true');
    await shot(page, 'deputy-home');
    // The English switch relabels the workbench; back to Chinese for the rest.
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('role-nav').textContent()).toContain('Notifications');
    await shot(page, 'deputy-home-en');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('role-nav').textContent()).toContain('通知');

    const title = `关于完善城郊道路照明的建议 ${tag()}`;
    await page.getByTestId('suggestion-title').fill(title);
    await page
      .getByTestId('suggestion-content')
      .fill('城郊部分道路夜间没有路灯,行人和非机动车通行不安全。建议分批补设路灯并纳入巡检。');
    await page.locator('[data-testid="cosigner"][data-name="李秀英"]').check();
    await page.getByTestId('suggestion-save-draft').click();
    const row = page.getByTestId('suggestion-row').filter({ hasText: title });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.getByTestId('suggestion-status').getAttribute('data-status')).toBe('draft');
    const id = (await row.getAttribute('data-id'))!;

    // Edit the draft: a better title; the co-signer stays.
    await row.getByRole('link').click();
    await expect.poll(() => page.getByTestId('suggestion-detail').getAttribute('data-status')).toBe('draft');
    expect(await page.getByTestId('detail-cosigners').textContent()).toContain('李秀英');
    await page.getByTestId('edit-draft').click();
    await expect.poll(() => page.getByTestId('suggestion-title').inputValue()).toBe(title);
    const edited = `${title}(修改)`;
    await page.getByTestId('suggestion-title').fill(edited);
    await shot(page, 'deputy-draft-edit');
    await page.getByTestId('suggestion-save-draft').click();
    await expect.poll(() => page.getByTestId('detail-title').textContent(), { timeout: 15_000 }).toBe(edited);

    // Submit from the suggestion's page; the status follows over SSE.
    await page.getByTestId('submit-draft').click();
    await expect
      .poll(() => page.getByTestId('suggestion-detail').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('submitted');
    let reloaded = false;
    page.on('load', () => {
      reloaded = true;
    });

    const reviewer = await ApiSession.login('reviewer');
    expect(
      (await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' })).status,
    ).toBe(200);
    await expect
      .poll(() => page.getByTestId('suggestion-detail').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('accepted');
    await expect
      .poll(() => page.getByTestId('detail-registration-no').textContent(), { timeout: 10_000 })
      .toMatch(/第\d{4}号/);
    await expect
      .poll(async () =>
        page.getByTestId('timeline-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-type'))),
      )
      .toEqual(['suggestion.submitted', 'suggestion.accepted']);
    expect(reloaded).toBe(false);
    // Who acted: the reviewer's name is on the acceptance step.
    expect(await page.locator('[data-type="suggestion.accepted"]').textContent()).toContain('代表工委');
    await shot(page, 'deputy-suggestion-live');

    // The co-signer follows the item too.
    const li = await ApiSession.login('lixiuying');
    await waitFor(
      'co-signer sees it',
      async () => (await li.call('GET', `/api/suggestions/${id}/timeline`)).status === 200,
    );
    expect((await li.call('GET', `/api/suggestions/${id}`)).body.leadDeputyId).toBe(demoId('deputy:wang'));

    // The notifier told the lead deputy of the acceptance (in-app); the header shows the unread count.
    await page.goto(url('/notifications'));
    const accepted = page
      .getByTestId('notification')
      .filter({ hasText: '建议已立案' })
      .filter({ hasText: edited });
    await expect.poll(() => accepted.count(), { timeout: 20_000 }).toBe(1);
    expect(await accepted.getAttribute('data-read')).toBe('false');
    await expect
      .poll(async () =>
        Number((await page.getByTestId('unread-count').textContent())?.match(/\d+/)?.[0] ?? 0),
      )
      .toBeGreaterThan(0);
    await shot(page, 'deputy-notifications');
    await accepted.getByRole('button').click();
    await expect.poll(() => accepted.getAttribute('data-read'), { timeout: 10_000 }).toBe('true');
    // 履职积分: submitting and the acceptance of this item were credited to the lead deputy, with their reasons.
    await page.goto(url('/points'));
    const thisItem = page.getByTestId('points-entries').locator(`a[href="/suggestions/${id}"]`);
    await expect
      .poll(async () => (await thisItem.allTextContents()).sort(), { timeout: 20_000 })
      .toEqual(['建议被立案', '提交建议']);
    expect(Number(await page.getByTestId('points-total').textContent())).toBeGreaterThan(0);
    await shot(page, 'deputy-points');
    await context.close();

    // Phone width: the same suggestion's page at 390 px, nothing wider than the screen.
    const phone = await signIn(browser, 'wangjianguo', { width: 390, height: 844 });
    await phone.page.goto(url(`/suggestions/${id}`));
    await expect
      .poll(() => phone.page.getByTestId('suggestion-detail').getAttribute('data-status'), {
        timeout: 15_000,
      })
      .toBe('accepted');
    expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(phone.page, 'phone-deputy-suggestion');
    await phone.page.goto(url('/'));
    await expect.poll(() => phone.page.getByTestId('suggestion-list').count(), { timeout: 15_000 }).toBe(1);
    expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(phone.page, 'phone-deputy-home');
    await phone.context.close();
  });
});
