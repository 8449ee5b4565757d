import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, launch, shot, signIn, tag, url, waitFor } from './support/workbench';

// 代表讲堂 in the browser: the reviewer (代表工委) records a session with the deputies who attended
// and adds one more afterwards; the coordinator sees the sessions but no form, and the API refuses
// him; each deputy's 履职档案 lists the session with its points, and a deputy who did not attend
// does not see it there.
const T = tag();
const TITLE = `代表讲堂：如何开展代表约见${T}`;
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const row = (p: Page) => p.locator('[data-testid="training-row"]', { hasText: TITLE });
const attendeeBox = (p: Page, name: string) =>
  p
    .getByTestId('training-form')
    .locator('label')
    .filter({ hasText: new RegExp(`^${name}$`) })
    .getByTestId('training-attendee');
/** The deputy's own 履职档案, read again until the points of the session have arrived. */
async function recordShows(p: Page): Promise<string> {
  await p.goto(url('/record'));
  await p.getByTestId('deputy-record').waitFor();
  return (await p.getByTestId('deputy-record').textContent()) ?? '';
}

describe('代表讲堂 (training sessions)', () => {
  it('the reviewer records a session and adds attendance; the deputies see it in their record', async () => {
    const { page: r } = await signIn(browser, 'reviewer');
    await r.getByTestId('role-nav').getByRole('link', { name: '代表讲堂' }).click();
    await r.waitForURL((u) => u.pathname === '/trainings');
    await r.getByTestId('training-title').fill(TITLE);
    await r.locator('#tr-venue').fill('溧城街道人大代表联络站');
    await r.locator('#tr-speaker').fill('市人大常委会代表工委');
    await attendeeBox(r, '王建国').check();
    await attendeeBox(r, '陈丽华').check();
    await r.getByTestId('training-submit').click();
    await expect.poll(() => row(r).count(), { timeout: 15_000 }).toBe(1);
    expect(await row(r).getByTestId('training-attendees').textContent()).toMatch(/（2）.*王建国/);
    // The form is cleared for the next session (and carries a new Idempotency-Key).
    expect(await r.getByTestId('training-title').inputValue()).toBe('');

    // 李秀英 came late: the reviewer adds her to the session's attendance.
    await row(r).getByTestId('training-add-select').selectOption({ label: '李秀英' });
    await row(r).getByTestId('training-add').click();
    await expect.poll(() => row(r).getByTestId('training-attendees').textContent()).toContain('李秀英');
    expect(await row(r).getByTestId('training-attendees').textContent()).toContain('（3）');
    await shot(r, 'training-01-reviewer');

    // The coordinator sees the session, but no form; the API refuses his writes.
    const { page: c } = await signIn(browser, 'coordinator');
    await c.goto(url('/trainings'));
    await expect.poll(() => row(c).count()).toBe(1);
    expect(await c.getByTestId('training-form').count()).toBe(0);
    expect(await row(c).getByTestId('training-add').count()).toBe(0);
    const coordinator = await ApiSession.login('coordinator');
    const refused = await coordinator.call('POST', '/api/trainings', {
      title: `越权登记${T}`,
      day: '2026-01-05',
    });
    expect(refused.status).toBe(403);

    // 李秀英's 履职档案 lists the session with its points (credited from the event by the rules).
    const { page: li } = await signIn(browser, 'lixiuying');
    await waitFor('the training reaches 李秀英 record with points', async () => {
      const text = await recordShows(li);
      if (!text.includes(TITLE)) return false;
      const cell = li.getByTestId('record-training').filter({ hasText: TITLE }).locator('td').last();
      return Number(await cell.textContent()) > 0;
    });
    await shot(li, 'training-02-deputy-record');
    // 张志强 did not attend: his record does not list it.
    const { page: zhang } = await signIn(browser, 'zhangzhiqiang');
    expect(await recordShows(zhang)).not.toContain(TITLE);
  });
});
