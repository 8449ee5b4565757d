import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config, createKafka, openDataSource } from '@jianyi/platform';
import { DEMO_PASSWORD } from '@jianyi/platform/src/db/seed';
import { waitFor, webBase } from '@jianyi/platform/src/testing';

// The walking skeleton, end to end: a deputy in a real Chromium submits a suggestion; the status
// arrives on the page over SSE (no reload); the event is in Kafka and the rows are in PostgreSQL.
const artifacts = path.resolve(__dirname, '../test-results/screenshots');
let browser: Browser;
let ds: DataSource;

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // A port offset can land the web app on a port Chromium blocks by default (6000 is X11's).
      `--explicitly-allowed-ports=${new URL(webBase()).port}`,
    ],
  });
}

describe('walking skeleton', () => {
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    browser = await launch();
    ds = await openDataSource();
  });
  afterAll(async () => {
    await browser?.close();
    await ds?.destroy();
  });

  it('a deputy submits a suggestion and sees its status change live', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    await page.goto(`${webBase()}/login`);
    await page.getByTestId('login-username').fill('wangjianguo');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('whoami').textContent()).toContain('王建国');
    await expect.poll(() => page.getByTestId('live-indicator').getAttribute('data-live')).toBe('true');
    await page.screenshot({ path: path.join(artifacts, 'deputy-workbench.png'), fullPage: true });

    const title = `关于增设社区养老服务站的建议 ${randomUUID().slice(0, 8)}`;
    await page.getByTestId('suggestion-title').fill(title);
    await page
      .getByTestId('suggestion-content')
      .fill(
        '城区老年人口占比逐年上升,社区养老服务站覆盖不足。建议在每个街道至少设立一处日间照料中心,提供助餐、助浴服务。',
      );
    let reloaded = false;
    page.on('load', () => {
      reloaded = true;
    });
    await page.getByTestId('suggestion-submit').click();

    const row = page.getByTestId('suggestion-row').filter({ hasText: title });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    const id = await row.getAttribute('data-id');
    expect(id).toBeTruthy();
    await waitFor(
      'the workflow to record the submission',
      async () =>
        (await ds.query(`SELECT status FROM suggestions WHERE id = $1`, [id]))[0]?.status === 'submitted',
    );
    // The status reaches 'submitted' through workflow → PostgreSQL → outbox → Kafka → tracker → SSE.
    await expect
      .poll(() => row.getByTestId('suggestion-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('submitted');
    expect(reloaded).toBe(false);
    await page.screenshot({ path: path.join(artifacts, 'deputy-submitted.png'), fullPage: true });

    // PostgreSQL: the projection, the published outbox row and the audit trail.
    const [s] = await ds.query(`SELECT status, submitted_at FROM suggestions WHERE id = $1`, [id]);
    expect(s.status).toBe('submitted');
    expect(s.submitted_at).not.toBeNull();
    const outbox: { type: string; published: boolean; event_id: string }[] = await ds.query(
      `SELECT type, published_at IS NOT NULL AS published, event_id FROM outbox WHERE aggregate_id = $1`,
      [id],
    );
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ type: 'suggestion.submitted', published: true });
    const audit: { action: string }[] = await ds.query(
      `SELECT action FROM audit_log WHERE entity_id = $1 AND action <> 'access.refused' ORDER BY id`,
      [id],
    );
    expect(audit.map((a) => a.action)).toEqual(['suggestion.draft_created', 'suggestion.submitted']);

    // Kafka: the event is on the topic, keyed by the suggestion id.
    const consumer = createKafka('e2e').consumer({ groupId: `e2e-${randomUUID()}` });
    const found: { key: string; type: string; eventId: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: config.kafka.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const e = JSON.parse(message.value!.toString());
        if (e.suggestionId === id) found.push({ key: message.key!.toString(), type: e.type, eventId: e.id });
      },
    });
    try {
      await waitFor('the event in Kafka', async () => found.length > 0);
      expect(found).toEqual([{ key: id, type: 'suggestion.submitted', eventId: outbox[0]!.event_id }]);
    } finally {
      await consumer.disconnect();
    }
  });
});
