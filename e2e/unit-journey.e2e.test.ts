import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiSession,
  JTJ,
  launch,
  shot,
  signIn,
  statusOf,
  submitted,
  tag,
  url,
  waitFor,
} from './support/workbench';

// The unit's journey in a real Chromium, then the deputy rates the reply: the handler signs in from
// the inbox (deadline in working days, coloured), logs a contact, drafts the reply; the leader signs
// it off and the handler's open page shows the sign-off live; the handler sends; the deputy rates.
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('unit journey and rating', () => {
  it('signs in, logs a contact, drafts, gets the sign-off, sends; the deputy rates the reply', async () => {
    const wang = await ApiSession.login('wangjianguo');
    const reviewer = await ApiSession.login('reviewer');
    const title = `关于增加学校周边交通协管员的建议 ${tag()}`;
    const id = await submitted(
      wang,
      title,
      '上下学高峰时段学校周边交通拥堵,存在安全隐患。建议增派交通协管员并设置临时停车区。',
    );
    expect(
      (await reviewer.call('POST', `/api/suggestions/${id}/review`, { decision: 'accept' })).status,
    ).toBe(200);
    expect(
      (
        await reviewer.call('POST', `/api/suggestions/${id}/assign`, {
          mode: 'lead',
          leadUnitId: JTJ,
          coUnitIds: [],
        })
      ).status,
    ).toBe(200);
    await waitFor('assigned', async () => (await statusOf(reviewer, id)) === 'assigned');

    const handler = await signIn(browser, 'jtj.handler');
    const page = handler.page;
    const row = page.locator(`[data-testid="inbox-row"][data-id="${id}"]`);
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.getByTestId('deadline').getAttribute('data-level')).toBe('normal');
    expect(await row.getByTestId('deadline').textContent()).toMatch(/剩 \d+ 个工作日/);
    expect(await row.getByTestId('inbox-request').count()).toBe(1); // the re-assignment request is one step away
    await shot(page, 'unit-inbox');

    // Sign in (签收); the unit's workflow may take a moment to start, so retry until it is signed in.
    await expect
      .poll(
        async () => {
          const button = row.getByTestId('inbox-sign-in');
          if (await button.count()) await button.click();
          return row.getAttribute('data-assignment-status');
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe('signed_in');

    // The handling page: contact log, reply draft, waiting for the leader.
    await row.getByTestId('row-link').click();
    await expect
      .poll(() => page.getByTestId('unit-actions').getAttribute('data-assignment-status'), {
        timeout: 15_000,
      })
      .toBe('signed_in');
    await page.getByTestId('contact-form-select').selectOption('面商');
    await page.getByTestId('contact-summary').fill('到学校门口实地查看高峰时段交通情况,听取代表意见');
    await page.getByTestId('contact-submit').click();
    await expect.poll(() => page.getByTestId('contact').count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId('reply-category-A').check();
    await page
      .getByTestId('reply-body')
      .fill('已在全市 12 所学校周边增派交通协管员,并设置临时停车区,高峰拥堵明显缓解。');
    await page.getByTestId('reply-save').click();
    await expect
      .poll(() => page.getByTestId('signoff-step').getAttribute('data-signed'), { timeout: 15_000 })
      .toBe('false');
    expect(await page.getByTestId('reply-sign-off').count()).toBe(0); // a handler cannot sign
    // The saved draft fills the form again after a reload.
    await page.reload();
    await expect
      .poll(() => page.getByTestId('reply-body').inputValue(), { timeout: 15_000 })
      .toContain('交通协管员');
    await shot(page, 'unit-handling');

    // The leader signs off on their own page; the handler's page shows it without a reload.
    let reloaded = false;
    page.on('load', () => {
      reloaded = true;
    });
    const leader = await signIn(browser, 'jtj.leader');
    await leader.page.goto(url(`/suggestions/${id}`));
    await expect.poll(() => leader.page.getByTestId('reply-sign-off').count(), { timeout: 15_000 }).toBe(1);
    await shot(leader.page, 'unit-leader-sign-off');
    await leader.page.getByTestId('reply-sign-off').click();
    await expect
      .poll(() => leader.page.getByTestId('signoff-step').getAttribute('data-signed'), { timeout: 15_000 })
      .toBe('true');
    await leader.context.close();

    await expect
      .poll(() => page.getByTestId('signoff-step').getAttribute('data-signed'), { timeout: 20_000 })
      .toBe('true');
    expect(reloaded).toBe(false);
    await page.getByTestId('reply-send').click();
    await expect
      .poll(() => page.getByTestId('suggestion-detail').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('replied');
    expect(
      await page.locator('[data-testid="timeline-step"][data-type="suggestion.reply_signed"]').textContent(),
    ).toContain('吴刚');
    await shot(page, 'unit-replied');
    await handler.context.close();

    // The deputy reads the reply and rates it.
    const deputy = await signIn(browser, 'wangjianguo');
    await deputy.page.goto(url(`/suggestions/${id}`));
    await expect.poll(() => deputy.page.getByTestId('rate-form').count(), { timeout: 15_000 }).toBe(1);
    expect(await deputy.page.getByTestId('reply').first().textContent()).toContain('交通协管员');
    await deputy.page.getByTestId('rate-satisfied').check();
    await deputy.page.getByTestId('rate-comment').fill('办理及时,效果明显');
    await shot(deputy.page, 'deputy-rate-reply');
    await deputy.page.getByTestId('rate-submit').click();
    await expect
      .poll(() => deputy.page.locator('[data-testid="evaluation"][data-rating="satisfied"]').count(), {
        timeout: 20_000,
      })
      .toBe(1);
    await expect
      .poll(() => deputy.page.getByTestId('suggestion-detail').getAttribute('data-status'), {
        timeout: 30_000,
      })
      .toMatch(/closed|published/);
    await shot(deputy.page, 'deputy-rated');
    // The deputy prints the 答复函 from the page: a PDF, served with the deputy's own session.
    const letterHref = await deputy.page.getByTestId('print-letter').first().getAttribute('href');
    expect(letterHref).toContain('/print/reply-letter.pdf');
    const letter = await deputy.context.request.get(url(letterHref!));
    expect(letter.status()).toBe(200);
    expect(letter.headers()['content-type']).toBe('application/pdf');
    expect((await letter.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await deputy.context.close();

    // A supervisor names it an excellent suggestion (优秀建议) with a reason; the deputy's page and
    // the public reply show the mark.
    const sup = await signIn(browser, 'supervisor');
    await sup.page.goto(url(`/suggestions/${id}`));
    await expect.poll(() => sup.page.getByTestId('mark-excellent').count(), { timeout: 15_000 }).toBe(1);
    await sup.page.getByTestId('excellent-reason-input').fill('问题分析透彻，建议具体可行');
    await sup.page.getByTestId('mark-excellent').click();
    await expect.poll(() => sup.page.getByTestId('excellent-badge').count(), { timeout: 15_000 }).toBe(1);
    expect(await sup.page.getByTestId('mark-excellent').count()).toBe(0); // once only
    await shot(sup.page, 'supervisor-marked-excellent');
    await sup.context.close();
    const again = await signIn(browser, 'wangjianguo');
    await again.page.goto(url(`/suggestions/${id}`));
    await expect
      .poll(() => again.page.getByTestId('excellent-reason').textContent(), { timeout: 15_000 })
      .toContain('建议具体可行');
    // Published right after closure (the public page may lag the status by a moment).
    await expect
      .poll(
        async () => {
          await again.page.goto(url(`/public/${id}`));
          return (await again.page.getByTestId('public-excellent').count())
            ? again.page.getByTestId('public-excellent').textContent()
            : '';
        },
        { timeout: 30_000 },
      )
      .toContain('优秀建议');
    await shot(again.page, 'public-excellent');
    await again.context.close();
  });
});
