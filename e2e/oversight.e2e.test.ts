import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@jianyi/platform/src/db/seed';
import { waitFor, webBase } from '@jianyi/platform/src/testing';
import { AuthzWorld, JTJ, type Item } from '../services/api/test/authz-support';

// The oversight journeys in a real Chromium against the running stack: the supervisor's dashboard
// (chart, drill-down) and supervision list (urge, live status), the coordinator's two Excel
// exports, an anonymous visitor's search of published replies, and the admin's calendar and policy.
// Items are driven through the API first (as users would, see authz-support.ts).
const artifacts = path.resolve(__dirname, '../test-results/screenshots');
let browser: Browser;
let world: AuthzWorld;
let assigned: Item; // assigned to JTJ: at risk within a few dozen working days
let published: Item; // B reply, rated, published
let confidential: Item; // published, then marked 涉密

// Importing launch() from skeleton.e2e.test.ts would run that file's tests here too.
const launch = () =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });

async function signIn(
  username: string,
  viewport = { width: 1280, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${webBase()}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(`${webBase()}/`);
  return { context, page };
}

/** A downloaded .xlsx is a ZIP (PK\x03\x04) holding the OOXML parts of a workbook. */
function expectXlsx(file: string): void {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 4).toString('hex')).toBe('504b0304');
  const text = bytes.toString('latin1');
  expect(text).toContain('[Content_Types].xml');
  expect(text).toContain('xl/workbook.xml');
  expect(text).toContain('xl/worksheets/sheet1.xml');
}

describe('oversight journeys', () => {
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    [browser, world] = await Promise.all([launch(), AuthzWorld.open()]);
    [assigned, published, confidential] = await Promise.all([
      world.make('assigned'),
      world.make('followUp'),
      world.make('followUp'),
    ]);
    // No API marks an item 涉密 yet; set the record's flag, as the public pages must honour it.
    await world.ds.query(`UPDATE suggestions SET confidential = true WHERE id = $1`, [confidential.id]);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('supervisor: dashboard chart, drill-down, urge an at-risk item and see its status change live', async () => {
    const { context, page } = await signIn('supervisor');
    await page.goto(`${webBase()}/dashboard`);
    await expect
      .poll(() => page.getByTestId('rates-chart').getAttribute('data-rendered'), { timeout: 20_000 })
      .toBe('true');
    expect(await page.locator('[data-testid="rates-chart"] canvas').count()).toBeGreaterThan(0);
    const jtjRow = page.locator(`[data-testid="stats-row"][data-key="${JTJ}"]`);
    expect(Number(await jtjRow.locator('td').first().textContent())).toBeGreaterThanOrEqual(3);
    await shot(page, 'supervisor-dashboard');
    // The English switch relabels the page in place.
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Handling statistics');
    await shot(page, 'supervisor-dashboard-en');
    // The choice is the user's: the server renders the next page in it (no Chinese first paint).
    const html = await (await page.request.get(`${webBase()}/dashboard`)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Handling statistics');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('办理统计');

    // Drill down from the unit's row to its items; the new item is listed and links to its page.
    await jtjRow.getByTestId('drill-down').click();
    await page.waitForURL(/\/dashboard\/items\?/);
    const drillRow = page.locator(`[data-testid="drill-row"][data-id="${assigned.id}"]`);
    await expect.poll(() => drillRow.count()).toBe(1);
    expect(await drillRow.locator('a').getAttribute('href')).toBe(`/suggestions/${assigned.id}`);
    await shot(page, 'supervisor-drill-down');

    // At risk within 120 working days (the national default gives 3 months to reply): urge it.
    await page.goto(`${webBase()}/supervision?days=120`);
    await expect
      .poll(() => page.getByTestId('live-indicator').getAttribute('data-live'), { timeout: 15_000 })
      .toBe('true');
    const row = page.locator(
      `[data-testid="supervision-row"][data-kind="at-risk"][data-id="${assigned.id}"]`,
    );
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    let reloaded = false;
    page.on('load', () => {
      reloaded = true;
    });
    await row.getByTestId('urge-button').click();
    await row.getByTestId('urge-note').fill('请于本周内联系代表并报告进展。');
    await row.getByTestId('urge-send').click();
    await expect.poll(() => page.getByTestId('urge-done').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect
      .poll(() => row.getByTestId('urge-count').getAttribute('data-count'), { timeout: 15_000 })
      .toBe('1');
    const urges: { note: string; urged_by: string }[] = await world.ds.query(
      `SELECT note, urged_by FROM urges WHERE suggestion_id = $1`,
      [assigned.id],
    );
    expect(urges).toEqual([expect.objectContaining({ note: '请于本周内联系代表并报告进展。' })]);

    // The unit signs in elsewhere: the status on this open page changes without a reload (SSE).
    expect((await world.unitStep(world.as.unitHandler, assigned, 'sign-in')).status).toBe(200);
    await expect
      .poll(() => row.getByTestId('suggestion-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('handling');
    expect(reloaded).toBe(false);
    await shot(page, 'supervisor-supervision');

    // Phone width: the same page reflows to one column.
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'supervisor-supervision-phone');
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - window.innerWidth',
    )) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('coordinator: downloads the 交办清单 and the 统计表 as valid xlsx files', async () => {
    const { context, page } = await signIn('coordinator');
    await page.goto(`${webBase()}/dashboard?by=town`);
    await expect.poll(() => page.getByTestId('stats-row').count()).toBeGreaterThan(0);
    for (const id of ['export-stats', 'export-assignment-list']) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(id).click()]);
      const file = await download.path();
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      expectXlsx(file);
    }
    await shot(page, 'coordinator-dashboard-by-town');
    await context.close();
  });

  it('anonymous: searches published replies without login; a confidential item never shows', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${webBase()}/public`);
    await page.getByTestId('public-q').fill(published.token);
    await page.getByTestId('public-search').click();
    const result = page.locator(`[data-testid="public-result"][data-id="${published.id}"]`);
    await expect.poll(() => result.count(), { timeout: 15_000 }).toBe(1);
    await shot(page, 'public-search');
    await result.locator('h2 a').click();
    await page.waitForURL(`${webBase()}/public/${published.id}`);
    expect(await page.getByTestId('public-category').first().textContent()).toContain('B');
    await shot(page, 'public-detail');

    await page.goto(`${webBase()}/public?q=${confidential.token}`);
    await expect.poll(() => page.getByTestId('public-count').textContent()).toContain('0');
    expect(await page.locator(`[data-testid="public-result"][data-id="${confidential.id}"]`).count()).toBe(0);
    const direct = await page.goto(`${webBase()}/public/${confidential.id}`);
    expect(direct?.status()).toBe(404);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${webBase()}/public?q=${published.token}`);
    await expect.poll(() => result.count()).toBe(1);
    await shot(page, 'public-search-phone');
    await context.close();
  });

  it('admin: edits a calendar day and switches the policy in force', async () => {
    const { context, page } = await signIn('admin');
    const day = '2027-03-10'; // a Wednesday with no holiday
    await page.goto(`${webBase()}/admin/calendar?year=2027&month=3`);
    const cell = page.locator(`[data-testid="cal-day"][data-day="${day}"]`);
    expect(await cell.getAttribute('data-kind')).toBe('working');
    await cell.click();
    await page.getByTestId('cal-kind').selectOption('holiday');
    await page.getByTestId('cal-name').fill('测试调整');
    await page.getByTestId('cal-save').click();
    await expect.poll(() => cell.getAttribute('data-kind'), { timeout: 10_000 }).toBe('holiday');
    const rows: { kind: string; source: string }[] = await world.ds.query(
      `SELECT kind, source FROM work_calendar_days WHERE day = $1`,
      [day],
    );
    expect(rows).toEqual([{ kind: 'holiday', source: 'admin' }]);
    await shot(page, 'admin-calendar');
    // Back to an ordinary day, so later tests count working days as before.
    await cell.click();
    await page.getByTestId('cal-kind').selectOption('normal');
    await page.getByTestId('cal-save').click();
    await expect.poll(() => cell.getAttribute('data-kind'), { timeout: 10_000 }).toBe('working');

    await page.goto(`${webBase()}/admin/policy`);
    const before = await page.getByTestId('policy-in-force').getAttribute('data-key');
    const other = before === 'city-x@2026.1' ? 'national-default@2026.1' : 'city-x@2026.1';
    expect(await page.locator('[data-testid="policy-option"][data-key="test-fast@1"]').isDisabled()).toBe(
      true,
    );
    await page.locator(`[data-testid="policy-option"][data-key="${other}"]`).check();
    await page.getByTestId('policy-choose').click();
    await expect
      .poll(() => page.getByTestId('policy-in-force').getAttribute('data-key'), { timeout: 10_000 })
      .toBe(other);
    await waitFor(
      'the policy choice row',
      async () =>
        (await world.ds.query(`SELECT policy_key FROM policy_choices ORDER BY id DESC LIMIT 1`))[0]
          ?.policy_key === other,
    );
    await shot(page, 'admin-policy');
    // Restore the policy that was in force, so later submissions keep their deadlines.
    await page.locator(`[data-testid="policy-option"][data-key="${before}"]`).check();
    await page.getByTestId('policy-choose').click();
    await expect
      .poll(() => page.getByTestId('policy-in-force').getAttribute('data-key'), { timeout: 10_000 })
      .toBe(before);

    for (const tab of ['units', 'users', 'deputies']) {
      await page.goto(`${webBase()}/admin/${tab}`);
      await page.waitForSelector(
        `[data-testid="${tab === 'units' ? 'unit' : tab === 'users' ? 'user' : 'deputy'}-row"]`,
      );
      await shot(page, `admin-${tab}`);
    }
    await context.close();
  });
});
