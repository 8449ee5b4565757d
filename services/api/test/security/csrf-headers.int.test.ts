/**
 * CSRF and security headers (issue 10; ASVS V4.2.2, V14.4), against the running API and the web app's
 * proxy of the test stack, as a deputy whose browser is led to another site's page.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { openDataSource } from '@jianyi/platform';
import { ApiSession, apiBase, webBase } from '@jianyi/platform/src/testing';

let ds: DataSource;
let wang: ApiSession;
beforeAll(async () => {
  ds = await openDataSource();
  wang = await ApiSession.login('wangjianguo');
});
afterAll(async () => {
  await ds?.destroy();
});

const draft = async () => {
  const r = await wang.call(
    'POST',
    '/api/suggestions',
    {
      title: `关于完善社区养老服务设施的建议 ${randomUUID().slice(0, 6)}`,
      content: '建议增设日间照料中心。',
    },
    { 'Idempotency-Key': randomUUID(), 'Sec-Fetch-Site': 'same-origin' },
  );
  expect(r.status).toBe(201);
  return r.body.id as string;
};
const status = async (id: string) =>
  (await ds.query(`SELECT status FROM suggestions WHERE id = $1`, [id]))[0].status as string;

describe('CSRF: a state-changing request must come from the platform’s own pages', () => {
  it('refuses a body-less submit sent from another site or a sibling site, and changes nothing', async () => {
    const id = await draft();
    for (const site of ['cross-site', 'same-site']) {
      const r = await wang.call('POST', `/api/suggestions/${id}/submit`, undefined, {
        'Sec-Fetch-Site': site,
      });
      expect(r.status).toBe(403);
      expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(r.body.title).toBe('请求来源不被允许：请从本平台页面操作');
      expect(await status(id)).toBe('draft');
    }
    // From the platform's own page the same request goes through.
    const ok = await wang.call('POST', `/api/suggestions/${id}/submit`, undefined, {
      'Sec-Fetch-Site': 'same-origin',
    });
    expect(ok.status).toBe(202);
  });

  it('checks Origin when a browser sends no Fetch Metadata, through the web app as well', async () => {
    const evil = await wang.call(
      'POST',
      '/api/suggestions',
      { title: '跨站伪造的建议', content: '不应被创建' },
      { 'Idempotency-Key': randomUUID(), Origin: 'https://evil.example' },
    );
    expect(evil.status).toBe(403);
    expect(await ds.query(`SELECT 1 FROM suggestions WHERE title = '跨站伪造的建议'`)).toEqual([]);

    const web = new ApiSession(webBase());
    expect(
      (await web.call('POST', '/api/auth/login', { username: 'lixiuying', password: 'Demo@2026' })).status,
    ).toBe(200);
    const own = new URL(webBase()).origin;
    const r = await web.call('POST', '/api/notifications/read-all', undefined, { Origin: own });
    expect(r.status).toBeLessThan(300);
    const other = await web.call('POST', '/api/notifications/read-all', undefined, {
      Origin: 'http://127.0.0.2:1',
    });
    expect(other.status).toBe(403);
    // A login from another site (login CSRF) is refused too.
    const login = await new ApiSession(webBase()).call(
      'POST',
      '/api/auth/login',
      { username: 'lixiuying', password: 'Demo@2026' },
      { 'Sec-Fetch-Site': 'cross-site' },
    );
    expect(login.status).toBe(403);
  });

  it('leaves reads alone: a cross-site GET is answered (SameSite=Lax and the visibility rules guard it)', async () => {
    const r = await wang.call('GET', '/api/me', undefined, { 'Sec-Fetch-Site': 'cross-site' });
    expect(r.status).toBe(200);
  });
});

describe('security headers on the API', () => {
  it('forbids framing, sniffing and referrers on every answer, problems included', async () => {
    for (const r of [
      await wang.call('GET', '/api/me'),
      await wang.call('GET', `/api/suggestions/${randomUUID()}`),
    ]) {
      expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-powered-by')).toBeNull();
      // The test stack is served over http on loopback: no HSTS there (a deployment sends it).
      expect(r.headers.get('strict-transport-security')).toBeNull();
    }
  });
});

describe('the public API (no login) is rate limited per address', () => {
  it('answers 429 with a problem document and Retry-After past the budget; other addresses go on', async () => {
    const from = `203.0.113.${10 + Math.floor(Math.random() * 240)}`;
    const call = (addr: string) =>
      fetch(`${apiBase()}/api/public/facets`, { headers: { 'x-forwarded-for': addr } });
    const statuses: number[] = [];
    for (let n = 0; n < 125; n++) statuses.push((await call(from)).status);
    expect(statuses.slice(0, 120).every((s) => s === 200)).toBe(true); // the default budget: 120 a minute
    expect(statuses.slice(120)).toEqual([429, 429, 429, 429, 429]);
    const r = await call(from);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('60');
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await r.json()) as { title: string }).title).toBe('访问过于频繁，请稍后再试');
    expect((await call(`198.18.0.${Math.floor(Math.random() * 250)}`)).status).toBe(200);
  });
});
